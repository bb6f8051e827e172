"""Test fixtures: every documented example as data, with the reason it is expected to fail.

An example is replayed by the generated tests through the client against the server stub.
When the docs contradict themselves, the test is generated as an expected failure that names
the diagnostic, never dropped:
- `models`: the example holds a value its model rejects (D502 wrong JSON type, D503 a date or
  date-time that is not one); found by the resolver's example checks, which the models mirror;
- `replay`: the models reason, or the operation is not generated (D602), or the example cannot
  be called as documented (D603: no request, another method, a path matching none of the
  operation's paths, a body or response that is not the JSON object its model needs).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostic, make
from generator.model.ir import Api, Example, Operation, Property, TypeDef, TypeRef
from generator.render.openapi_paths import path_shape
from generator.render.view import OperationView, RouteView
from generator.resolve.checks import all_properties, check_examples

_PARAM = re.compile(r"\{([^{}]*)\}")
_MODEL_FAILURE = re.compile(r"\((DateTimeOffset|Date)\):")
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_SKIPPED_HEADERS = frozenset({"authorization", "content-length", "content-type", "host"})


@dataclass
class FixturePlan:
    data: dict[str, dict[str, Any]] = field(default_factory=dict)  # method name -> fixture
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def breaks_model(d: Diagnostic) -> bool:
    """Findings the generated models reject at run time (others load and round-trip)."""
    return d.code == "D502" or (d.code == "D503" and bool(_MODEL_FAILURE.search(d.message)))


def example_ranges(api: Api) -> dict[int, tuple[str, int, int]]:
    """id(example) -> (page, first line, first line of the next example on the page)."""
    starts: dict[str, list[tuple[int, int]]] = {}
    for op in api.operations:
        for ex in op.examples:
            starts.setdefault(ex.source.path, []).append((ex.source.line, id(ex)))
    ranges: dict[int, tuple[str, int, int]] = {}
    for page, items in starts.items():
        items.sort()
        for i, (line, ident) in enumerate(items):
            end = items[i + 1][0] if i + 1 < len(items) else 1 << 30
            ranges[ident] = (page, line, max(end, line + 1))
    return ranges


def body_findings(api: Api, op: Operation, body_type: str | None) -> list[Diagnostic]:
    """The resolver's checks run on a request body the resolver did not check: inline
    parameters (as if they were a type), or a type the renderer recognised the table as."""
    key = body_type
    types = dict(api.types)
    if key is None:
        props = [
            Property(name=p.name, type=p.type or TypeRef("Object", primitive=True), source=p.source)
            for p in op.request_params
        ]
        key = f"\x00{op.id} request body"
        types[key] = TypeDef(
            name=f"{op.id} request body", kind="complex", properties=props, source=op.source
        )
    probe = Operation(
        id=op.id,
        title="",
        method=op.method,
        examples=op.examples,
        request_type=TypeRef(types[key].name, resolved=key),
        source=op.source,
    )
    return check_examples(Api(types=types, operations=[probe]))


def misspelled(body: Any, declared: list[str]) -> str | None:
    """A top-level property spelled with other letter case than documented: it would load
    into the documented attribute and be written back with the documented spelling."""
    if not isinstance(body, dict):
        return None
    exact = set(declared)
    folded = {name.lower(): name for name in declared}
    for key in body:
        if key not in exact and key.lower() in folded:
            return f"the example spells `{key}`, the docs `{folded[key.lower()]}`"
    return None


class FixtureBuilder:
    def __init__(
        self,
        api: Api,
        views: dict[str, OperationView],
        detached: dict[str, OperationView],
        method_names: dict[str, str],
        body_models: dict[str, str],
        routes: list[RouteView],
        body_types: dict[str, str],
    ) -> None:
        self.api, self.views, self.method_names = api, views, method_names
        # (method, path shape) -> the operation whose route serves it
        self.body_types = body_types  # op.id -> type key of its model request body
        self.routed = {
            (r.http_method, path_shape(r.path)): r.operation.operation_id for r in routes
        }
        self.detached = detached  # views of operations that are not generated (for their models)
        self.body_models = body_models  # op.id -> dotted class path of the request body model
        self.ranges = example_ranges(api)
        self.by_page: dict[str, list[Diagnostic]] = {}
        for d in api.diagnostics:
            if breaks_model(d):
                self.by_page.setdefault(d.path, []).append(d)
        self.diagnostics: list[Diagnostic] = []

    def build(self) -> FixturePlan:
        plan = FixturePlan()
        for op in sorted(self.api.operations, key=lambda o: self.method_names[o.id]):
            if not op.examples:
                continue
            name = self.method_names[op.id]
            plan.data[name] = self.operation(op)
            plan.sources[name] = tuple(
                sorted({op.source.path} | {e.source.path for e in op.examples})
            )
        plan.diagnostics = self.diagnostics
        return plan

    def operation(self, op: Operation) -> dict[str, Any]:
        view = self.views.get(op.id)
        described = view or self.detached[op.id]
        checked = op.request_type is not None and op.request_type.resolved == self.body_types.get(
            op.id
        )
        extra = (
            []
            if checked or described.body_kind not in ("inline", "model")
            else body_findings(self.api, op, self.body_types.get(op.id))
        )
        declared = (
            [p.name for p in op.request_params]
            if described.body_kind == "inline"
            else [
                p.name
                for p in all_properties(self.api, self.api.types[self.body_types[op.id]]).values()
            ]
            if op.id in self.body_types
            else []
        )
        seen: dict[str, dict[str, Any]] = {}
        args = zip(described.body_fields, described.body_args, strict=True)
        return {
            "operation": op.id,
            "method_name": self.method_names[op.id],
            "generated": view is not None,
            "http_method": op.method.upper(),
            "status": described.status,
            "body": {
                "kind": described.body_kind,
                "model": self.body_models.get(op.id),
                "args": {f.json_name: str(a.name) for f, a in args},
            },
            "response": {
                "kind": described.response_kind,
                "model": str(described.response_model) if described.response_model else None,
            },
            "examples": [
                self.example(op, view, ex, i, extra, declared, seen)
                for i, ex in enumerate(op.examples)
            ],
        }

    def model_reason(self, ex: Example, extra: list[Diagnostic]) -> str | None:
        page, start, end = self.ranges.get(
            id(ex), (ex.source.path, ex.source.line, ex.source.line + 1)
        )
        found = [
            d
            for d in self.by_page.get(page, []) + [d for d in extra if breaks_model(d)]
            if start <= d.line < end
        ]
        return min(found).format() if found else None

    def example(
        self,
        op: Operation,
        view: OperationView | None,
        ex: Example,
        index: int,
        extra: list[Diagnostic],
        declared: list[str],
        seen: dict[str, dict[str, Any]],
    ) -> dict[str, Any]:
        models = self.model_reason(ex, extra)
        path_args, problem = self.path_args(op, view, ex)
        spelling = misspelled(ex.request.body if ex.request else None, declared)
        if spelling and models is None:
            d = make(
                ex.source.path,
                ex.source.line,
                "D603",
                f"example {ex.name!r} of {op.id}: {spelling}",
            )
            self.diagnostics.append(d)
            models = d.format()
        req, resp = ex.request, ex.response
        headers = (
            {
                k: v
                for k, v in sorted(req.headers.items())
                if k.lower() not in _SKIPPED_HEADERS and _HEADER_NAME.match(k) and v.isprintable()
            }
            if req
            else {}
        )
        key = json.dumps(
            [
                path_args,
                req.body if req else None,
                sorted(req.query.items()) if req else [],
                headers,
            ],
            sort_keys=True,
            default=str,
        )
        answer = [resp.status, resp.body, resp.body_raw] if resp else None
        twin = seen.setdefault(key, {"index": index, "answer": answer})
        if not problem and twin["index"] != index and twin["answer"] != answer:
            problem = (
                f"its request is the same as example {twin['index']}'s, whose response the "
                "stub gives"
            )
        if view is None:
            replay = next((d.format() for d in self.not_generated(op)), None)
        elif problem:
            d = make(
                ex.source.path,
                ex.source.line,
                "D603",
                f"example {ex.name!r} of {op.id} cannot be replayed: {problem}",
            )
            self.diagnostics.append(d)
            replay = d.format()
        else:
            replay = models
        return {
            "name": ex.name,
            "index": index,
            "source": f"{ex.source.path}:{ex.source.line}",
            "request": None
            if req is None
            else {
                "method": req.method.upper(),
                "path": req.path,
                "path_args": path_args,
                "query": dict(sorted(req.query.items())),
                "headers": headers,
                "body": req.body,
                "body_raw": None if req.body is not None else (req.body_raw or None),
            },
            "response": None
            if resp is None
            else {
                "status": resp.status,
                "headers": dict(sorted(resp.headers.items())),
                "body": resp.body,
                "body_raw": None if resp.body is not None else (resp.body_raw or None),
                "truncated": resp.truncated,
            },
            "xfail": {"models": models, "replay": replay},
        }

    def not_generated(self, op: Operation) -> list[Diagnostic]:
        return [make(op.source.path, op.source.line, "D602", f"operation {op.id} is not generated")]

    def path_args(
        self, op: Operation, view: OperationView | None, ex: Example
    ) -> tuple[dict[str, str], str]:
        """Path arguments (by argument name) read from the example, or why the call cannot be made."""
        req = ex.request
        if view is None:
            return {}, ""
        if req is None:
            return {}, "the example has no request"
        if req.method.upper() != view.http_method:
            return (
                {},
                f"the example sends {req.method.upper()}, the operation is {view.http_method}",
            )
        args: dict[str, str] | None = None
        path = req.path.rstrip("/") or "/"
        for pv in view.paths:
            values = match_template(pv.template, path)
            if values is not None:
                args = {str(p.name): v for p, v in zip(pv.params, values, strict=True)}
                break
        if args is None:
            documented = ", ".join(pv.template for pv in view.paths)
            return (
                {},
                f"request path {req.path!r} matches none of the documented paths ({documented})",
            )
        chosen = next(pv for pv in view.paths if all(str(p.name) in args for p in pv.params))
        owner = self.routed.get((view.http_method, path_shape(chosen.template)))
        if owner != op.id:
            return args, (
                f"{view.http_method} {chosen.template} is served by operation {owner} "
                "(two operations document the same method and path)"
            )
        body = req.body
        if view.body_kind in ("model", "inline") and not isinstance(body, dict):
            return args, "the request body is not a JSON object"
        resp = ex.response
        if (
            resp is not None
            and (resp.status or 200) < 400
            and (resp.body is not None or resp.body_raw.strip())
        ):
            if view.response_kind == "model" and not isinstance(resp.body, dict):
                return args, "the response body is not a JSON object"
            if view.response_kind == "collection" and not (
                isinstance(resp.body, dict) and isinstance(resp.body.get("value", []), list)
            ):
                return args, "the response body is not a collection object (`value` array)"
        return args, ""


def match_template(template: str, path: str) -> list[str] | None:
    """The parameter values if `path` is an instance of `template` (literals ignore case)."""
    want, have = template.rstrip("/").split("/"), path.rstrip("/").split("/")
    if len(want) != len(have):
        return None
    values: list[str] = []
    for pattern, segment in zip(want, have, strict=True):
        if "{" not in pattern:
            if pattern.lower() != segment.lower():
                return None
            continue
        match = _segment_regex(pattern).fullmatch(segment)
        if match is None:
            return None
        values.extend(match.groups())
    return values


@functools.lru_cache(maxsize=4096)
def _segment_regex(pattern: str) -> re.Pattern[str]:
    parts = _PARAM.split(pattern)
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else "(.+?)" for i, p in enumerate(parts)), re.IGNORECASE
    )
