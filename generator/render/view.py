"""The template contract: what templates receive (built from the IR by `view_models`,
`view_operations` and `fixtures`; templates never see IR objects).

Every value a template prints must already be code: identifiers (`PythonIdentifier`,
`ClassName`, `ConstantName`), `Code` (type annotations, dotted module paths) or numbers. Doc
text (descriptions, titles, JSON names, paths, source pages) is plain `str` and must go through
a filter: `|pystr` (a Python string literal), `|docstring(indent)` (a triple-quoted literal)
or `|comment` (one line for a `#` comment). Printing doc text without a filter is a render error.

Layout helpers (globals, `generator.render.jinja`) write code as black lays it out, so the
formatter confirms instead of re-splitting: `call(function, args, indent, target=,
annotation=, key=, comma=, returns=)`, `signature(name, params, returns, indent, stub=)`,
`assign(target, annotation, value, indent)` and `import_from(module, names, indent)`. Their
pieces must be code too (or plain dotted names / types made of names written in the template).

Variables per template (all templates also get `package`, a `PackageView`, and `header`, the
generated-file header as a list of comment lines, each to be printed with `|comment`):

| template                | variables                                                   |
|-------------------------|-------------------------------------------------------------|
| `package_init.py.jinja` | -                                                           |
| `_base.py.jinja`, `_http.py.jinja`, `_server.py.jinja`, `tests_conftest.py.jinja`, `test_examples.py.jinja`: runtime and tests, no per-file variables |
| `model.py.jinja`        | `model`: ModelView (kind entity / complex / placeholder)   |
| `enum.py.jinja`         | `model`: ModelView (kind enum)                              |
| `models_init.py.jinja`  | `models`: list[ModelView], sorted by class name            |
| `operations.py.jinja`   | `group`: GroupView (request bodies documented as parameter tables) |
| `handlers.py.jinja`     | `group`: GroupView (server handlers, `group.routes`: the routes whose first target is in the group) |
| `builders.py.jinja`     | `module`: builder_views.BuilderModule (request builder classes of one first segment) |
| `client.py.jinja`       | `roots`: list[builder_views.RootView] (the client's attributes) |
| `_builders.py.jinja`, `builders_init.py.jinja`: runtime, no per-file variables |
| `server.py.jinja`       | `groups`: list[GroupView]                                   |

Fixtures (`<pkg>/fixtures/<method>.json`) and the server's route table (`<pkg>/routes.json`)
are data, written with `json.dumps`, not templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.model.names import ClassName, ConstantName, PythonIdentifier
from generator.render.jinja import Code


@dataclass(frozen=True)
class FieldView:
    """One model attribute (or one inline request-body parameter)."""

    name: PythonIdentifier  # snake_case attribute / keyword argument
    json_name: str  # doc text: the JSON property name (print with |pystr)
    annotation: Code  # e.g. `str | None`, `list[SynchronizationJob] | None`, `typing.Any`
    description: str  # doc text
    lenient: bool = False  # the type is a placeholder: non-object values are kept as they are
    read_only: bool = False
    required: bool = False  # inline body parameters documented as required
    overrides: bool = False  # redefines an inherited attribute with another type


@dataclass(frozen=True)
class MemberView:
    name: ConstantName
    value: str  # doc text: the wire value (print with |pystr)
    description: str


@dataclass(frozen=True)
class ImportView:
    module: PythonIdentifier  # sibling module in `models/`
    name: ClassName


@dataclass(frozen=True)
class ModelView:
    """A model class (entity, complex, placeholder) or an enum, one module each."""

    class_name: ClassName
    module: PythonIdentifier  # file `models/<module>.py`
    kind: str  # "entity" | "complex" | "placeholder" | "enum"
    name: str  # doc text: the documented type name
    odata_type: str  # doc text: "#microsoft.graph.synchronizationJob"
    registry_key: str  # doc text: lower-case `@odata.type` without '#', for dispatch
    description: str  # the docstring text (a default sentence when the page has none)
    base: ImportView | None  # the base class, None for GraphModel
    fields: list[FieldView] = field(default_factory=list)  # own fields, documented order
    members: list[MemberView] = field(default_factory=list)  # enums
    imports: list[ImportView] = field(default_factory=list)  # enums: imported at run time
    deferred: list[ImportView] = field(default_factory=list)  # models: resolved lazily
    reason: str = ""  # placeholders: the diagnostic
    sources: tuple[str, ...] = ()
    open_type: bool = False  # open types (and placeholders) take any constructor keyword

    @property
    def uses_pydantic(self) -> bool:
        return any("pydantic." in f.annotation for f in self.fields)

    @property
    def uses_base(self) -> bool:
        """The module names `_base`: its base class, a field, a deferred import or a type."""
        return not self.base or bool(self.fields or self.deferred)


@dataclass(frozen=True)
class ParamView:
    name: PythonIdentifier  # keyword argument
    wire: str  # doc text: `{name}` in the path template, or the JSON name of a body parameter
    required: bool = True
    annotation: Code = field(default_factory=lambda: Code("str"))


@dataclass(frozen=True)
class PathView:
    template: str  # doc text: the documented template, e.g. /users/{user-id}/events
    params: list[ParamView]  # in order of appearance, wire = template name


@dataclass(frozen=True)
class OperationView:
    """One route's operation: its handler method and verb (name = the route's name)."""

    method_name: PythonIdentifier
    operation_id: str  # doc text
    http_method: str  # "GET", "POST", ... (validated upper-case letters only)
    title: str
    description: str
    paths: list[PathView]  # usable paths, most parameters first (the client picks one)
    params: list[ParamView]  # path parameters: required ones first, then optional
    body_kind: str  # "none" | "model" | "inline" | "raw"
    body_annotation: Code | None  # `models.SynchronizationJob`, the inline class, typing.Any
    body_class: ClassName | None  # inline body class (defined in the group module)
    body_fields: list[FieldView]  # inline body parameters
    body_args: list[ParamView]  # keyword arguments for inline parameters (wire = field name)
    # "none" | "model" | "collection" | "value" (a primitive or enum, unwrapped from
    # `{"value": ...}`) | "stream" (bytes) | "redirect" (the `Location` URL) | "raw" (any JSON)
    response_kind: str
    response_model: Code | None  # `models.SynchronizationJob`; for "value" its annotation
    status: int  # documented success status
    sources: tuple[str, ...] = ()

    @property
    def media_paths(self) -> bool:
        """Some paths end with `/$value`: they return the entity's media (bytes), not its JSON."""
        return self.response_kind in ("model", "collection") and any(
            pv.template.endswith("/$value") for pv in self.paths
        )


@dataclass(frozen=True)
class RouteTarget:
    """An operation a route serves, and how the route's parameters become its arguments."""

    operation: OperationView
    params: list[tuple[PythonIdentifier, PythonIdentifier]]  # (route name, handler argument)


@dataclass(frozen=True)
class RouteView:
    """One server route: a canonical path template (parameters renamed to identifiers).

    Several operations may document the same method and path (Graph documents a polymorphic
    create once per subtype): the route serves them all, `targets[0]` (the first by id) first.
    """

    http_method: str
    path: str  # doc text: the route path with `{python_name}` parameters
    targets: list[RouteTarget]

    @property
    def operation(self) -> OperationView:
        return self.targets[0].operation


@dataclass(frozen=True)
class GroupView:
    """The operations whose first usable path starts with the same segment: one module."""

    module: PythonIdentifier  # file `operations/<module>.py`
    sync_class: ClassName
    async_class: ClassName
    operations: list[OperationView]
    sources: tuple[str, ...] = ()
    handlers_class: ClassName = field(
        default_factory=lambda: ClassName("Handlers")
    )  # server handlers
    routes: list[RouteView] = field(default_factory=list)  # their routes (module `handlers/`)

    @property
    def client_imports(self) -> Code:
        return Code(", ".join(sorted([str(self.sync_class), str(self.async_class)])))

    def uses(self, prefix: str) -> bool:
        """Whether the module's code mentions `prefix` (`typing.`, `models.`...): imports."""
        for op in self.operations:
            texts = [str(op.body_annotation or ""), str(op.response_model or "")]
            texts += [str(f.annotation) for f in op.body_fields]
            if any(prefix in t for t in texts):
                return True
            if prefix == "typing." and "raw" in (op.body_kind, op.response_kind):
                return True
            if prefix == "pydantic." and op.response_kind == "value":  # a TypeAdapter
                return True
            if prefix == "_base." and (
                "inline" == op.body_kind or op.response_kind == "collection"
            ):
                return True
        return False


@dataclass(frozen=True)
class PackageView:
    name: PythonIdentifier
    title: str  # doc text
    page_count: int
