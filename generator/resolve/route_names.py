"""Route names: snake_case words of a route's canonical path, never of a page or example name.

`list_user_messages` (GET of a collection), `get_user`, `create_application_synchronization_job`
(POST to a collection: its singular), `me_send_mail` (a bound action: its parent's words and its
own), `count_users` (`$count`), `list_group_members_as_user` (a cast). Two routes that would get
one name are told apart by the words of the segments only one of them has (`..._by_app_id`),
never by a number. Singulars come from the `inflection` package.
"""

from __future__ import annotations

import functools
import re

import inflection  # type: ignore[import-untyped]

from generator.model.ir import Route, Segment

_WORDS = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[^A-Za-z0-9]+")


@functools.lru_cache(maxsize=4096)  # inflection tries ~50 regexes per word; routes repeat words
def singular(word: str) -> str:
    """The singular of a collection name (`users` -> `user`, `drives` -> `drive`)."""
    if word.endswith("ves") and inflection.pluralize(word[:-1]) == word:
        return word[:-1]  # `drives`: the library's rule makes `drife`
    result: str = inflection.singularize(word)
    return result or word


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORDS.split(text) if w]




def _nouns(segments: list[Segment], crud: bool) -> list[str]:
    """The words naming the resource a route addresses (`users/{id}/messages` -> user, messages)."""
    out: list[str] = []
    for i, s in enumerate(segments):
        nxt = segments[i + 1] if i + 1 < len(segments) else None
        keyed = nxt is not None and nxt.kind == "key"
        if s.kind in ("root", "navigation"):
            if s.name == "me" and crud and nxt is not None:
                out.append("my")
            else:
                out.extend(words(singular(s.name) if keyed else s.name))
        elif s.kind == "alternate_key":
            out.extend(words(singular(s.name)) + ["by"] + words(s.params[0] if s.params else "key"))
        elif s.kind == "paren_key":
            out.extend(words(singular(s.name)))
        elif s.kind in ("function", "action"):
            out.extend(words(s.name))
        elif s.kind == "cast":
            out.extend(["as"] + words(s.name))
        elif s.kind == "value":
            out.append("content")
        elif s.kind == "ref":
            out.append("ref")
        elif s.kind == "count":
            out.append("count")
        elif s.kind == "path":
            out.extend(words(s.name) + ["by", "path"])
    return out


def route_name(route: Route, collection: bool) -> str:
    """`list_user_messages`, `get_user`, `create_application_synchronization_job`,
    `me_send_mail`, `count_users`..., snake_case words of the route (never of a page)."""
    segs = route.segments
    last = segs[-1]
    method = route.method
    if last.kind in ("action", "function") and method in ("POST", "GET"):
        return "_".join(_nouns(segs[:-1], False) + words(last.name))
    if last.kind == "count" and method == "GET":
        return "_".join(["count"] + _nouns(segs[:-1], True))
    nouns = _nouns(segs, True)
    if method == "GET":
        verb = "list" if collection and last.kind in ("root", "navigation", "cast") else "get"
    else:
        verb = {"POST": "create", "PATCH": "update", "PUT": "put", "DELETE": "delete"}.get(method, method.lower())
    if method == "POST" and last.kind in ("root", "navigation") and nouns:
        nouns[-1] = singular(nouns[-1])
    return "_".join([verb] + nouns)


def name_routes(routes: list[Route]) -> None:
    """Route names, unique: collisions get the distinguishing words of their paths, never a
    number."""
    wanted: dict[str, list[Route]] = {}
    for route in routes:
        collection = any(m.collection for m in route.members)
        route.name = route_name(route, collection)
        wanted.setdefault(route.name, []).append(route)
    taken = set(wanted)
    for name, same in sorted(wanted.items()):
        if len(same) == 1:
            continue
        for route in same[1:]:
            extra = _distinction(route, same[0])
            candidate = f"{name}_{extra}" if extra else f"{name}_alt"
            while candidate in taken:
                candidate += "_alt"
            taken.add(candidate)
            route.name = candidate


def _distinction(route: Route, other: Route) -> str:
    mine = [s.text.lower() for s in route.segments]
    theirs = {s.text.lower() for s in other.segments}
    diff = [s for s, low in zip(route.segments, mine, strict=True) if low not in theirs]
    found = []
    for s in diff:
        if s.params:
            found.append("by_" + "_".join(w for p in s.params for w in words(p)))
        else:
            found.extend(words(s.name))
    return "_".join(found)
