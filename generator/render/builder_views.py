"""What `builders.py.jinja` and `client.py.jinja` receive (see `generator.render.view` for the
template contract): one `BuilderModule` per first path segment, its `NodeView` classes, their
`VerbView` verbs and `EdgeView` members, and the client's `RootView` attributes. Planned by
`generator.render.view_builders`.

The code pieces a verb or member needs (parameters, the `_send` arguments, the expression a
step adds to the path) are built here from validated names and `Code`, as `NestedCall` / `Sum`
where the layout helpers may split them (`generator.render.layout`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.model.names import ClassName, PythonIdentifier
from generator.render.jinja import Code, pystr
from generator.render.layout import NestedCall, Sum


@dataclass(frozen=True)
class ArgView:
    """A keyword or positional argument of a builder member."""

    name: PythonIdentifier
    wire: str  # doc text: the OData argument name (function) or path parameter
    quoted: bool = False  # a function argument documented as `'{x}'`
    annotation: Code = field(default_factory=lambda: Code("typing.Any"))


@dataclass(frozen=True)
class StepView:
    """How one segment extends the path: `kind` picks the expression (`expr`)."""

    kind: str  # literal | key | alternate_key | paren_key | path | call
    text: str  # doc text: the literal (`/messages`), or the function / argument name
    args: list[ArgView] = field(default_factory=list)

    @property
    def expr(self) -> Code:
        """The expression the step adds to the path (`"/" + _b.key(user_id)`)."""
        if self.kind == "key":
            return Sum.of([Code('"/"'), NestedCall.of("_b.key", [str(self.args[0].name)])])
        if self.kind == "paren_key":
            return Sum.of([Code('"("'), NestedCall.of("_b.literal", [str(self.args[0].name)]), Code('")"')])
        if self.kind == "path":
            return Sum.of([Code('":/"'), NestedCall.of("_b.item_path", [str(self.args[0].name)]), pystr(self.text)])
        if self.kind in ("alternate_key", "call"):
            listed = NestedCall.of(
                "", [NestedCall.of("", [pystr(a.wire), str(a.name), str(a.quoted)]) for a in self.args], "[]"
            )
            called = NestedCall.of("_b.call", [pystr(self.text if self.kind == "call" else ""), listed])
            return called if self.kind == "alternate_key" else Sum.of([Code('"/"'), called])
        return pystr(self.text)


@dataclass(frozen=True)
class EdgeView:
    """A member of a builder leading to another builder."""

    name: PythonIdentifier
    is_property: bool
    target: ClassName
    step: StepView
    path: str  # doc text: the canonical path of the target

    @property
    def params(self) -> list[Code]:
        """The member's parameters: keywords for a function's arguments, else positional."""
        if self.is_property:
            return [Code("self")]
        if self.step.kind == "call":
            star = [Code("*")] if self.step.args else []
            return [Code("self"), *star, *(Code(f"{a.name}: {a.annotation} = None") for a in self.step.args)]
        return [Code("self"), *(Code(f"{a.name}: {a.annotation}") for a in self.step.args)]

    @property
    def returns(self) -> Code:
        return Code(f"{self.target}[_b.C]")

    @property
    def args(self) -> list[Code]:
        """The arguments of the target builder: the client and the longer path."""
        return [Code("self._client"), Sum.of([Code("self._path"), self.step.expr])]


@dataclass(frozen=True)
class VerbView:
    """A member of a builder that sends a route's request."""

    name: PythonIdentifier
    verb: str  # list | get | create | update | put | delete | call (an action, function, $count)
    title: str  # doc text: the operation's title
    method: str  # the route's HTTP method
    path: str  # doc text: the route's path template
    step: StepView | None  # a collapsed action / function: the last segment
    options: Code  # `_b.ListOptions`, `_b.GetOptions`, `_b.Options`
    returns: Code  # the sync result's annotation
    decode: Code  # `_b.model(models.User)`
    item: Code | None  # `list`: the item model (`iter` walks the pages)
    body: str  # none | model | inline | raw
    body_annotation: Code | None
    body_args: list[ArgView]
    body_class: Code | None  # `ops_users.UserAssignLicenseBody`
    page: str  # doc text: the source page
    # A verb without parameters of its own is data: `kind` names its `_b` verb class (List,
    # Get, Send, Body, AnyBody); None: a method (function arguments, action parameters).
    kind: str | None = None
    suffix: str = ""  # doc text: the literal last segment a data verb adds (`/delta`)
    body_model: Code | None = None  # `Body`: the model class of the request body

    @property
    def doc(self) -> str:
        return f"{self.title}\n\n{self.method} {self.path}\n\nFrom {self.page}."

    def _keywords(self) -> list[ArgView]:
        return (self.step.args if self.step else []) + self.body_args

    def params(self, owner: ClassName, mode: str) -> list[Code]:
        """A method verb's parameters; `mode` "sync" / "async" types `self` for an overload."""
        typed = {"sync": f": {owner}[_b.Sync]", "async": f": {owner}[_b.Async]"}.get(mode, "")
        out = [Code("self" + typed)]
        if self.body == "model":
            out.append(Code(f"body: {self.body_annotation}"))
        elif self.body == "raw":
            out.append(Code("body: typing.Any = None"))
        if self._keywords():
            out.append(Code("*"))
            out.extend(Code(f"{a.name}: {a.annotation} = None") for a in self._keywords())
        out.append(Code(f"**options: typing.Unpack[{self.options}]"))
        return out

    @property
    def awaitable(self) -> Code:
        return Code(f"typing.Awaitable[{self.returns}]")

    @property
    def send_args(self) -> list[Code]:
        """The arguments of the method verb's `self._send(...)`."""
        more = (["body"] if self.body in ("model", "raw") else []) + [str(a.name) for a in self._keywords()]
        listed = NestedCall.of("", [pystr(m) for m in more]) if len(more) > 1 else Code(f"({pystr(more[0])},)") if more else None
        check_args = ["options", str(self.options), pystr(self.name)] + ([listed] if listed is not None else [])
        out: list[Code] = [pystr(self.method), self.decode, NestedCall.of("_b.check", check_args)]
        if self.step is not None:
            out.append(self.step.expr)
        elif self.body != "none":
            out.append(pystr(""))
        if self.body == "model":
            out += [Code("body"), Code("True")]
        elif self.body == "raw":
            out += [Code("body"), Code("body is not None")]
        elif self.body == "inline":
            given = NestedCall.of("_b.present", [f"{_python_name(a.wire)}={a.name}" for a in self.body_args])
            out += [NestedCall.of(f"{self.body_class}.model_validate", [given]), Code("True")]
        return out


@dataclass
class NodeView:
    """One builder class: a path prefix that routes go through or end at."""

    class_name: ClassName
    path: str  # doc text
    edges: list[EdgeView] = field(default_factory=list)
    verbs: list[VerbView] = field(default_factory=list)


@dataclass
class BuilderModule:
    """The builders under one first segment: `builders/<module>.py`."""

    module: PythonIdentifier
    nodes: list[NodeView] = field(default_factory=list)
    # `operations/<group>.py` modules holding request bodies: (group, alias)
    body_modules: list[tuple[PythonIdentifier, PythonIdentifier]] = field(default_factory=list)
    sources: tuple[str, ...] = ()

    def _texts(self) -> list[str]:
        return [
            str(v.returns) + str(v.decode) + str(v.body_annotation) + "".join(str(a.annotation) for a in v.body_args)
            for n in self.nodes
            for v in n.verbs
        ]

    @property
    def uses_typing(self) -> bool:
        """A verb is a method (its overloads name `typing`)."""
        return any(v.kind is None for n in self.nodes for v in n.verbs)

    @property
    def uses_models(self) -> bool:
        return any("models." in t for t in self._texts())

    @property
    def uses_pydantic(self) -> bool:
        return any("pydantic." in t for t in self._texts())

    @property
    def uses_base(self) -> bool:
        return any("_base." in t for t in self._texts())

    @property
    def uses_builtins(self) -> bool:
        texts = [str(v.returns) + str(v.decode) + "".join(str(a.annotation) for a in v.body_args) for n in self.nodes for v in n.verbs]
        return any("builtins." in t for t in texts)


@dataclass(frozen=True)
class RootView:
    """A property of `Client` / `AsyncClient`: the builder of a first segment."""

    name: PythonIdentifier
    module: PythonIdentifier
    target: ClassName
    text: str  # doc text: `/users`


@dataclass
class BuilderPlan:
    modules: list[BuilderModule] = field(default_factory=list)
    roots: list[RootView] = field(default_factory=list)
    recipes: dict[str, dict[str, Any]] = field(default_factory=dict)  # route name -> call recipe


def _python_name(value: object) -> str:
    """A body parameter's field name: a validated identifier (never doc text)."""
    if not isinstance(value, PythonIdentifier):
        raise TypeError(f"not a validated identifier: {value!r}")
    return str(value)
