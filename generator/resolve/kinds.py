"""Entity or complex type, from the evidence the pages give (the docs' word, not a list).

A resource type is an entity when its page says so: a `keyProperty` in its resource
annotation (read by the model stage), a relationships table, a Relationships section on a type
with an `id`, a Methods table of CRUD pages that return it (collected as `entity_evidence`), or
when a documented route addresses it by key (`GET /things/{id}` answers one of it). Types that
inherit from an entity are promoted afterwards by `resolve` (the base-type chain). Everything
else stays complex.
"""

from __future__ import annotations

import re

from generator.model.ir import Operation, TypeDef

# `/{key}` after a literal segment (the collection): `/things/{id}`, not `/things/{id}/{size}`,
# where the second parameter picks a member or property of the keyed thing, not a key.
_KEY_SEGMENT = re.compile(r"/[^{}/]+/\{[^{}/]+\}$")


def keyed_types(operations: list[Operation]) -> set[str]:
    """Keys of types that some route addresses by key: a single-object response of a path
    ending in a `{key}` segment after a collection segment (`/users/{id}/events/{id2}` answers
    one event; `/items/{id}/thumbnails/{n}/{size}` keys no thumbnail)."""
    found: set[str] = set()
    for op in operations:
        ref = op.response_type
        if ref is None or ref.primitive or ref.resolved is None or op.response_collection or ref.collection:
            continue
        if op.method in ("GET", "PATCH", "PUT") and any(_KEY_SEGMENT.search(p.template) for p in op.paths):
            found.add(ref.resolved)
    return found


def decide_kinds(types: dict[str, TypeDef], operations: list[Operation]) -> None:
    """Complex types with entity evidence become entities (in place); `id` becomes their key."""
    keyed = keyed_types(operations)
    for key, t in types.items():
        if t.kind != "complex":
            continue
        if t.entity_evidence or key in keyed:
            t.kind = "entity"
            if not t.key and any(p.name == "id" for p in t.properties):
                t.key = ["id"]
