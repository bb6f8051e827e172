"""Routes: the API by method and canonical path, the unit every generated artifact is built on.

A *route* is an HTTP method and a canonical path template, e.g.
`GET /users/{user-id}/messages/{message-id}`. Every documented path template is read into
classified segments (OData terms):

| segment | example | kind |
|---|---|---|
| first segment | `users`, `me` | `root` (entity set or singleton) |
| property name | `messages`, `manager` | `navigation` |
| key | `{id}`, `{user-id}`, `{id \\| userPrincipalName}` | `key` |
| alternate key | `applications(appId='{appId}')` | `alternate_key` |
| bound action / function | `sendMail`, `delta`, `getX(period='{period}')` | `action` / `function` |
| cast | `microsoft.graph.user` | `cast` |
| media, reference, count | `$value`, `$ref`, `$count` | `value`, `ref`, `count` |
| path addressing | `root:/{item-path}:` | `path` |

Key parameters get canonical names from the segment they address: `{user-id}` after `users`
(a singular made by the `inflection` package), `{mailFolder-id}` after `mailFolders`; the
documented spellings (`{id}`, `{id2}`, `{usersId}`) are kept as aliases. Function parameters
keep their documented names (`period`), whatever placeholder the page writes (`{period_value}`).

Every page that documents the same method and canonical path contributes to one route (a D407
info per merged route): the union of examples, the parameters the pages document, the response
type their common base when pages document subtypes. A page documenting several paths yields
one route per (method, canonical path). Each route gets a merged `Operation` whose `id` is the
route's name (`list_user_messages`, `create_application_synchronization_job`): the client,
server, fixtures, tests and OpenAPI are all rendered from these.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Iterable

from generator.diagnostics import Diagnostic, make
from generator.model.ir import (
    Api,
    Example,
    Operation,
    Parameter,
    PathTemplate,
    Route,
    RouteMember,
    Segment,
    SegmentKind,
    TypeRef,
)
from generator.resolve.example_paths import api_host, match_template
from generator.resolve.route_names import name_routes, singular

_PARAM = re.compile(r"\{([^{}]*)\}")
_CALL = re.compile(r"^([A-Za-z_][\w.]*)\((.*)\)$", re.DOTALL)
_ARG = re.compile(r"\s*([A-Za-z_][\w.]*)\s*=\s*('(?:[^']|'')*'|[^,]*)\s*(?:,|$)")
_CAST = re.compile(r"^(?:microsoft\.graph|[a-z][\w]*(?:\.[a-z]\w*)+)\.([A-Za-z_]\w*)$")
_NAME = re.compile(r"^[A-Za-z_][\w-]*$")
_TITLE_MEMBER = re.compile(r"^\s*[\w.]+\s*:\s*([A-Za-z_]\w*)\s*$")
# a camelCase segment whose first word is a verb names a bound action (`createLink`), never a
# collection (`calendarGroups`, `childFolders`)
_VERB_NAME = re.compile(
    r"^(?:create|add|send|copy|move|restore|assign|remove|check|follow|invite|accept|decline|forward"
    r"|reply|replyAll|validate|set|reset|reprocess|revoke|grant|cancel|dismiss|confirm|snooze"
    r"|unfollow|preview|checkin|checkout|retry|start|stop|pause|resume|submit|mark|upgrade|clear)"
    r"[A-Z]\w*$"
)
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_MAX_SEGMENTS = 64




# ---------------------------------------------------------------------------------------------
# Reading one template


@dataclasses.dataclass
class _Raw:
    kind: str
    name: str  # OData name: property, function, cast type, parameter of a key
    args: list[tuple[str, str, bool]]  # (argument, documented placeholder or value, quoted)
    text: str  # as documented


def read_template(template: str) -> list[_Raw] | None:
    """The documented template as raw segments (None when it cannot be read)."""
    parts = template.strip("/").split("/")
    if not template.startswith("/") or not parts or parts == [""] or len(parts) > _MAX_SEGMENTS:
        return None
    out: list[_Raw] = []
    i = 0
    while i < len(parts):
        s = parts[i]
        if not s:
            return None
        if s in ("$value", "$ref", "$count"):
            out.append(_Raw(s[1:], s, [], s))
        elif s.endswith(":") and not s.startswith("{") and i + 1 < len(parts):
            # path addressing: `root:/{item-path}:` (the path may span segments)
            j = i + 1
            while j < len(parts) and not parts[j].endswith(":"):
                j += 1
            if j >= len(parts):
                return None
            inner = "/".join(parts[i + 1 : j + 1])[:-1]
            found = _PARAM.fullmatch(inner)
            name = found.group(1) if found else "path"
            out.append(_Raw("path", s[:-1], [(name, inner, False)], "/".join(parts[i : j + 1])))
            i = j
        elif s.endswith(":") and _PARAM.fullmatch(s[:-1]) and i + 1 < len(parts):
            # a key, then a path under it: `/sites/{hostname}:/{path}`, `{item-id}:/{name}:`
            out.append(_Raw("key", _key_name(s[1:-2]), [], s[:-1]))
            j = i + 1
            while j < len(parts) - 1 and not parts[j].endswith(":"):
                j += 1
            closed = parts[j].endswith(":")
            inner = "/".join(parts[i + 1 : j + 1])
            inner = inner[:-1] if closed else inner
            found = _PARAM.fullmatch(inner)
            name = found.group(1) if found else "path"
            out.append(_Raw("path", "", [(name, inner, closed)], ":/" + "/".join(parts[i + 1 : j + 1])))
            i = j
        elif _PARAM.fullmatch(s):
            out.append(_Raw("key", _key_name(s[1:-1]), [], s))
        elif (call := _CALL.match(s)) is not None:
            name, inner = call.group(1), call.group(2).strip()
            if not inner:
                out.append(_Raw("function", name, [], s))
            elif "=" not in inner:  # `worksheets('{id}')`, `range({address})`: positional
                value = inner.strip("'")
                quoted = inner.startswith("'")
                found = _PARAM.fullmatch(value)
                out.append(_Raw("paren_key", name, [("", found.group(1) if found else value, quoted)], s))
            else:
                pairs = _ARG.findall(inner)
                if not pairs:
                    return None
                args = []
                for key, value in pairs:
                    quoted = value.startswith("'") or "'" in value
                    found = _PARAM.search(value)
                    args.append((key, found.group(1) if found else value.strip("'"), quoted))
                out.append(_Raw("call", name, args, s))
        elif "{" in s or "}" in s:
            return None  # `{id}:` outside path addressing, `prefix{x}` ...
        elif (cast := _CAST.match(s)) is not None:
            out.append(_Raw("cast", cast.group(1), [], s))
        elif _NAME.match(s) or s == "...":
            if s == "...":
                return None
            out.append(_Raw("literal", s, [], s))
        else:
            return None
        i += 1
    return out


def _key_name(inner: str) -> str:
    return inner.split("|")[0].strip() or "id"


# ---------------------------------------------------------------------------------------------
# Building the routes


@dataclasses.dataclass
class _Entry:
    op: Operation
    template: PathTemplate
    raw: list[_Raw]


def _route_key(method: str, raw: list[_Raw]) -> tuple[str, ...]:
    """Identity of a route: method and segment shapes (literal case and parameter names ignored;
    a function is identified by its name, whatever arguments a page spells)."""
    key = [method.upper()]
    for r in raw:
        if r.kind == "key":
            key.append("{}")
        elif r.kind in ("call", "function"):
            key.append(f"{r.name.lower()}()")
        elif r.kind == "paren_key":
            key.append(f"{r.name.lower()}({{}})")
        elif r.kind == "path":
            key.append(f"{r.name.lower()}:{{}}:")
        else:
            key.append(r.text.lower())
    return tuple(key)


def build_routes(api: Api, host: str | None = None) -> list[Diagnostic]:
    """Fill `api.routes` from `api.operations` (see the module docstring); `host`:
    `api_host(api)`, when the caller has it already."""
    diags: list[Diagnostic] = []
    host = api_host(api) if host is None else host
    groups: dict[tuple[str, ...], list[_Entry]] = {}
    for op in sorted(api.operations, key=lambda o: (o.id, o.source.path)):
        if op.method.lower() not in _METHODS:
            continue
        seen: set[tuple[str, ...]] = set()
        for p in op.paths:
            raw = read_template(p.template)
            if raw is None:
                continue
            key = _route_key(op.method, raw)
            if key in seen:
                continue
            seen.add(key)
            groups.setdefault(key, []).append(_Entry(op, p, raw))
    # which literal names are followed by more segments somewhere (navigation, not an action)
    continued: set[tuple[str, ...]] = set()
    for key in groups:
        for i in range(2, len(key)):
            continued.add(key[1:i])
    # Graph paths are case-insensitive: one spelling per literal segment (the most documented,
    # then the first in code-point order), so `/me/calendarGroups` and `/me/calendargroups/{id}`
    # are one builder tree
    counts: dict[tuple[str, ...], dict[str, int]] = {}
    for key, group in groups.items():
        for e in group:
            for i, r in enumerate(e.raw):
                if r.kind == "literal":
                    spelled = counts.setdefault(key[1 : i + 2], {})
                    spelled[r.text] = spelled.get(r.text, 0) + 1
    spelling = {k: min(v, key=lambda t: (-v[t], t)) for k, v in counts.items()}
    routes: list[Route] = []
    for key in sorted(groups):
        entries = sorted(groups[key], key=_dedication)
        routes.append(_route(key, entries, continued, spelling))
    name_routes(routes)
    by_op: dict[str, list[Route]] = {}
    for route in routes:
        for member in route.members:
            by_op.setdefault(member.operation, []).append(route)
    ops = {op.id: op for op in api.operations}
    for route in routes:
        route.operation = _merged(api, route, [ops[m.operation] for m in route.members])
    _assign_examples(api, routes, by_op, host)
    for route in routes:
        if len(route.members) > 1:
            first = ops[route.members[0].operation]
            others = sorted({ops[m.operation].source.path for m in route.members[1:]} - {first.source.path})
            if others:
                listed = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
                diags.append(
                    make(
                        first.source.path,
                        route.members[0].line,
                        "D407",
                        f"{route.method} {route.path} is also documented by {listed}: merged into route `{route.name}`",
                    )
                )
    api.routes = sorted(routes, key=lambda r: r.name)
    return diags


def _dedication(entry: _Entry) -> tuple[bool, int, int, str]:
    """Which page documents a route first (its title, body and response types, the mock's
    first answer): not one answering a single object wrapped as `{"value": {...}}` (a docs
    defect of Intune pages), then the one whose examples call it most, then the one
    documenting the fewest paths, then by operation id."""
    op = entry.op
    wrapped = not op.response_collection and any(
        ex.response is not None
        and isinstance(ex.response.body, dict)
        and isinstance(ex.response.body.get("value"), dict)
        and not [k for k in ex.response.body if k != "value" and not k.startswith("@")]
        for ex in op.examples
    )
    calls = sum(
        1
        for ex in op.examples
        if ex.request is not None
        and ex.request.method.upper() == op.method.upper()
        and match_template(entry.template.template, ex.request.path.rstrip("/") or "/") is not None
    )
    return (wrapped, -calls, len(op.paths), op.id)


def _route(
    key: tuple[str, ...], entries: list[_Entry], continued: set[tuple[str, ...]], spelling: dict[tuple[str, ...], str] | None = None
) -> Route:
    method = key[0]
    primary = entries[0]
    # the spelling with the most function arguments is the canonical one
    raw = list(primary.raw)
    for i, r in enumerate(raw):
        canonical = (spelling or {}).get(key[1 : i + 2])
        if r.kind == "literal" and canonical and canonical != r.text and canonical.lower() == r.text.lower():
            raw[i] = dataclasses.replace(r, text=canonical, name=canonical if r.name == r.text else r.name)
    for i, r in enumerate(raw):
        for e in entries:
            if r.kind == "call" and e.raw[i].kind == "call" and len(e.raw[i].args) > len(raw[i].args):
                raw[i] = e.raw[i]
    segments = _segments(raw, method, key, continued, primary.op)
    path = join(s.text for s in segments)
    variants: list[str] = []
    members: list[RouteMember] = []
    for e in entries:
        renames = _renames(e.raw, segments)
        variant = _variant(e.raw, segments)
        if variant != path and variant not in variants:
            variants.append(variant)
        line = e.template.source.line or e.op.source.line
        members.append(RouteMember(e.op.id, e.template.template, renames, line, e.op.response_collection))
    return Route(method=method, path=path, name="", segments=segments, variants=variants, members=members)


def _segments(raw: list[_Raw], method: str, key: tuple[str, ...], continued: set[tuple[str, ...]], op: Operation) -> list[Segment]:
    segments: list[Segment] = []
    used: dict[str, int] = {}

    def unique(name: str) -> str:
        used[name] = used.get(name, 0) + 1
        return name if used[name] == 1 else f"{name}{used[name]}"

    title = _TITLE_MEMBER.match(op.title or "")
    for i, r in enumerate(raw):
        last = i == len(raw) - 1
        prev = segments[-1] if segments else None
        if r.kind in ("value", "ref", "count"):
            segments.append(Segment(typing.cast(SegmentKind, r.kind), r.text, r.text))
        elif r.kind == "key":
            param = unique(_key_param(prev))
            segments.append(Segment("key", "{" + param + "}", prev.name if prev else "", [param], [r.name]))
        elif r.kind == "paren_key":
            param = unique(f"{singular(r.name)}-id")
            quote = "'" if r.args[0][2] else ""
            segments.append(Segment("paren_key", f"{r.name}({quote}{{{param}}}{quote})", r.name, [param], [r.args[0][1]]))
        elif r.kind == "path" and r.name:
            param = unique(f"{r.name}-path" if r.name != "root" else "item-path")
            segments.append(Segment("path", f"{r.name}:/{{{param}}}:", r.name, [param], [r.args[0][1]]))
        elif r.kind == "path":  # under a key
            documented = r.args[0][0]
            param = unique(documented if _NAME.match(documented) else "path")
            closing = ":" if r.args[0][2] else ""
            segments.append(Segment("path", f":/{{{param}}}{closing}", "", [param], [r.args[0][1]]))
        elif r.kind == "call":
            alternate = i > 0 and len(r.args) == 1 and raw[i - 1].kind != "key" and _looks_like_key(r, raw, i)
            params, aliases, parts = [], [], []
            for name, placeholder, quoted in r.args:
                param = unique(name)
                params.append(param)
                aliases.append(placeholder)
                quote = "'" if quoted else ""
                parts.append(f"{name}={quote}{{{param}}}{quote}")
            kind: SegmentKind = "alternate_key" if alternate or (i == 0 and len(r.args) == 1) else "function"
            segments.append(Segment(kind, f"{r.name}({','.join(parts)})", r.name, params, aliases))
        elif r.kind == "function":
            segments.append(Segment("function", r.text, r.name))
        elif r.kind == "cast":
            segments.append(Segment("cast", r.text, r.name))
        elif i == 0:
            segments.append(Segment("root", r.text, r.text))
        elif last and key[1 : i + 2] not in continued and _is_operation(r.name, method, op, title):
            segments.append(Segment("action" if method == "POST" else "function", r.text, r.text))
        else:
            segments.append(Segment("navigation", r.text, r.text))
    return segments


def _looks_like_key(r: _Raw, raw: list[_Raw], i: int) -> bool:
    """`applications(appId='{appId}')`: a collection addressed by another property."""
    return r.name.endswith("s") and raw[i - 1].kind in ("literal",) and not r.name.startswith("get")


def _is_operation(name: str, method: str, op: Operation, title: re.Match[str] | None) -> bool:
    """A last literal segment that is a bound action or function, not a navigation property."""
    if title is not None and title.group(1).lower() == name.lower():
        return True
    if method == "POST":
        if op.request_type is not None and op.response_type is not None:
            if op.request_type.resolved and op.request_type.resolved == op.response_type.resolved:
                return False  # the body is the item it creates
        if op.request_type is None and _VERB_NAME.match(name):
            return True  # `createLink`, `createUploadSession`: a verb, not a collection of entities
        status = op.response_status or 0
        verb = (op.title or "").strip().split(" ")[0].lower()
        return status not in (201,) and verb not in ("create", "add", "post", "upload", "insert")
    if method == "GET":
        return name == "delta" or bool(re.match(r"^get[A-Z]", name))
    return False


def _key_param(prev: Segment | None) -> str:
    if prev is None:
        return "id"
    if prev.kind in ("root", "navigation"):
        return f"{singular(prev.name)}-id"
    if prev.kind == "cast":
        return f"{prev.name}-id"
    return "key"


def _renames(raw: list[_Raw], segments: list[Segment]) -> dict[str, str]:
    """Documented parameter name -> canonical name, for one documented template."""
    out: dict[str, str] = {}
    for r, s in zip(raw, segments, strict=True):
        if r.kind == "call":
            canonical = dict(zip(_arg_names(s.text), s.params, strict=False))
            for arg, value in _ARG.findall(r.text[r.text.index("(") + 1 : -1]):
                found = _PARAM.search(value)
                if found and arg in canonical:
                    out[found.group(1)] = canonical[arg]
            continue
        for name, param in zip(_PARAM.findall(r.text), s.params, strict=False):
            out[_key_name(name)] = param
    return out


def _arg_names(text: str) -> list[str]:
    call = _CALL.match(text)
    return [a for a, _ in _ARG.findall(call.group(2))] if call else []


def _variant(raw: list[_Raw], segments: list[Segment]) -> str:
    """A documented template in the route's parameter names (function argument forms differ)."""
    parts = []
    for r, s in zip(raw, segments, strict=True):
        if r.kind == "call" and s.kind == "function":
            args = []
            params = dict(zip(_arg_names(s.text), s.params, strict=False))
            for name, _, quoted in r.args:
                quote = "'" if quoted else ""
                args.append(f"{name}={quote}{{{params.get(name, name)}}}{quote}")
            parts.append(f"{r.name}({','.join(args)})")
        else:
            parts.append(s.text)
    return join(parts)


def join(texts: Iterable[str]) -> str:
    """A path of segment texts: a path under a key (`:/{path}`) follows it without a slash."""
    return "".join(t if t.startswith(":") else "/" + t for t in texts)


# ---------------------------------------------------------------------------------------------
# The merged operation of a route


def _merged(api: Api, route: Route, ops: list[Operation]) -> Operation:
    primary = ops[0]
    path_names: set[str] = set()
    for m in route.members:
        path_names.update(k.lower() for k in m.params)
    params = [p for s in route.segments for p in s.params]
    path_names.update(p.lower() for p in params)
    for s in route.segments:
        path_names.update(a.lower() for a in s.aliases)
        if s.kind in ("function", "alternate_key"):
            path_names.update(a.lower() for a in _arg_names(s.text))
    # each segment's argument names that have a parameter, in order
    args = [a for s in route.segments for a, _ in zip(_arg_names(s.text), s.params, strict=False)]
    documented: dict[str, Parameter] = {}
    for op, m in zip(ops, route.members, strict=True):
        for p in op.path_params:
            canonical = m.params.get(p.name)
            if canonical and canonical not in documented:
                documented[canonical] = dataclasses.replace(p, name=canonical, location="path", required=True)
        for p in op.query_params:
            arg = p.name if p.name in args else None
            if arg is not None and arg in params and arg not in documented:
                documented[arg] = dataclasses.replace(p, name=arg, location="path", required=True)
    path_params = [
        documented.get(name) or Parameter(name, "path", TypeRef("String", primitive=True), True)
        for name in params
    ]
    query: dict[str, Parameter] = {}
    for op in ops:
        # a placeholder of any of the page's paths (`{extensionId}`, or `{id_value}` inside a
        # `$filter` of its query string) is no query parameter of this route
        placeholders = {n.lower() for t in op.paths for n in _PARAM.findall(t.raw + " " + t.template)}
        placeholders |= {p.name.lower() for p in op.path_params}
        for p in op.query_params:
            name = p.name.strip()
            folded = name.strip("_").lower()
            if not name or folded in path_names or name.lower() in path_names or folded in placeholders:
                continue
            if name.lower() in query:
                continue
            plain = bool(_PLAIN_NAME.fullmatch(name))
            query[name.lower()] = dataclasses.replace(p, required=p.required and plain)
    headers: dict[str, Parameter] = {}
    for op in ops:
        for p in op.headers:
            headers.setdefault(p.name.lower(), p)
    permissions = list(primary.permissions)
    for op in ops[1:]:
        permissions.extend(p for p in op.permissions if p not in permissions)
    request_type = _common([op.request_type for op in ops], api)
    request_params = list(primary.request_params) if primary.request_type is None else []
    if len(ops) > 1 and any(op.request_params for op in ops):
        # one create documented per subtype (Intune): a body of the subtypes' common base,
        # read by its `@odata.type`
        bodies = [op.request_type or (op.response_type if op.request_params else None) for op in ops]
        common = _common(bodies, api) if all(b is not None for b in bodies) else None
        if common is not None and not common.primitive and common.resolved:
            request_type, request_params = common, []
    paths = [PathTemplate(route.path, route.path, params, primary.source)]
    paths += [PathTemplate(v, v, _PARAM.findall(v), primary.source) for v in route.variants]
    return Operation(
        id=route.name,
        title=primary.title,
        description=primary.description,
        method=route.method,
        paths=paths,
        path_params=path_params,
        query_params=list(query.values()),
        headers=list(headers.values()),
        permissions=permissions,
        request_type=request_type,
        request_params=request_params,
        response_status=primary.response_status,
        response_type=_common([op.response_type for op in ops], api),
        response_collection=primary.response_collection,
        examples=[],
        source=primary.source,
        request_body=any(_documents_body(op) for op in ops),
    )


_PLAIN_NAME = re.compile(r"[A-Za-z][\w.-]*")


def _documents_body(op: Operation) -> bool:
    """The page operation documents a request body: a type, a body table, a `$ref`, or a
    body in one of its examples (any of its paths)."""
    if op.method.upper() in ("GET", "HEAD", "DELETE"):
        return False
    return bool(
        op.method.upper() == "PATCH"  # an update sends what it changes, whatever the page shows
        or op.request_type is not None
        or op.request_params
        or (op.method.upper() in ("POST", "PUT") and any(p.template.endswith("/$ref") for p in op.paths))
        or any(e.request is not None and e.request.body_raw.strip() for e in op.examples)
    )


def _common(refs: Iterable[TypeRef | None], api: Api) -> TypeRef | None:
    """The documented type, or the nearest common base of the documented subtypes."""
    found = [r for r in refs]
    first = found[0]
    if first is None or first.primitive or all(r is not None and r.resolved == first.resolved for r in found):
        return first
    keys = [r.resolved for r in found if r is not None and not r.primitive and r.resolved]
    if len(keys) != len([r for r in found if r is not None]):
        return first
    chains = [_chain(api, k) for k in keys]
    for candidate in chains[0][:-1]:  # the root of every chain (`entity`) says nothing
        if all(candidate in c for c in chains[1:]):
            t = api.types[candidate]
            return TypeRef(t.name, first.collection, False, t.namespace, None, t.name, candidate)
    return first


def _chain(api: Api, key: str) -> list[str]:
    out: list[str] = []
    current: str | None = key
    while current is not None and current in api.types and current not in out:
        out.append(current)
        current = api.types[current].base_type
    return out


def _assign_examples(api: Api, routes: list[Route], by_op: dict[str, list[Route]], host: str) -> None:
    """Each example goes to the route of its operation whose path it calls (aliases count:
    `/me` for `/users/{id}`); one that calls none stays with the operation's first route."""
    for op in sorted(api.operations, key=lambda o: o.id):
        mine = by_op.get(op.id, [])
        if not mine:
            continue
        for ex in op.examples:
            target = _route_of(ex, mine, op)
            target.operation.examples.append(ex)
            target.examples.append((op.id, op.examples.index(ex)))


def _route_of(ex: Example, routes: list[Route], op: Operation) -> Route:
    req = ex.request
    if req is None or not req.path:
        return routes[0]
    path = req.path.rstrip("/") or "/"
    for route in routes:
        if route.method != req.method.upper():
            continue
        member = next(m for m in route.members if m.operation == op.id)
        for template in [member.template, route.path, *route.variants]:
            if match_template(template, path) is not None:
                return route
    for route in routes:
        if route.method == req.method.upper():
            return route
    return routes[0]


def routed_api(api: Api, variants: bool = True) -> Api:
    """The API as the renderers see it: one operation per route (its `id` the route's name),
    then the page operations no route carries (no usable path: not generated, D602).

    `variants=False` keeps only the canonical path of each route (OpenAPI: one operation per
    method and path). An Api built by hand, without routes, gets them here."""
    if not api.routes and api.operations:
        api = dataclasses.replace(api)
        build_routes(api)
    carried = {m.operation for r in api.routes for m in r.members}
    ops = []
    for route in api.routes:
        op = route.operation
        if not variants and len(op.paths) > 1:
            op = dataclasses.replace(op, paths=op.paths[:1])
        ops.append(op)
    # page operations no route carries: none of their paths reads as a route (not generated)
    ops += [dataclasses.replace(op, paths=[]) for op in api.operations if op.id not in carried]
    return Api(
        types=api.types,
        operations=sorted(ops, key=lambda o: o.id),
        pages=api.pages,
        diagnostics=api.diagnostics,
        routes=api.routes,
    )
