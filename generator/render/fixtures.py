"""Test fixtures: every documented example as data, with what its generated tests check.

Each example gets up to two generated tests, only when they can check something:
- `round_trip`: one per body (request, response) that loads into a model and dumps back;
- `replay`: the client sends the documented request to the app under test and gets the
  documented status and body; generated when the example has a request to this API (not for a
  response shown alone, D604, nor for a request to another host, D508).

When the docs contradict themselves, a test is generated as a strict expected failure whose
reason is the diagnostic, never dropped:
- a value its model rejects (D502 wrong JSON type, D503 a date or date-time that is not one),
  found by the resolver's example checks in a part the test loads into a model;
- for the replay, also: the operation is not generated (D602), the example path matches none of
  the operation's paths (D507), or it cannot be called as documented (D603: another method, a
  body or response that is not the JSON its model needs).

Several operations may document one route with the same request (Graph's per-subtype pages):
the stub answers with the first of their examples (by operation id), so each lists the others
as `alternatives`, answers its replay accepts, and its replay reads the first one's response.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostic, make
from generator.model.ir import Api, Example, Operation
from generator.render.fixture_checks import (
    body_findings,
    breaks_model,
    decodes_response,
    example_ranges,
    misspelled,
    response_problem,
    round_trip_parts,
    wrapped,
)
from generator.render.openapi_paths import path_shape
from generator.render.view import OperationView, RouteView
from generator.resolve.checks import all_properties
from generator.resolve.example_paths import api_host, calls_api, match_template, unmatched_path

_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_SKIPPED_HEADERS = frozenset({"authorization", "content-length", "content-type", "host"})


@dataclass
class FixturePlan:
    data: dict[str, dict[str, Any]] = field(default_factory=dict)  # method name -> fixture
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class Replay:
    """An example whose replay test's reason waits for the response the stub gives."""

    fixture: dict[str, Any]  # the example's fixture entry
    op: Operation
    view: OperationView
    example: Example
    reason: str | None  # from the request side (its body model)


def default_path(view: OperationView | None, args: dict[str, str]) -> str:
    """The template the client calls with these arguments when none is named."""
    paths = view.paths if view is not None else []
    return next((pv.template for pv in paths if all(str(p.name) in args for p in pv.params)), "")


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
        recipes: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.recipes = recipes or {}  # route name -> how the fluent client calls it
        self.api, self.views, self.method_names = api, views, method_names
        self.body_types = body_types  # op.id -> type key of its model request body
        # (method, path shape) -> the operations its route serves
        self.routed = {
            (r.http_method, path_shape(r.path)): {t.operation.operation_id for t in r.targets}
            for r in routes
        }
        self.detached = detached  # views of operations that are not generated (for their models)
        self.body_models = body_models  # op.id -> dotted class path of the request body model
        self.host = api_host(api)
        self.ranges = example_ranges(api)
        self.by_page: dict[str, list[Diagnostic]] = {}
        for d in api.diagnostics:
            if breaks_model(d):
                self.by_page.setdefault(d.path, []).append(d)
        self.diagnostics: list[Diagnostic] = []
        # route and request -> the examples documenting that request on that route
        self.requests: dict[str, list[Replay]] = {}

    def build(self) -> FixturePlan:
        plan = FixturePlan()
        for op in sorted(self.api.operations, key=lambda o: self.method_names[o.id]):
            if not op.examples and op.id not in self.recipes:
                continue
            name = self.method_names[op.id]
            plan.data[name] = self.operation(op)
            plan.sources[name] = tuple(
                sorted({op.source.path} | {e.source.path for e in op.examples})
            )
        for twins in self.requests.values():
            self.settle(twins)
        plan.diagnostics = self.diagnostics
        return plan

    def settle(self, twins: list[Replay]) -> None:
        """Replay reasons and alternatives of examples with the same route and request."""
        answered = min(twins, key=lambda r: (r.op.id, r.fixture["index"]))
        for replay in twins:
            replay.fixture["alternatives"] = [
                [self.method_names[t.op.id], t.fixture["index"]] for t in twins if t is not replay
            ]
            reason = replay.reason or self.response_reason(replay.view, answered)
            replay.fixture["xfail"]["replay"] = reason

    def response_reason(self, view: OperationView, answered: Replay) -> str | None:
        """Why the client of `view` fails on the documented response the stub answers with."""
        ex = answered.example
        problem = response_problem(view, ex)
        if problem is not None:
            d = make(
                ex.source.path,
                ex.source.line,
                "D603",
                f"example {ex.name!r} of {answered.op.id} cannot be replayed: {problem}",
            )
            self.diagnostics.append(d)
            return d.format()
        return self.model_reason(ex, [], ["response"]) if decodes_response(view, ex) else None

    def operation(self, op: Operation) -> dict[str, Any]:
        view = self.views.get(op.id)
        described = view or self.detached[op.id]
        # a route's body type may be another than the one its pages were checked against
        checked = False
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
                "model": str(described.response_model)
                if described.response_kind in ("model", "collection")
                else None,
            },
            "call": self.recipes.get(op.id),
            "examples": [
                self.example(op, view, described, ex, i, extra, declared)
                for i, ex in enumerate(op.examples)
            ],
        }

    def model_reason(self, ex: Example, extra: list[Diagnostic], parts: list[str]) -> str | None:
        """The first finding the models reject in the given parts of the example."""
        page, start, end = self.ranges.get(
            id(ex), (ex.source.path, ex.source.line, ex.source.line + 1)
        )
        response_line = ex.response.source.line if ex.response is not None else end
        wanted = {"request"} & set(parts), {"response", "item"} & set(parts)
        found = [
            d
            for d in self.by_page.get(page, []) + [d for d in extra if d.path == page]
            if start <= d.line < end and wanted[0 if d.line < response_line else 1]
        ]
        return min(found).format() if found else None

    def example(
        self,
        op: Operation,
        view: OperationView | None,
        described: OperationView,
        ex: Example,
        index: int,
        extra: list[Diagnostic],
        declared: list[str],
    ) -> dict[str, Any]:
        req, resp = ex.request, ex.response
        to_api = req is not None and calls_api(req, self.host)
        trips = {
            part: self.model_reason(ex, extra, [part])
            for part in round_trip_parts(described, self.body_models.get(op.id), ex, to_api)
        }
        spelling = misspelled(req.body if req else None, declared, described.body_kind == "inline")
        if spelling:
            d = make(
                ex.source.path,
                ex.source.line,
                "D603",
                f"example {ex.name!r} of {op.id}: {spelling}",
            )
            self.diagnostics.append(d)
            if "request" in trips:
                trips["request"] = trips["request"] or d.format()
        if req is None:
            message = f"example {ex.name!r} of {op.id} has no request"
            self.diagnostics.append(make(ex.source.path, ex.source.line, "D604", message))
        headers = (
            {
                k: v
                for k, v in sorted(req.headers.items())
                if k.lower() not in _SKIPPED_HEADERS and _HEADER_NAME.match(k) and v.isprintable()
            }
            if req
            else {}
        )
        args, values, template, problem = self.path_args(op, view, ex)
        rename = (self.recipes.get(op.id) or {}).get("rename") or {}
        own_args, args = args, {rename.get(k, k): v for k, v in args.items()}
        fixture: dict[str, Any] = {
            "name": ex.name,
            "index": index,
            "source": f"{ex.source.path}:{ex.source.line}",
            "replay": to_api,
            "round_trip": trips,  # body -> why its round trip fails (None: it passes)
            "alternatives": [],
            "request": None
            if req is None
            else {
                "method": req.method.upper(),
                "path": req.path,
                "path_args": args,
                "path_values": values,
                "route": path_shape(template) if template else None,
                "path_template": template
                if template and template != default_path(view, own_args)
                else None,
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
            "xfail": {"replay": None},
            # whether the mock may answer with it when another example fits as well
            "answers": not wrapped(view, ex),
        }
        if not fixture["replay"] or req is None:
            return fixture
        if view is None:
            fixture["xfail"]["replay"] = self.not_generated(op).format()
        elif problem is not None:
            if isinstance(problem, str):
                message = f"example {ex.name!r} of {op.id} cannot be replayed: {problem}"
                problem = make(ex.source.path, ex.source.line, "D603", message)
            self.diagnostics.append(problem)
            fixture["xfail"]["replay"] = problem.format()
        else:
            sent = ["request"] if view.body_kind in ("model", "inline") else []
            replay = Replay(fixture, op, view, ex, self.model_reason(ex, extra, sent))
            key = json.dumps(
                [
                    view.http_method,
                    path_shape(template),
                    values,
                    req.body,
                    sorted(req.query.items()),
                    headers,
                ],
                sort_keys=True,
                default=str,
            )
            self.requests.setdefault(key, []).append(replay)
        return fixture

    def not_generated(self, op: Operation) -> Diagnostic:
        return make(op.source.path, op.source.line, "D602", f"operation {op.id} is not generated")

    def path_args(
        self, op: Operation, view: OperationView | None, ex: Example
    ) -> tuple[dict[str, str], list[str] | None, str, Diagnostic | str | None]:
        """Path arguments (by argument name) and values (in path order) read from the example,
        the documented template it calls, or why the call cannot be made as documented."""
        req = ex.request
        if view is None or req is None:
            return {}, None, "", None
        if req.method.upper() != view.http_method:
            problem = f"the example sends {req.method.upper()}, the operation is {view.http_method}"
            return {}, None, "", problem
        path = req.path.rstrip("/") or "/"
        for chosen in view.paths:
            found = match_template(chosen.template, path)
            if found is not None:
                break
        else:
            if not any(match_template(p.template, path) is not None for p in op.paths):
                return {}, None, "", unmatched_path(self.api, op, ex)
            documented = ", ".join(pv.template for pv in view.paths)
            problem = f"request path {req.path!r} matches none of the usable paths ({documented})"
            return {}, None, "", problem
        args = {str(p.name): v for p, v in zip(chosen.params, found, strict=True)}
        values = [args[str(p.name)] for p in chosen.params]
        template = chosen.template
        if op.id not in self.routed.get((view.http_method, path_shape(template)), set()):
            return args, values, template, f"no route serves {view.http_method} {template}"
        if view.body_kind in ("model", "inline") and not isinstance(req.body, dict):
            return args, values, template, "the request body is not a JSON object"
        return args, values, template, None
