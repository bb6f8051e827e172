"""Cross-page resolution: one `Api` out of many `Page`s.

Type references resolve to the page that defines the type by link target, then by qualified
name, then by bare name, case-insensitively; what resolves nowhere becomes a placeholder type
(never a crash). Base types become an inheritance chain with cycles cut and reported; duplicate
definitions are merged; operation ids are made unique, deterministically.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import Diagnostic, make, sort_key
from generator.model.build import once_per_include
from generator.model.ir import Api, EnumMember, Operation, Page, Property, Source, TypeDef, TypeRef, type_key
from generator.resolve.checks import check_examples
from generator.resolve.example_paths import api_host, complete_example_paths, handed_out
from generator.resolve.jsonrep import add_json_only_properties
from generator.resolve.kinds import decide_kinds
from generator.resolve.routes import build_routes


class _Index:
    def __init__(self, types: dict[str, TypeDef], by_page: dict[str, list[str]]) -> None:
        self.types = types
        self.by_page = by_page
        self.by_short: dict[str, list[str]] = {}
        for key, t in sorted(types.items()):
            self.by_short.setdefault(t.name.lower(), []).append(key)

    def find(self, name: str, namespace: str | None, link: str | None) -> str | None:
        if link and link in self.by_page:
            keys = self.by_page[link]
            matching = [k for k in keys if self.types[k].name.lower() == name.lower()]
            if matching or len(keys) == 1:
                return (matching or keys)[0]
        key = type_key(name, namespace)
        if key in self.types:
            return key
        candidates = self.by_short.get(name.lower(), [])
        return candidates[0] if candidates else None


def resolve(pages: list[Page]) -> Api:
    pages = sorted(pages, key=lambda p: p.path)
    diags: list[Diagnostic] = once_per_include([d for p in pages for d in p.diagnostics])
    types, by_page = _collect_types(pages, diags)
    operations = sorted((op for p in pages for op in p.operations), key=lambda o: (o.id, o.source.path))
    _infer_body_types(operations, types, _Index(types, by_page), diags)
    index = _Index(types, by_page)
    placeholders: dict[str, TypeDef] = {}
    reported: set[tuple[str, str]] = set()

    def resolve_ref(ref: TypeRef | None, source: Source, prop: Property | None = None) -> None:
        if ref is None or ref.primitive:
            return
        key = index.find(ref.name, ref.namespace, ref.link)
        if key is not None:
            target = types[key]
            if prop is not None and prop.possible_values and target.kind == "enum":
                # "Possible values are: ..." is the docs' word too: members listed only there
                # are still members (reported so the enum table can be completed).
                added = _extend_members(target, prop)
                if added:
                    listed = ", ".join(added)
                    diags.append(make(prop.source.path, prop.source.line, "D409", f"`{listed}` listed as possible values but missing from enum `{target.name}`"))
            ref.resolved = key
            return
        key = type_key(ref.name, ref.namespace)
        holder = placeholders.get(key)
        if holder is None:
            placeholders[key] = _placeholder(ref, source, prop)
        elif prop is not None and holder.kind == "enum":
            _extend_members(holder, prop)
        if (source.path, key) not in reported:
            reported.add((source.path, key))
            diags.append(make(source.path, source.line, "D401", f"type `{ref.name}` is not defined by any page; a placeholder is generated"))
        ref.resolved = key

    for t in list(types.values()):
        for prop in t.properties + t.navigation:
            resolve_ref(prop.type, prop.source, prop)
    for op in operations:
        resolve_ref(op.request_type, op.source)
        resolve_ref(op.response_type, op.source)
        for param in op.path_params + op.query_params + op.request_params:
            resolve_ref(param.type, param.source, None)
    types.update({k: v for k, v in placeholders.items() if k not in types})
    _resolve_bases(types, index, diags)
    decide_kinds(types, operations)
    _promote_entities(types)
    _unique_ids(operations, diags)
    api = Api(dict(sorted(types.items())), sorted(operations, key=lambda o: o.id), pages)
    before = {k: len(t.properties) for k, t in api.types.items()}
    diags.extend(add_json_only_properties(api))
    for key, t in list(api.types.items()):
        for prop in t.properties[before[key] :]:
            resolve_ref(prop.type, prop.source, prop)
    api.types.update({k: v for k, v in sorted(placeholders.items()) if k not in api.types})
    api.types = dict(sorted(api.types.items()))
    handed = handed_out(api)  # the URLs example responses hold: completing paths keeps them
    diags.extend(complete_example_paths(api, handed))
    host = api_host(api, handed)  # after the example paths are complete; checking changes nothing
    diags.extend(check_examples(api, host))
    diags.extend(build_routes(api, host))
    api.diagnostics = sorted(set(diags), key=sort_key)
    return api


def _collect_types(pages: list[Page], diags: list[Diagnostic]) -> tuple[dict[str, TypeDef], dict[str, list[str]]]:
    types: dict[str, TypeDef] = {}
    by_page: dict[str, list[str]] = {}
    for page in pages:
        for t in page.types:
            key = t.key_name
            by_page.setdefault(page.path.lower(), []).append(key)
            if key not in types:
                types[key] = t
                continue
            first = types[key]
            diags.append(make(t.source.path, t.source.line, "D403", f"`{t.name}` is also defined in {first.source.path}; definitions merged"))
            _merge(first, t)
    return types, by_page


def _infer_body_types(operations: list[Operation], types: dict[str, TypeDef], index: _Index, diags: list[Diagnostic]) -> None:
    """A create page whose type has no page of its own still lists that type's properties in its
    request body table: the type is read from there rather than left an empty placeholder."""
    for op in operations:
        ref = op.request_type
        if ref is None or ref.primitive or not op.request_params or index.find(ref.name, ref.namespace, ref.link):
            continue
        props = [
            Property(p.name, p.type, p.description, required=p.required, possible_values=list(p.possible_values), source=p.source)
            for p in op.request_params
            if p.type is not None
        ]
        inferred = TypeDef(ref.name, "complex", ref.namespace, properties=props, source=op.source)
        inferred.description = f"Read from the request body table of {op.source.path}; no page defines this type."
        if any(p.name == "id" for p in props):
            inferred.kind, inferred.key = "entity", ["id"]
        key = inferred.key_name
        if key in types:
            _merge(types[key], inferred)
        else:
            types[key] = inferred
            diags.append(make(op.source.path, op.source.line, "D408", f"type `{ref.name}` has no page; read from this request body table"))


def _merge(into: TypeDef, other: TypeDef) -> None:
    for mine, theirs in ((into.properties, other.properties), (into.navigation, other.navigation)):
        names = {p.name.lower() for p in mine}
        mine.extend(p for p in theirs if p.name.lower() not in names)
    member_names = {m.name for m in into.members}
    into.members.extend(m for m in other.members if m.name not in member_names)
    into.key = into.key or other.key
    into.base_type = into.base_type or other.base_type
    into.open_type = into.open_type or other.open_type
    into.entity_evidence = into.entity_evidence or other.entity_evidence
    if into.kind == "complex" and other.kind == "entity":
        into.kind = "entity"


def _placeholder(ref: TypeRef, source: Source, prop: Property | None) -> TypeDef:
    reason = f"D401: `{ref.name}` is referenced from {source.path}:{source.line} but no page defines it"
    holder = TypeDef(ref.name, "placeholder", ref.namespace, placeholder_reason=reason, source=source)
    if prop is not None and prop.possible_values and not ref.collection:
        holder.kind = "enum"
        holder.description = f"Members read from `Possible values` of {source.path}; no page defines this enum."
        _extend_members(holder, prop)
    return holder


def _extend_members(holder: TypeDef, prop: Property) -> list[str]:
    names = {m.name.lower() for m in holder.members}
    added: list[str] = []
    for value in prop.possible_values:
        if value.lower() not in names:
            names.add(value.lower())
            added.append(value)
            holder.members.append(EnumMember(value, None, "", prop.source))
    return added


def _resolve_bases(types: dict[str, TypeDef], index: _Index, diags: list[Diagnostic]) -> None:
    for key, t in sorted(types.items()):
        if not t.base_type:
            t.base_type = None
            continue
        namespace, _, name = t.base_type.rpartition(".")
        base = index.find(name, namespace or t.namespace, None)
        if base is None:
            diags.append(make(t.source.path, t.source.line, "D405", f"base type `{t.base_type}` of `{t.name}` does not resolve"))
            t.base_type = None
        elif base == key:  # the shortest cycle
            diags.append(make(t.source.path, t.source.line, "D402", f"inheritance cycle {t.name} -> {t.name}; `{t.name}` keeps no base type"))
            t.base_type = None
        else:
            t.base_type = base
    for key in sorted(types):
        chain: list[str] = []
        current: str | None = key
        while current is not None and current not in chain:
            chain.append(current)
            current = types[current].base_type
        if current is not None:  # a cycle through `current`
            cycle = chain[chain.index(current) :]
            breaker = min(cycle)
            t = types[breaker]
            names = " -> ".join(types[k].name for k in cycle + [current])
            diags.append(make(t.source.path, t.source.line, "D402", f"inheritance cycle {names}; `{t.name}` keeps no base type"))
            t.base_type = None


def ancestors(types: dict[str, TypeDef], key: str) -> Iterator[TypeDef]:
    """The base-type chain of `key`, nearest first (cycles were cut by resolve)."""
    seen: set[str] = set()
    current = types[key].base_type
    while current is not None and current in types and current not in seen:
        seen.add(current)
        yield types[current]
        current = types[current].base_type


def _promote_entities(types: dict[str, TypeDef]) -> None:
    for key, t in types.items():
        if t.kind == "complex" and (t.key or any(a.kind == "entity" or a.key for a in ancestors(types, key)) or key == "entity"):
            t.kind = "entity"


def _unique_ids(operations: list[Operation], diags: list[Diagnostic]) -> None:
    seen: dict[str, Operation] = {}
    for op in operations:
        base, n = op.id, 2
        while op.id.lower() in seen:
            op.id = f"{base}_{n}"
            n += 1
        if op.id != base:
            first = seen[base.lower()]
            diags.append(make(op.source.path, op.source.line, "D404", f"operation id `{base}` is also used by {first.source.path}; renamed `{op.id}`"))
        seen[op.id.lower()] = op
