"""The fluent client's request builders, planned from the routes (`Api.routes`).

Every route's canonical path is walked from the client, one *step* per segment:

| segment | member of the builder | sends |
|---|---|---|
| entity set, singleton, navigation | property `users`, `mail_folders` | `/users` |
| key `{user-id}` | `.by_id(user_id)` | `/u1` (percent-encoded) |
| alternate key `(appId='{appId}')` | `.by_app_id(app_id)` | `(appId='x')` |
| function `getX(period='{period}')` | `.get_x(period=...)` | `/getX(period='D7')` (OData literals) |
| path addressing `root:/{item-path}:` | `.root.by_path(item_path)` | `/root:/a/b.txt:` |
| cast `microsoft.graph.user` | `.as_user` | `/microsoft.graph.user` |
| `$value`, `$ref` | `.content`, `.ref` | `/$value`, `/$ref` |

A route's verb is a method of the builder of its full path: `list` (and `iter`) for a GET of a
collection, `get`, `create` (POST), `update` (PATCH), `put`, `delete`. A bound action or
function, or `$count`, that ends a route and starts no other is a method of its parent
builder performing the request (`.send_mail(...)`, `.delta()`, `.count()`).

Also planned here: the call recipe of each route (the steps and verb a test takes to call it,
and the path it must send for dummy arguments), written into the route's fixture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.model.ir import Api, Route, Segment
from generator.model.names import ClassName, PythonIdentifier
from generator.render.builder_views import (
    ArgView,
    BuilderModule,
    BuilderPlan,
    EdgeView,
    NodeView,
    RootView,
    StepView,
    VerbView,
)
from generator.render.jinja import Code
from generator.render.layout import natural_key
from generator.render.view import OperationView
from generator.render.view_models import trusted

_PARAM = re.compile(r"\{([^{}]*)\}")
VERBS = ("list", "iter", "get", "create", "update", "put", "delete")
_VERB_OF = {"POST": "create", "PATCH": "update", "PUT": "put", "DELETE": "delete"}
_COLLAPSED = ("action", "function", "count")
_LIST_OUTSIDE = re.compile(r"(?<![\w.])list\[")


@dataclass
class _Step:
    kind: str  # nav | key | alternate_key | paren_key | path | function | action | cast | value | ref | count
    text: str  # canonical text of this step (for the tree key and literal steps)
    name: str
    params: list[str] = field(default_factory=list)
    quoted: list[bool] = field(default_factory=list)
    args: list[str] = field(default_factory=list)  # function argument names
    display: str = ""  # the canonical text this step adds to the path


@dataclass
class _Node:
    key: tuple[str, ...]
    path: str
    words: list[str]
    children: dict[str, tuple[_Step, _Node]] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)  # routes ending here


def _steps(route: Route) -> list[_Step]:
    out: list[_Step] = []
    for s in route.segments:
        before = len(out)
        if s.kind in ("root", "navigation"):
            out.append(_Step("nav", "/" + s.text, s.name))
        elif s.kind == "key":
            out.append(_Step("key", "/{}", s.name, list(s.params)))
        elif s.kind == "alternate_key":
            args = _call_args(s)
            out.append(_Step("nav", "/" + s.name, s.name))
            out.append(_Step("alternate_key", s.text[len(s.name) :], s.name, list(s.params), [q for _, q in args], [a for a, _ in args]))
        elif s.kind == "paren_key":
            out.append(_Step("nav", "/" + s.name, s.name))
            out.append(_Step("paren_key", "({})", s.name, list(s.params), ["'" in s.text]))
        elif s.kind == "path":
            if s.name:
                out.append(_Step("nav", "/" + s.name, s.name))
            closing = ":" if s.text.endswith(":") else ""
            out.append(_Step("path", ":/{}" + closing, s.name, list(s.params)))
        elif s.kind == "function" and "(" in s.text:
            args = _call_args(s)
            out.append(_Step("function", "/" + s.name + "()", s.name, list(s.params), [q for _, q in args], [a for a, _ in args]))
        elif s.kind in ("function", "action", "cast"):
            out.append(_Step(s.kind, "/" + s.text, s.name))
        else:  # value, ref, count
            out.append(_Step(s.kind, "/" + s.text, s.kind))
        added = out[before:]
        for step in added:
            step.display = step.text
        if s.kind in ("alternate_key", "paren_key", "path"):
            added[-1].display = s.text[len(s.name) :]
        elif s.kind == "key" or (s.kind == "function" and "(" in s.text):
            added[-1].display = "/" + s.text
    return out


def _call_args(s: Segment) -> list[tuple[str, bool]]:
    inner = s.text[s.text.index("(") + 1 : -1]
    found = re.findall(r"([A-Za-z_][\w.]*)=('?)\{", inner)
    return [(name, bool(q)) for name, q in found]


def _member_name(step: _Step) -> str:
    if step.kind == "key":
        return "by_id"
    if step.kind == "alternate_key":
        return "by_" + str(PythonIdentifier(step.args[0] if step.args else "key"))
    if step.kind == "paren_key":
        return "by_id"
    if step.kind == "path":
        return "by_path"
    if step.kind == "cast":
        return "as_" + str(PythonIdentifier(step.name))
    if step.kind == "value":
        return "content"
    if step.kind == "ref":
        return "ref"
    if step.kind == "count":
        return "count"
    return str(PythonIdentifier(step.name, prefix="segment"))


def _class_words(step: _Step) -> list[str]:
    if step.kind == "nav":
        return [step.name]
    if step.kind == "key":
        return ["item"]
    if step.kind in ("alternate_key", "paren_key", "path"):
        return ["by"] + (step.args or step.params or ["key"])
    if step.kind == "cast":
        return ["as", step.name]
    return [step.name]


# The Python type a bound function's parameter takes, from the type its parameter table
# documents (OData primitive -> Python); anything else (dates, enums, complex values) stays
# `typing.Any` and is written by `_builders.literal`. A `RawLiteral` is always accepted.
_FUNCTION_PARAMETER_PYTHON = {
    "String": "str",
    "Guid": "str",
    "Boolean": "bool",
    "Byte": "int",
    "SByte": "int",
    "Int16": "int",
    "Int32": "int",
    "Int64": "int",
    "Double": "float",
    "Single": "float",
}


def _function_parameter_types(routes: list[Route]) -> dict[str, str]:
    """Lower-cased parameter name -> documented primitive type name, over the routes' pages
    (function parameter tables are read as query or path parameters)."""
    found: dict[str, str] = {}
    for route in routes:
        op = route.operation
        for param in (*op.query_params, *op.path_params):
            t = param.type
            if t is not None and t.primitive and not t.collection:
                found.setdefault(param.name.lower(), t.name)
    return found


def _annotation_of(primitive: str | None) -> str:
    python = _FUNCTION_PARAMETER_PYTHON.get(primitive or "")
    return f"{python} | _b.RawLiteral | None" if python else "typing.Any"


class BuilderPlanner:
    def __init__(self, api: Api, views: dict[str, OperationView], body_modules: dict[str, str]) -> None:
        self.api, self.views, self.body_modules = api, views, body_modules
        self.root = _Node((), "", [])
        self.plan = BuilderPlan()

    def build(self) -> BuilderPlan:
        for route in self.api.routes:
            if route.name not in self.views:
                continue
            node = self.root
            for step in _steps(route):
                tree_key = step.text
                if tree_key not in node.children:
                    child = _Node(node.key + (tree_key,), node.path + step.display, node.words + _class_words(step))
                    node.children[tree_key] = (step, child)
                node = node.children[tree_key][1]
            node.routes.append(route)
        root_names: set[str] = set()
        for tree_key, (step, child) in sorted(self.root.children.items()):
            if step.kind != "nav":
                continue  # a first segment that is no entity set or singleton (not reachable)
            module = BuilderModule(trusted(PythonIdentifier, str(PythonIdentifier(step.name, prefix="root"))))
            if any(m.module == module.module for m in self.plan.modules):
                module = BuilderModule(trusted(PythonIdentifier, f"{module.module}_{len(self.plan.modules)}x"))
            classes: dict[int, ClassName] = {}
            self._name_classes(child, classes, set())
            name = _member_name(step)
            if name in root_names or name in ("close", "aclose"):
                name = f"{name}_{module.module}"
            root_names.add(name)
            entry = {"name": name, "property": True, "keyword": False, "args": []}
            self._emit(child, module, classes, [entry])
            module.nodes.sort(key=lambda n: n.class_name)
            self.plan.modules.append(module)
            self.plan.roots.append(
                RootView(trusted(PythonIdentifier, name), module.module, classes[id(child)], step.text)
            )
        return self.plan

    def _name_classes(self, node: _Node, classes: dict[int, ClassName], taken: set[str]) -> None:
        base = str(ClassName(" ".join(node.words) or "root"))
        name = base
        while name in taken or name in ("Node", "Page"):
            name += "Builder"
        taken.add(name)
        classes[id(node)] = trusted(ClassName, name)
        for _, (_, child) in sorted(node.children.items()):
            self._name_classes(child, classes, taken)

    def _emit(self, node: _Node, module: BuilderModule, classes: dict[int, ClassName], trail: list[dict[str, Any]]) -> None:
        view = NodeView(classes[id(node)], node.path)
        taken: set[str] = set()
        for route in sorted(node.routes, key=lambda r: r.method):
            verb = self._verb(route, None, taken, module)
            if verb is not None:
                view.verbs.append(verb)
                self._recipe(route, trail, {"name": str(verb.name), "verb": verb.verb})
        for tree_key, (step, child) in sorted(node.children.items(), key=lambda kv: (kv[1][0].kind != "nav", kv[0])):
            collapse = step.kind in _COLLAPSED and not child.children and len(child.routes) == 1
            if collapse:
                route = child.routes[0]
                verb = self._verb(route, step, taken, module)
                if verb is not None:
                    view.verbs.append(verb)
                    args = [str(a.name) for a in verb.step.args] if verb.step else []
                    self._recipe(route, trail, {"name": str(verb.name), "verb": "call", "args": args})
                continue
            name = _unique(_member_name(step), taken)
            step_view = self._step_view(step, child.routes + _descendant_routes(child))
            is_property = step.kind in ("nav", "cast", "value", "ref", "action", "count")
            view.edges.append(EdgeView(trusted(PythonIdentifier, name), is_property, classes[id(child)], step_view, child.path))
            entry = {
                "name": name,
                "property": is_property,
                "keyword": step_view.kind == "call",
                "args": [str(a.name) for a in step_view.args],
            }
            self._emit(child, module, classes, trail + [entry])
        module.nodes.append(view)
        module.sources = tuple(sorted(set(module.sources) | {v.page for v in view.verbs if v.page}))

    def _step_view(self, step: _Step, routes: list[Route]) -> StepView:
        idents = self._idents(routes)
        if step.kind == "key":
            return StepView("key", "", [ArgView(idents.get(step.params[0], _ident(step.params[0])), step.params[0], annotation=Code("str"))])
        if step.kind == "alternate_key" or (step.kind == "function" and step.text.endswith("()")):
            types = _function_parameter_types(routes) if step.kind == "function" else {}
            args = [
                ArgView(
                    idents.get(p, _ident(p)),
                    a,
                    q,
                    Code(_annotation_of(types.get(a.lower()) or types.get(p.lower()))),
                )
                for p, a, q in zip(step.params, step.args, step.quoted, strict=False)
            ]
            return StepView("call" if step.kind == "function" else "alternate_key", step.name if step.kind == "function" else "", args)
        if step.kind == "paren_key":
            return StepView("paren_key", "", [ArgView(idents.get(step.params[0], _ident(step.params[0])), step.params[0], bool(step.quoted and step.quoted[0]), Code("str"))])
        if step.kind == "path":
            return StepView("path", ":" if step.text.endswith(":") else "", [ArgView(idents.get(step.params[0], _ident(step.params[0])), step.params[0], annotation=Code("str"))])
        return StepView("literal", step.text)

    def _idents(self, routes: list[Route]) -> dict[str, PythonIdentifier]:
        """Canonical parameter name -> the argument name the route's operation view uses."""
        out: dict[str, PythonIdentifier] = {}
        for route in routes:
            view = self.views.get(route.name)
            if view is None:
                continue
            for pv in view.paths:
                if pv.template == route.path:
                    for p in pv.params:
                        out.setdefault(p.wire, p.name)
        return out

    def _verb(self, route: Route, step: _Step | None, taken: set[str], module: BuilderModule) -> VerbView | None:
        op = self.views[route.name]
        kind = op.response_kind
        last = route.segments[-1]
        if last.kind == "value" and route.method == "GET":
            kind = "stream"
        if step is not None:
            name, verb = _member_name(step), "call"
        elif route.method == "GET":
            name = verb = "list" if kind == "collection" else "get"
        else:
            name = verb = _VERB_OF.get(route.method, route.method.lower())
        name = _unique(name, taken)
        if verb == "list":
            taken.add("iter")
        returns, decode, item = _result(op, kind)
        options = "_b.ListOptions" if kind == "collection" and route.method == "GET" else "_b.GetOptions" if route.method == "GET" else "_b.Options"
        body_class = None
        if op.body_kind == "inline" and op.body_class is not None:
            group = self.body_modules.get(route.name)
            if group is not None:
                alias = trusted(PythonIdentifier, f"ops_{group}")
                pair = (trusted(PythonIdentifier, group), alias)
                if pair not in module.body_modules:
                    module.body_modules.append(pair)
                    module.body_modules.sort(key=lambda p: natural_key(str(p[0])))  # as isort
                body_class = Code(f"{alias}.{op.body_class}")
        body = op.body_kind if op.body_kind != "inline" or body_class is not None else "none"
        body_args = [
            ArgView(a.name, a.wire, False, Code(_optional(_LIST_OUTSIDE.sub("builtins.list[", str(a.annotation)))))
            for a in op.body_args
        ] if body == "inline" else []
        body_annotation = None
        if body == "model" and op.body_annotation is not None:
            body_annotation = Code(f"{op.body_annotation} | typing.Mapping[str, typing.Any]")
        step_view = self._step_view(step, [route]) if step is not None else None
        data_kind = _data_kind(route.method, options, body, body_args, step_view, op.body_annotation)
        return VerbView(
            name=trusted(PythonIdentifier, name),
            verb=verb,
            title=op.title,
            method=route.method,
            path=route.path,
            step=step_view,
            options=Code(options),
            returns=Code(_LIST_OUTSIDE.sub("builtins.list[", str(returns))),
            decode=Code(_LIST_OUTSIDE.sub("builtins.list[", str(decode))),
            item=item,
            body=body,
            body_annotation=body_annotation,
            body_args=body_args,
            body_class=body_class,
            page=op.sources[0] if op.sources else "",
            kind=data_kind,
            suffix=step_view.text if data_kind and step_view is not None else "",
            body_model=Code(str(op.body_annotation)) if data_kind == "Body" else None,
        )

    def _recipe(self, route: Route, trail: list[dict[str, Any]], verb: dict[str, Any]) -> None:
        view = self.views[route.name]
        idents = self._idents([route])
        dummies: dict[str, Any] = {}
        expected = route.path
        for n, seg in enumerate(route.segments):
            quoted_args = dict(_call_args(seg)) if "(" in seg.text and seg.kind != "paren_key" else {}
            for p in seg.params:
                ident = str(idents.get(p, _ident(p)))
                if seg.kind == "key":
                    value: Any = f"k{n}"
                    text = value
                elif seg.kind == "path":
                    value = f"folder{n}/file.txt"
                    text = value
                elif seg.kind == "paren_key":
                    value = f"k{n}"
                    text = value if "'" in seg.text else f"'{value}'"
                else:
                    arg = next((a for a, c in zip(_arg_names(seg.text), seg.params, strict=False) if c == p), p)
                    if quoted_args.get(arg, False):
                        value, text = f"v{n}", f"v{n}"
                    else:
                        value, text = n + 1, str(n + 1)
                dummies[ident] = value
                expected = expected.replace("{" + p + "}", text, 1)
        # A step shared by several routes names its argument once, maybe after another route's
        # spelling: the recipe's arguments take the names of the steps that receive them (in
        # path order), and `rename` maps this route's own argument names to those.
        order = [str(idents.get(p, _ident(p))) for seg in route.segments for p in seg.params]
        names = [str(a) for entry in trail for a in entry["args"]] + [str(a) for a in verb.get("args", [])]
        rename: dict[str, str] = {}
        if len(names) == len(order) == len(set(order)) == len(set(names)) and names != order:
            rename = {old: new for old, new in zip(order, names, strict=True) if old != new}
            dummies = {rename.get(k, k): v for k, v in dummies.items()}
        self.plan.recipes[route.name] = {
            "rename": rename,
            "unquoted": sorted(k for k, v in dummies.items() if isinstance(v, int)),
            "steps": trail,
            "verb": verb,
            "walk": {"args": dummies, "path": expected, "method": route.method},
            "body": view.body_kind,
        }


def _arg_names(text: str) -> list[str]:
    if "(" not in text:
        return []
    return [a for a, _ in _call_args(Segment("function", text, ""))]


def _descendant_routes(node: _Node) -> list[Route]:
    out: list[Route] = []
    for _, (_, child) in sorted(node.children.items()):
        out.extend(child.routes)
        out.extend(_descendant_routes(child))
    return out


def _optional(annotation: str) -> str:
    return annotation if annotation == "typing.Any" or annotation.endswith("| None") else f"{annotation} | None"


def _ident(name: str) -> PythonIdentifier:
    return PythonIdentifier(name, prefix="param")


def _unique(name: str, taken: set[str]) -> str:
    candidate = name
    while candidate in taken:
        candidate += "_"
    taken.add(candidate)
    return candidate


def _result(op: OperationView, kind: str) -> tuple[str, str, Code | None]:
    model = str(op.response_model) if op.response_model is not None else None
    if kind == "collection" and model:
        return f"_b.Page[{model}] | None", f"_b.page({model})", Code(model)
    if kind == "model" and model:
        return f"{model} | None", f"_b.model({model})", None
    if kind == "value" and model:
        return model, f"_b.value(pydantic.TypeAdapter({model}))", None
    if kind == "stream":
        return "bytes", "_b.stream", None
    if kind == "redirect":
        return "str | bytes | None", "_b.redirect", None
    if kind == "none":
        return "None", "_b.none", None
    return "typing.Any", "_b.raw", None


_PLAIN_CLASS = re.compile(r"models\.\w+")


def _data_kind(
    method: str, options: str, body: str, body_args: list[ArgView], step: StepView | None, body_type: object
) -> str | None:
    """The `_b` verb class of a verb without parameters of its own, else None (a method)."""
    if body_args or (step is not None and (step.kind != "literal" or step.args)):
        return None
    if method == "GET":
        if body != "none":
            return None
        return "List" if options == "_b.ListOptions" else "Get"
    if body == "none":
        return "Send"
    if body == "raw":
        return "AnyBody"
    if body == "model" and body_type is not None and _PLAIN_CLASS.fullmatch(str(body_type)):
        return "Body"
    return None
