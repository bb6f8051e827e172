"""Example requests checked against the documented paths of their operation.

An example request whose path matches none of its operation's paths is one of:
- a request to another host than the API's (a notification the API sends to the app, an upload
  URL): not a call of this API, so it is not replayed (D508);
- a documented alias of one of the paths (D509), which becomes a path of the operation so the
  client can call it and the server stub serves it: `/me` for `/users/{id}` (the signed-in
  user), a drive's `root` for `items/{item-id}` and `root:/{item-path}:` (path addressing),
  function parameters written in the parentheses (`rowsAbove(count=2)` for `rowsAbove(count=n)`
  or for `getEffectivePermissions` documented without them);
- a call of another operation, the only one documenting its method and path: the example is
  filed under the wrong operation and moves to that one (D510);
- otherwise a docs defect (D507): the example calls a path the operation does not document.

The API's host is the one most documented requests name (`api_host`); relative URLs are the API's.
"""

from __future__ import annotations

import collections
import functools
import re
import urllib.parse
from typing import Any

from generator.diagnostics import Diagnostic, make
from generator.model.ir import (
    Api,
    Example,
    HttpRequest,
    Operation,
    Parameter,
    PathTemplate,
    TypeRef,
)

_PARAM = re.compile(r"\{([^{}]*)\}")
_MAX_SEGMENTS = 64
_ARGUMENT = re.compile(r"\s*([A-Za-z_][\w.]*)\s*=\s*('(?:[^']|'')*'|[^,()]*)\s*(?:,|$)")


# `api_host` when the documented requests name no host but call the API by relative URLs: a
# request to any host is then another host's. (A space: no host name can be spelled so.)
RELATIVE = "relative URLs"


def api_host(api: Api, handed: set[str] | None = None) -> str:
    """The API's host, lower-case; RELATIVE when only relative documented requests call it;
    "" when nothing shows it (every request is then taken for a call of the API).

    The host most documented requests name: request-syntax lines written with a host, and
    example requests that call a documented path. A URL found in a response (an upload
    session's `uploadUrl`, a `Location` header, a `@odata.nextLink`) is one the API hands
    out, not the API's address: requests to it never vote. Relative requests are the API's
    whatever its host. `handed`: `handed_out(api)`, when the caller has it already.
    """
    handed = handed_out(api) if handed is None else handed
    index = _TemplateIndex(api)
    votes: collections.Counter[str] = collections.Counter()
    relative = False
    for op in api.operations:
        for template in op.paths:
            if (host := _url_host(template.raw)) and template.raw.strip() not in handed:
                votes[host] += 1
        for ex in op.examples:
            req = ex.request
            if req is None or req.url.strip() in handed or not index.documented(req.path):
                continue
            if host := request_host(req):
                votes[host] += 1
            else:
                relative = True
    if not votes:
        return RELATIVE if relative else ""
    return min(votes, key=lambda h: (-votes[h], h))


def _url_host(url: str) -> str:
    text = url.strip().split()[-1] if url.strip() else ""
    if "://" not in text:
        return ""
    try:
        return (urllib.parse.urlsplit(text).hostname or "").lower()
    except ValueError:
        return ""


def handed_out(api: Api) -> set[str]:
    """Every absolute URL the example responses hold (body strings, header values)."""
    found: set[str] = set()
    for op in api.operations:
        for ex in op.examples:
            resp = ex.response
            if resp is None:
                continue
            found.update(v.strip() for v in resp.headers.values() if "://" in v)
            stack: list[object] = [resp.body]
            while stack and len(found) < 100_000:
                item = stack.pop()
                if isinstance(item, dict):
                    stack.extend(item.values())
                elif isinstance(item, list):
                    stack.extend(item[:1000])
                elif isinstance(item, str) and "://" in item:
                    found.add(item.strip())
    return found


class _ShapeTree:
    """Path templates that `_template_shape` compares without a regex, as a tree of their
    segments holding a payload per template: the templates an ASCII path matches are found
    by one walk down the tree instead of trying each one."""

    def __init__(self) -> None:
        self.root: dict[object, Any] = {}

    def add(self, shape: tuple[str | None, ...], payload: object) -> None:
        node = self.root
        for part in shape:
            node = node.setdefault(part, {})
        node.setdefault(_END, []).append(payload)

    def find(self, path: str) -> list[object]:
        """The payloads of the templates `path` (ASCII, without trailing `/`) is an instance of."""
        nodes = [self.root]
        for seg in path.split("/"):
            low = seg.lower()
            nodes = [n for node in nodes for n in (node.get(low), node.get(None) if seg else None) if n is not None]
            if not nodes:
                return []
        return [payload for node in nodes for payload in node.get(_END, ())]


_END = object()  # a template's last segment in `_ShapeTree`: its payloads


class _TemplateIndex:
    """The documented path templates, for `documented`: by (segment count, first segment
    lower-cased or "" for a parameter), and those `_template_shape` can compare without a
    regex also as a `_ShapeTree`."""

    def __init__(self, api: Api) -> None:
        self.buckets: dict[tuple[int, str], list[str]] = collections.defaultdict(list)
        self.regex_only: dict[tuple[int, str], list[str]] = collections.defaultdict(list)
        self.tree = _ShapeTree()
        for op in api.operations:
            for template in op.paths:
                segments = template.template.rstrip("/").split("/")
                first = segments[1].lower() if len(segments) > 1 and "{" not in segments[1] else ""
                self.buckets[(len(segments), first)].append(template.template)
                shape = _template_shape(template.template.rstrip("/"))
                if shape is None:
                    self.regex_only[(len(segments), first)].append(template.template)
                else:
                    self.tree.add(shape, True)

    def documented(self, path: str) -> bool:
        """Whether a template of the path's segment count and first segment matches `path`."""
        segments = path.rstrip("/").split("/")
        first = segments[1].lower() if len(segments) > 1 else ""
        keys = ((len(segments), first), (len(segments), ""))
        if not path.isascii():  # Unicode case folding: every candidate's regex decides
            return any(match_template(t, path) is not None for key in keys for t in self.buckets.get(key, ()))
        if any(match_template(t, path) is not None for key in keys for t in self.regex_only.get(key, ())):
            return True
        return bool(self.tree.find(path.rstrip("/")))


class OwnerIndex:
    """`owners_of` for many requests to one unchanging set of operations and paths: per
    method, the templates as a `_ShapeTree` and those it cannot hold."""

    def __init__(self, api: Api) -> None:
        self.order = {id(op): i for i, op in enumerate(api.operations)}
        self.every: dict[str, list[tuple[str, Operation]]] = collections.defaultdict(list)
        self.regex_only: dict[str, list[tuple[str, Operation]]] = collections.defaultdict(list)
        self.trees: dict[str, _ShapeTree] = collections.defaultdict(_ShapeTree)
        for op in api.operations:
            method = op.method.upper()
            for p in op.paths:
                self.every[method].append((p.template, op))
                shape = _template_shape(p.template.rstrip("/"))
                if shape is None:
                    self.regex_only[method].append((p.template, op))
                else:
                    self.trees[method].add(shape, op)

    def owners(self, req: HttpRequest) -> list[Operation]:
        method = req.method.upper()
        path = req.path.rstrip("/") or "/"
        if path.isascii():
            found = [op for t, op in self.regex_only.get(method, ()) if match_template(t, path) is not None]
            tree = self.trees.get(method)
            found += tree.find(path.rstrip("/")) if tree is not None else []  # type: ignore[arg-type]
        else:
            found = [op for t, op in self.every.get(method, ()) if match_template(t, path) is not None]
        unique = {id(op): op for op in found}
        return sorted(unique.values(), key=lambda op: self.order[id(op)])


def request_host(req: HttpRequest) -> str:
    """The host of an example request, lower-case ("" for a relative URL)."""
    if "://" not in req.url:
        return ""
    return _host(req.url)


@functools.lru_cache(maxsize=4096)  # asked for every example, by several checks
def _host(url: str) -> str:
    try:
        return (urllib.parse.urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""


def calls_api(req: HttpRequest, host: str) -> bool:
    """Whether an example request is a call of this API (not of another host): a relative
    URL, or one to the API's host (`api_host`), or any when that is unknown ("")."""
    own = request_host(req)
    return not own or not host or own == host


def match_template(template: str, path: str) -> list[str] | None:
    """The parameter values if `path` is an instance of `template` (literals ignore case).

    A parameter matches within one segment, except in path addressing (`root:/{item-path}:`,
    `{site-id}:/{path}`), where the path may span segments."""
    template = template.rstrip("/")
    path = path.rstrip("/")
    shape = _template_shape(template)
    if shape is not None:
        have = path.split("/")
        if len(have) != len(shape):
            return None
        values: list[str] = []
        for want, seg in zip(shape, have):
            if want is None:
                if not seg:
                    return None
                values.append(seg)
            elif not seg.isascii():
                break  # Unicode case folding: the regex decides
            elif want != seg.lower():
                return None
        else:
            return values
    parts = _literal_parts(template)
    if parts is not None and path.isascii():  # what the regex needs, checked without it
        low = path.lower()
        if len(parts) == 1:
            if low != parts[0]:
                return None
        elif not low.startswith(parts[0]) or not low.endswith(parts[-1]):
            return None
        else:
            at = len(parts[0])
            for part in parts[1:-1]:
                at = low.find(part, at)
                if at == -1:
                    return None
                at += len(part)
            if len(low) - len(parts[-1]) < at:
                return None
    found = _template_regex(template).fullmatch(path)
    return None if found is None else list(found.groups())


@functools.lru_cache(maxsize=4096)
def _literal_parts(template: str) -> tuple[str, ...] | None:
    """The lower-cased text between the parameters of an ASCII template (None otherwise): an
    ASCII path the template's regex matches holds them in order, the first at its start and
    the last at its end."""
    if not template.isascii():
        return None
    return tuple(part.lower() for part in _PARAM.split(template)[::2])


@functools.lru_cache(maxsize=4096)
def _template_shape(template: str) -> tuple[str | None, ...] | None:
    """`template` as segments to compare without a regex: each one a lower-cased ASCII literal
    or None for a segment that is one parameter (it matches any non-empty segment); None when
    a segment mixes both, a parameter may span segments (`:/{item-path}`) or a literal is not
    ASCII. For such templates `match_template`'s segment comparison equals the regex's
    answer: parameters never match `/`, literals are compared case-insensitively."""
    if ":/{" in template or not template.isascii():
        return None
    shape: list[str | None] = []
    for seg in template.split("/"):
        if "{" not in seg and "}" not in seg:
            shape.append(seg.lower())
        elif _PARAM.fullmatch(seg):
            shape.append(None)
        else:
            return None
    return tuple(shape)


@functools.lru_cache(maxsize=4096)
def _template_regex(template: str) -> re.Pattern[str]:
    parts = _PARAM.split(template)
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(re.escape(part))
        else:
            out.append("(.+?)" if parts[i - 1].endswith(":/") else "([^/]+?)")
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


def alias_of(template: str, path: str) -> str | None:
    """The alias of `template` that `path` is an instance of (None when there is none)."""
    want = template.strip("/").split("/")
    have = path.strip("/").split("/")
    if max(len(want), len(have)) > _MAX_SEGMENTS:  # no real path is that deep (recursion bound)
        return None
    found = None
    if len(want) >= 2 and want[0] == "users" and _PARAM.fullmatch(want[1]) and have[:1] == ["me"]:
        found = _align(want[2:], have[1:], (want[0], want[1]))
        found = None if found is None else ["me", *found]
    if found is None:
        found = _drive_alias(want, have)
    if found is None:
        found = _align(want, have, ("", ""))
    if found is None:
        return None
    variant = "/" + "/".join(_unique_params(found))
    return variant if variant != template and match_template(variant, path) is not None else None


def _drive_prefix(segments: list[str], template: bool = True) -> int:
    """How many leading segments name a drive: `me/drive`, `drive`, `drives/{drive-id}` (0: none)."""
    if segments[:2] == ["me", "drive"]:
        return 2
    if segments[:1] == ["drive"]:
        return 1
    if len(segments) >= 2 and segments[0] == "drives" and segments[1]:
        return 2 if not template or _PARAM.fullmatch(segments[1]) else 0
    return 0


def _drive_alias(want: list[str], have: list[str]) -> list[str] | None:
    """`/drive/...` for `/me/drive/...` (the signed-in user's drive), and `/drives/{drive-id}`
    for either: the OneDrive docs use the three spellings for one route family."""
    mine = _drive_prefix(want)
    theirs = _drive_prefix([h.lower() if i < 2 else h for i, h in enumerate(have)], False)
    if not mine or not theirs or want[0] == have[0].lower():
        return None  # no alias: the same spelling (matched as it is, or not at all)
    if theirs == 2 and have[0].lower() == "drives":  # the example names a drive by its id
        prefix = ["drives", "{drive-id}"]
    else:
        prefix = ["me", "drive"] if theirs == 2 else ["drive"]
    found = _align(want[mine:], have[theirs:], ("", "drive"))
    return None if found is None else [*prefix, *found]


def _align(want: list[str], have: list[str], before: tuple[str, str]) -> list[str] | None:
    """The variant of the segments `want` that `have` matches, aliases allowed."""
    if not want or not have:
        return [] if not want and not have else None
    if want[0] == "items" and len(want) > 1 and _PARAM.fullmatch(want[1]) and _in_drive(before):
        rest = _align(want[2:], have[1:], ("root", ""))
        if have[0].lower() == "root" and rest is not None:
            return ["root", *rest]
        if have[0].lower() == "root:":
            # the addressed path may span segments: up to the first one ending with `:`
            end = next((k for k in range(1, len(have)) if have[k].endswith(":") and have[k] != ":"), 0)
            rest = _align(want[2:], have[end + 1 :], ("root", "")) if end else None
            if rest is not None:
                return ["root:", "{item-path}:", *rest]
    segment = _segment_alias(want[0], have[0])
    if segment is None:
        return None
    rest = _align(want[1:], have[1:], (before[1], want[0]))
    return None if rest is None else [segment, *rest]


def _in_drive(before: tuple[str, str]) -> bool:
    return before[1] == "drive" or (before[0] == "drives" and bool(_PARAM.fullmatch(before[1])))


def _segment_alias(want: str, have: str) -> str | None:
    """`want` when `have` is an instance of it, else the function-call spelling `have` uses."""
    if match_template(want, have) is not None:
        return want
    name, _, args = want.partition("(")
    called, paren, given = have.partition("(")
    if name.lower() != called.lower() or not name or "{" in name:
        return None
    if not paren:  # a function called without its (optional) parameters
        return name if args else None
    if not given.endswith(")"):
        return None
    pairs = _ARGUMENT.findall(given[:-1])
    if not pairs or ",".join(f"{k}={v}" for k, v in pairs) != given[:-1].replace(" ", ""):
        return None
    documented = dict(_ARGUMENT.findall(args.rstrip(")")))
    out = []
    for key, value in pairs:
        param = _PARAM.search(documented.get(key, ""))
        slot = "{" + (param.group(1) if param else key) + "}"
        out.append(f"{key}='{slot}'" if value.startswith("'") else f"{key}={slot}")
    return f"{name}({','.join(out)})"


def _unique_params(segments: list[str]) -> list[str]:
    """Repeated parameter names made unique (`{id}`, `{id2}`), as the model stage does."""
    seen: dict[str, int] = {}

    def rename(match: re.Match[str]) -> str:
        name = match.group(1)
        seen[name] = seen.get(name, 0) + 1
        return "{" + (name if seen[name] == 1 else f"{name}{seen[name]}") + "}"

    return [_PARAM.sub(rename, segment) for segment in segments]


def owners_of(api: Api, req: HttpRequest, index: OwnerIndex | None = None) -> list[Operation]:
    """The operations documenting the method and path of an example request, in the order of
    `api.operations`; `index`: an `OwnerIndex` of `api` as it is now, for many requests."""
    if index is not None:
        return index.owners(req)
    path = req.path.rstrip("/") or "/"
    return [
        op
        for op in api.operations
        if op.method.upper() == req.method.upper()
        and any(match_template(p.template, path) is not None for p in op.paths)
    ]


def unmatched_path(api: Api, op: Operation, ex: Example, index: OwnerIndex | None = None) -> Diagnostic:
    """D507 for an example request whose path matches none of the operation's paths (naming
    the operations whose path it is, when several are)."""
    req = ex.request
    assert req is not None
    documented = ", ".join(p.template for p in op.paths) or "none"
    owners = sorted(other.id for other in owners_of(api, req, index))
    elsewhere = f"; it is a path of {', '.join(owners)}" if owners else ""
    return make(
        req.source.path or ex.source.path,
        req.source.line or ex.source.line,
        "D507",
        f"example {ex.name!r} of {op.id} calls {req.path!r}, which matches none of the "
        f"documented paths ({documented}){elsewhere}",
    )


def complete_example_paths(api: Api, handed: set[str] | None = None) -> list[Diagnostic]:
    """Check every example request's path: add the aliases examples use to their operation,
    move an example that calls another operation (one documenting its method and path) to it.
    `handed`: `handed_out(api)`, when the caller has it (this function leaves it unchanged:
    it moves examples between operations and adds paths)."""
    host = api_host(api, handed)
    diags: list[Diagnostic] = []
    astray: list[tuple[Operation, Example]] = []
    for op in api.operations:
        for ex in op.examples:
            req = ex.request
            if req is None or not req.path:
                continue
            where = (req.source.path or ex.source.path, req.source.line or ex.source.line)
            if not calls_api(req, host):
                message = (
                    f"example {ex.name!r} of {op.id} is a request to {request_host(req)}, "
                    f"not to the API ({host}); it is not replayed"
                )
                diags.append(make(*where, "D508", message))
                continue
            if req.method.upper() != op.method.upper():
                astray.append((op, ex))
                continue
            path = req.path.rstrip("/") or "/"
            if any(match_template(p.template, path) is not None for p in op.paths):
                continue
            aliases = [(p.template, alias_of(p.template, path)) for p in op.paths]
            of, variant = next(((t, v) for t, v in aliases if v is not None), ("", None))
            if variant is None:
                astray.append((op, ex))
                continue
            _add_path(op, PathTemplate(req.url, variant, _PARAM.findall(variant), req.source))
            message = (
                f"example {ex.name!r} of {op.id} calls `{variant}`, an alias of the "
                f"documented `{of}`: added to the operation's paths"
            )
            diags.append(make(*where, "D509", message))
    # after every alias is added, so the operations a path belongs to are all known
    index = OwnerIndex(api) if astray else None  # moving examples changes no operation's paths
    for op, ex in astray:
        assert ex.request is not None
        owners = owners_of(api, ex.request, index)
        if len(owners) == 1 and owners[0] is not op:
            op.examples.remove(ex)
            owners[0].examples.append(ex)
            message = (
                f"example {ex.name!r} of {op.id} calls {ex.request.method.upper()} "
                f"{ex.request.path!r}, documented by {owners[0].id}: moved to that operation"
            )
            diags.append(make(ex.source.path, ex.source.line, "D510", message))
        elif ex.request.method.upper() == op.method.upper():
            diags.append(unmatched_path(api, op, ex, index))
    return diags


def _add_path(op: Operation, path: PathTemplate) -> None:
    op.paths.append(path)
    known = {p.name for p in op.path_params}
    for name in path.params:
        if name not in known:
            known.add(name)
            op.path_params.append(
                Parameter(name, "path", TypeRef("String", primitive=True), True, source=path.source)
            )
