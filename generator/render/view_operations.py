"""Operation views: client methods, their groups (one module each) and server routes.

An operation is generated when it has an HTTP method OpenAPI knows and at least one usable
path (the same test the OpenAPI document uses, so client, server and OpenAPI agree); else D602.
Server routes come from `plan_paths`, the OpenAPI document's plan: one route per path shape and
method, so Starlette never sees two templates it cannot tell apart.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from generator.diagnostics import Diagnostic, make
from generator.model.ir import Api, Operation, PathTemplate, Property, TypeDef, TypeRef
from generator.model.names import ClassName, PythonIdentifier, operation_method_names, unique_names
from generator.render.jinja import Code
from generator.render.openapi_paths import METHODS, canonical_path, plan_paths, usable_template
from generator.render.view import (
    FieldView,
    GroupView,
    OperationView,
    ParamView,
    PathView,
    RouteTarget,
    RouteView,
)
from generator.render.view_models import ModelBuilder, ModelNames, trusted
from generator.resolve.checks import all_properties

_PARAM = re.compile(r"\{([^{}]*)\}")
# Keyword arguments every client method has, and the handler's first argument.
# The OData query options are keyword arguments of the builders' verbs too.
SIGNATURE_RESERVED = (
    "body", "call", "count", "expand", "filter", "headers", "options", "orderby", "path_template",
    "query", "search", "select", "skip", "top",
)
GROUP_SIZE = 40  # operations per module


@dataclass
class OperationPlan:
    operations: list[OperationView] = field(default_factory=list)  # generated, sorted by name
    groups: list[GroupView] = field(default_factory=list)
    routes: list[RouteView] = field(default_factory=list)
    views: dict[str, OperationView] = field(default_factory=dict)  # op.id -> view (generated)
    detached: dict[str, OperationView] = field(default_factory=dict)  # op.id -> not generated
    group_of: dict[str, PythonIdentifier] = field(default_factory=dict)  # op.id -> module
    method_names: dict[str, str] = field(default_factory=dict)  # every op.id
    body_types: dict[str, str] = field(default_factory=dict)  # op.id -> request body type key
    diagnostics: list[Diagnostic] = field(default_factory=list)


def usable_paths(op: Operation) -> list[PathTemplate]:
    seen: dict[str, PathTemplate] = {}
    for p in op.paths:
        if usable_template(p.template):
            seen.setdefault(p.template, p)
    return list(seen.values())


def group_name(template: str) -> str:
    first = template.strip("/").split("/")[0].split("(")[0]
    return first or "root"


class OperationBuilder:
    def __init__(self, api: Api, names: ModelNames, models: ModelBuilder) -> None:
        self.api, self.names, self.models = api, names, models
        self.diagnostics: list[Diagnostic] = []
        self.body_types: dict[str, str] = {}  # op.id -> type key of a model request body

    def target(self, ref: TypeRef | None) -> TypeDef | None:
        if ref is None or ref.primitive:
            return None
        key = ref.resolved if ref.resolved in self.api.types else None
        return self.api.types.get(key or ref.name.lower())

    def model_code(self, t: TypeDef) -> Code:
        return Code(f"models.{self.names.classes[t.key_name]}")

    def build(
        self,
        op: Operation,
        method_name: str,
        paths: list[PathTemplate],
        body_class: ClassName | None,
    ) -> OperationView:
        arg_names, path_views = self.path_params(op, paths)
        body_kind, body_ann, fields, body_args = self.body(op, body_class, set(arg_names))
        taken = set(arg_names) | {a.name for a in body_args}
        required = [
            n for n in arg_names if all(n in {q.name for q in pv.params} for pv in path_views)
        ]
        idents = {n: trusted(PythonIdentifier, n) for n in arg_names}
        params = [ParamView(idents[n], n, True) for n in required]
        params += [
            ParamView(idents[n], n, False, Code("str | None"))
            for n in arg_names
            if n not in required
        ]
        assert len(taken) == len(arg_names) + len(body_args)
        kind, model = self.response(op)
        return OperationView(
            method_name=trusted(PythonIdentifier, method_name),
            operation_id=op.id,
            http_method=op.method.upper(),
            title=op.title,
            description=op.description,
            paths=path_views,
            params=params,
            body_kind=body_kind,
            body_annotation=body_ann,
            body_class=body_class if body_kind == "inline" else None,
            body_fields=fields,
            body_args=body_args,
            response_kind=kind,
            response_model=model,
            status=default_status(op),
            sources=(op.source.path,) if op.source.path else (),
        )

    def path_params(
        self, op: Operation, paths: list[PathTemplate]
    ) -> tuple[list[str], list[PathView]]:
        """Argument names: the union over the paths, unique against the reserved keywords."""
        wanted: list[str] = []
        per_path: list[list[str]] = []
        for p in paths:
            _, canonical = canonical_path(p.template)
            # unique within the path: `{Id}` and `{id}` are two parameters
            idents = unique_names([str(PythonIdentifier(n, prefix="param")) for n in canonical])
            per_path.append(idents)
            wanted.extend(i for i in idents if i not in wanted)
        given = unique_names(list(SIGNATURE_RESERVED) + wanted)[len(SIGNATURE_RESERVED) :]
        rename = dict(zip(wanted, given, strict=True))
        for want, got in rename.items():
            if want != got:
                self.diagnostics.append(
                    make(
                        op.source.path,
                        op.source.line,
                        "D601",
                        f"path parameter `{want}` of {op.id} is generated as `{got}`",
                    )
                )
        views = []
        for p, idents in zip(paths, per_path, strict=True):
            wires = _PARAM.findall(p.template)
            params = [
                ParamView(trusted(PythonIdentifier, rename[i]), w)
                for i, w in zip(idents, wires, strict=True)
            ]
            views.append(PathView(p.template, params))
        views.sort(key=lambda v: -len(v.params))  # stable: documented order among equals
        return [rename[w] for w in wanted], views

    def body(
        self, op: Operation, body_class: ClassName | None, taken: set[str]
    ) -> tuple[str, Code | None, list[FieldView], list[ParamView]]:
        if op.method.upper() in ("GET", "HEAD"):  # no body: a function's parameters are in the path
            return "none", None, [], []
        if op.request_type is not None and op.request_type.collection:  # a JSON array, sent as is
            return "raw", Code("typing.Any"), [], []
        target = self.target(op.request_type) or self.documented_body(op)
        if target is not None and target.kind != "enum":
            self.body_types[op.id] = target.key_name
            return "model", self.model_code(target), [], []
        if op.request_type is None and op.request_params and body_class is not None:
            props = [
                Property(
                    name=p.name,
                    type=p.type or TypeRef("Object", primitive=True),
                    description=p.description,
                    required=p.required,
                    source=p.source,
                )
                for p in op.request_params
            ]
            synthetic = TypeDef(name=f"{op.id} request body", kind="complex", source=op.source)
            fields, _, _ = self.models.fields(synthetic, props, {}, set(), prefix="models.")
            wanted = [str(f.name) for f in fields]
            reserved = sorted(taken | set(SIGNATURE_RESERVED))
            given = unique_names(reserved + wanted)[len(reserved) :]
            args = [
                ParamView(trusted(PythonIdentifier, g), f.name, f.required, f.annotation)
                for f, g in zip(fields, given, strict=True)
            ]
            return "inline", Code(str(body_class)), fields, args
        reference = op.method.upper() in ("POST", "PUT") and any(
            p.template.endswith("/$ref") for p in op.paths
        )  # `{"@odata.id": ...}`, whether or not the page shows it
        if reference or op.request_type is not None or op.request_body or any(
            e.request is not None and e.request.body_raw.strip() for e in op.examples
        ):
            return "raw", Code("typing.Any"), [], []
        return "none", None, [], []

    def documented_body(self, op: Operation) -> TypeDef | None:
        """The returned type, when the body table lists only its properties (Intune pages
        document "a JSON representation of the object" as a table of all its properties)."""
        target = self.target(op.response_type)
        if target is None or target.kind not in ("entity", "complex") or not op.request_params:
            return None
        known = all_properties(self.api, target)
        return target if all(p.name.lower() in known for p in op.request_params) else None

    def response(self, op: Operation) -> tuple[str, Code | None]:
        """The response kind and its model (or, for `value`, the annotation of the value).

        `redirect`: a documented 3xx (a report's download URL): the `Location` of a 3xx, the
        bytes of a 2xx; `stream`: the
        bytes of a `Stream`; `value`: a primitive or enum, which OData wraps as `{"value": ...}`.
        """
        ref, status = op.response_type, default_status(op)
        if 300 <= status < 400:
            return "redirect", None
        target = self.target(ref)
        if target is not None and target.kind != "enum":
            return ("collection" if op.response_collection else "model"), self.model_code(target)
        if ref is not None and ref.primitive and ref.name == "Stream" and not ref.collection:
            return "stream", None
        if ref is not None and (ref.primitive or target is not None):
            many = dataclasses.replace(ref, collection=ref.collection or op.response_collection)
            annotation = self.models.annotation(many, set(), prefix="models.").code
            if annotation != "typing.Any":
                return "value", annotation
        if ref is None and status == 204:
            return "none", None
        return "raw", None


def default_status(op: Operation) -> int:
    if op.response_status and 100 <= op.response_status < 600:
        return op.response_status
    for example in op.examples:
        if (
            example.response is not None
            and example.response.status
            and example.response.status < 400
        ):
            return example.response.status
    return 200


def plan_operations(api: Api, names: ModelNames, models: ModelBuilder) -> OperationPlan:
    plan = OperationPlan(method_names=operation_method_names([op.id for op in api.operations]))
    builder = OperationBuilder(api, names, models)
    by_group: dict[str, list[tuple[Operation, list[PathTemplate]]]] = {}
    for op in sorted(api.operations, key=lambda o: plan.method_names[o.id]):
        paths = usable_paths(op)
        if op.method.lower() not in METHODS or not paths:
            why = f"HTTP method {op.method!r}" if paths else "no documented path is usable"
            plan.diagnostics.append(
                make(
                    op.source.path,
                    op.source.line,
                    "D602",
                    f"operation {op.id} is not generated: {why}",
                )
            )
            plan.detached[op.id] = builder.build(op, plan.method_names[op.id], [], None)
            continue
        module = str(PythonIdentifier(group_name(paths[0].template), prefix="group"))
        by_group.setdefault(module, []).append((op, paths))
    chunks: dict[str, list[tuple[Operation, list[PathTemplate]]]] = {}
    for module in sorted(by_group):  # big groups in chunks: small modules format in parallel
        members = by_group[module]
        for i in range(0, len(members), GROUP_SIZE):
            name, n = module, i // GROUP_SIZE + 1
            while name in chunks or (name != module and name in by_group):
                name, n = f"{module}_{n}", n + 1
            chunks[name] = members[i : i + GROUP_SIZE]
    built: dict[str, tuple[list[OperationView], str, str]] = {}
    for module in sorted(chunks):
        members = chunks[module]
        sync_name, async_name = (
            f"{ClassName(module)}Operations",
            f"Async{ClassName(module)}Operations",
        )
        wanted = [str(ClassName(f"{plan.method_names[op.id]} body")) for op, _ in members]
        bodies = unique_names([sync_name, async_name] + wanted)[2:]
        ops = []
        for (op, paths), body in zip(members, bodies, strict=True):
            view = builder.build(op, plan.method_names[op.id], paths, trusted(ClassName, body))
            ops.append(view)
            plan.views[op.id] = view
            plan.group_of[op.id] = trusted(PythonIdentifier, module)
        built[module] = (ops, sync_name, async_name)
    plan.operations = sorted(plan.views.values(), key=lambda v: v.method_name)
    plan.routes = routes(api, plan)
    for module, (ops, sync_name, async_name) in built.items():
        ids = {v.operation_id for v in ops}
        sources = tuple(sorted({s for v in ops for s in v.sources}))
        plan.groups.append(
            GroupView(
                trusted(PythonIdentifier, module),
                trusted(ClassName, sync_name),
                trusted(ClassName, async_name),
                ops,
                sources,
                handlers_class=trusted(ClassName, f"{ClassName(module)}Handlers"),
                routes=[r for r in plan.routes if r.operation.operation_id in ids],
            )
        )
    plan.diagnostics.extend(builder.diagnostics)
    plan.body_types = builder.body_types
    return plan


def routes(api: Api, plan: OperationPlan) -> list[RouteView]:
    """One route per method and path shape, serving every operation documenting it."""
    result: list[RouteView] = []
    paths = plan_paths(api)
    for op, template, key, _ in paths.routes:
        members = [(op, template)] + [
            (o, t) for o, t, _ in paths.shared.get((key, op.method.lower()), [])
        ]
        _, canonical = canonical_path(key)
        route_names = [
            trusted(PythonIdentifier, n)
            for n in unique_names([str(PythonIdentifier(n, prefix="param")) for n in canonical])
        ]
        targets = []
        for member, member_template in members:
            view = plan.views.get(member.id)
            if view is None:
                continue
            path_view = next(pv for pv in view.paths if pv.template == member_template.template)
            pairs = list(zip(route_names, [p.name for p in path_view.params], strict=True))
            targets.append(RouteTarget(view, pairs))
        if not targets:
            continue
        parts = _PARAM.split(key)
        path = "".join(
            part
            if i % 2 == 0
            # path addressing (`root:/{item-path}:`): the value may hold slashes
            else f"{{{route_names[i // 2]}{':path' if parts[i - 1].endswith(':/') else ''}}}"
            for i, part in enumerate(parts)
        )
        result.append(RouteView(targets[0].operation.http_method, path, targets))
    result.sort(key=lambda r: (_specificity(r.path), r.http_method))
    return result


def _specificity(path: str) -> list[tuple[int, str]]:
    """Literal segments sort before parameters at the same depth (`/users/delta` first)."""
    return [(1 if "{" in seg else 0, seg) for seg in path.strip("/").split("/")]
