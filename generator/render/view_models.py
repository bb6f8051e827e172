"""Model views: IR types to class names, module names, fields and Python type annotations.

Names come only from `generator.model.names`; collisions after sanitising are resolved in
sorted order by `unique_names` and reported as D601. Primitive mapping, chosen so that every
documented value that loads dumps back to the same JSON:
String, Guid, Duration, TimeOfDay, Binary, Stream -> str (a Guid placeholder such as "{id}"
or a Duration "PT1H" round-trips exactly; a UUID or timedelta would rewrite it);
DateTimeOffset / Date -> `_base.DateTimeOffset` / `_base.Date` (datetime / date subclasses that
keep their original text); integers -> StrictInt; Boolean -> StrictBool; Double / Single
-> `_base.Double` (a number, or "NaN" / "INF" / "-INF", kept as written); Decimal ->
`_base.Decimal` (a `decimal.Decimal`, written back with the digits it was read with);
Json / Object and unknown types -> typing.Any.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field
from typing import Any, TypeVar

from generator.diagnostics import Diagnostic, make
from generator.model.ir import Api, Property, TypeDef, TypeRef, type_key
from generator.model.names import (
    AttributeName,
    ClassName,
    ConstantName,
    PythonIdentifier,
    unique_names,
)
from generator.render.jinja import Code
from generator.render.view import FieldView, ImportView, MemberView, ModelView

_PRIMITIVES: dict[str, str] = {
    "String": "str",
    "Guid": "str",
    "Duration": "str",
    "TimeOfDay": "str",
    "Binary": "str",
    "Stream": "str",
    "DateTimeOffset": "_base.DateTimeOffset",
    "Date": "_base.Date",
    "Int16": "pydantic.StrictInt",
    "Int32": "pydantic.StrictInt",
    "Int64": "pydantic.StrictInt",
    "Byte": "pydantic.StrictInt",
    "SByte": "pydantic.StrictInt",
    "Boolean": "pydantic.StrictBool",
    "Double": "_base.Double",
    "Single": "_base.Double",
    "Decimal": "_base.Decimal",
}
_N = TypeVar("_N", bound=str)


@dataclass
class ModelNames:
    """Class and module name of every type key, decided once for the whole Api."""

    classes: dict[str, ClassName] = field(default_factory=dict)
    modules: dict[str, PythonIdentifier] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _qualified(t: TypeDef) -> str:
    """The documented name, prefixed by a namespace other than microsoft.graph."""
    ns = (t.namespace or "").strip()
    lowered = ns.lower()
    for prefix in ("microsoft.graph.", "microsoft."):
        if lowered.startswith(prefix):
            ns = ns[len(prefix) :]
            break
    if ns.lower() in ("", "graph", "microsoft.graph", "microsoft"):
        return t.name
    return f"{ns} {t.name}"


def model_names(api: Api) -> ModelNames:
    names = ModelNames()
    keys = sorted(api.types)
    qualified = [_qualified(api.types[k]) for k in keys]
    classes = unique_names([str(ClassName(q)) for q in qualified])
    modules = unique_names([str(PythonIdentifier(q, prefix="type")) for q in qualified])
    for key, q, cls, mod in zip(keys, qualified, classes, modules, strict=True):
        names.classes[key] = trusted(ClassName, cls)
        names.modules[key] = trusted(PythonIdentifier, mod)
        t = api.types[key]
        if cls != ClassName(q) or mod != PythonIdentifier(q, prefix="type"):
            names.diagnostics.append(
                make(
                    t.source.path,
                    t.source.line,
                    "D601",
                    f"type `{t.name}` is generated as class {cls} in module {mod} (name taken)",
                )
            )
    return names


def base_chain(api: Api, key: str) -> list[str]:
    """Ancestors of `key`, nearest first; a type on an inheritance cycle gets no base at all."""
    chain: list[str] = []
    seen = {key}
    current = _base_key(api, key)
    while current is not None:
        if current in seen:
            return []
        seen.add(current)
        chain.append(current)
        current = _base_key(api, current)
    return chain


def _base_key(api: Api, key: str) -> str | None:
    base = api.types[key].base_type
    if not base:
        return None
    resolved = base if base in api.types else type_key(base)
    target = api.types.get(resolved)
    if target is None or target.kind in ("enum",) or resolved == key:
        return None
    return resolved


class ModelBuilder:
    """Builds one ModelView per type; field names are unique along the inheritance chain."""

    def __init__(self, api: Api, names: ModelNames) -> None:
        self.api, self.names = api, names
        self.diagnostics: list[Diagnostic] = []
        self._field_names: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {}

    def build(self, key: str) -> ModelView:
        t = self.api.types[key]
        common: dict[str, Any] = {
            "class_name": self.names.classes[key],
            "module": self.names.modules[key],
            "name": t.name,
            "odata_type": "#" + odata_name(t),
            "registry_key": odata_name(t).lower(),
            "description": model_doc(t),
            "sources": (t.source.path,) if t.source.path else (),
        }
        if t.kind == "enum":
            members = enum_members(t)
            for m in members:
                if m.name != ConstantName(m.value):
                    self.diagnostics.append(
                        make(
                            t.source.path,
                            t.source.line,
                            "D601",
                            f"member {m.value!r} of `{t.name}` is generated as {m.name}",
                        )
                    )
            return ModelView(kind="enum", base=None, members=members, **common)  # type: ignore[arg-type]
        chain = base_chain(self.api, key)
        base = (
            ImportView(self.names.modules[chain[0]], self.names.classes[chain[0]])
            if chain
            else None
        )
        real = {key, *chain}  # classes imported for real (or defined here): no deferral
        inherited = self.attribute_names(chain[0]) if chain else {}
        fields, imports, deferred = self.fields(t, t.properties + t.navigation, inherited, real)
        return ModelView(
            kind=t.kind,
            base=base,
            fields=fields,
            imports=imports,
            deferred=deferred,
            reason=t.placeholder_reason or "",
            open_type=t.open_type or t.kind == "placeholder",
            **common,  # type: ignore[arg-type]
        )

    def attribute_names(self, key: str) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Lower-cased JSON name -> (attribute, type signature) for a type and its ancestors."""
        if key not in self._field_names:
            chain = base_chain(self.api, key)
            inherited = self.attribute_names(chain[0]) if chain else {}
            t = self.api.types[key]
            own = self.assign(t, t.properties + t.navigation, inherited, report=False)
            self._field_names[key] = {
                **inherited,
                **{p.name.lower(): (n, signature(p.type)) for p, n, _ in own},
            }
        return self._field_names[key]

    def assign(
        self,
        t: TypeDef,
        props: list[Property],
        inherited: dict[str, tuple[str, tuple[str, ...]]],
        report: bool = True,
    ) -> list[tuple[Property, str, bool]]:
        """Own properties (first of each JSON name) with unique attribute names, and whether
        each overrides an inherited one with another type (same attribute name then).

        An inherited property documented again with the same type is left to the base class.
        """
        own: dict[str, Property] = {}  # by exact JSON name: `id` and `Id` are two properties
        for p in props:
            if p.name.strip():
                own.setdefault(p.name, p)
        # Names that are identifiers already choose first: `plus` keeps `plus`, `+plus` gets
        # `plus_2`; then sorted, so the result does not depend on the documented order.
        fresh = sorted(
            (p for k, p in own.items() if k.lower() not in inherited),
            key=lambda p: (not p.name.isidentifier(), p.name),
        )
        wanted = [attribute_name(p.name) for p in fresh]
        taken = sorted({attr for attr, _ in inherited.values()})
        given = unique_names(taken + wanted)[len(taken) :]
        result = {p.name: (g, False) for p, g in zip(fresh, given, strict=True)}
        for k, p in own.items():
            if k.lower() in inherited and inherited[k.lower()][1] != signature(p.type):
                result[k] = (inherited[k.lower()][0], True)
        if report:
            for p, want, got in zip(fresh, wanted, given, strict=True):
                if want != got:
                    self.diagnostics.append(
                        make(
                            p.source.path or t.source.path,
                            p.source.line or t.source.line,
                            "D601",
                            f"property `{p.name}` of `{t.name}` is generated as `{got}` "
                            f"(`{want}` is taken)",
                        )
                    )
        return [(p, *result[k]) for k, p in own.items() if k in result]

    def fields(
        self,
        t: TypeDef,
        props: list[Property],
        inherited: dict[str, tuple[str, tuple[str, ...]]],
        real: set[str],
        prefix: str = "",
    ) -> tuple[list[FieldView], list[ImportView], list[ImportView]]:
        """Field views; with `prefix` ("models.") every type is referenced through the package."""
        fields: list[FieldView] = []
        imports: set[tuple[str, str]] = set()
        deferred: set[tuple[str, str]] = set()
        for p, name, overrides in self.assign(t, props, inherited):
            ann = self.annotation(p.type, real, prefix)
            imports |= ann.imports
            deferred |= ann.deferred
            fields.append(
                FieldView(
                    name=trusted(PythonIdentifier, name),
                    json_name=p.name,
                    annotation=ann.code,
                    description=p.description,
                    lenient=ann.lenient,
                    read_only=p.read_only,
                    required=p.required,
                    overrides=overrides,
                )
            )
        as_views = [
            ImportView(trusted(PythonIdentifier, m), trusted(ClassName, c))
            for m, c in sorted(imports)
        ]
        later = [
            ImportView(trusted(PythonIdentifier, m), trusted(ClassName, c))
            for m, c in sorted(deferred)
        ]
        return fields, as_views, later

    def annotation(self, ref: TypeRef | None, real: set[str], prefix: str = "") -> Annotation:
        """The Python annotation of a TypeRef (always optional: Graph returns partial objects)."""
        if ref is None:
            return Annotation(Code("typing.Any"))
        if ref.primitive or (ref.name in _PRIMITIVES and not ref.resolved):
            single = _PRIMITIVES.get(ref.name)
            if single is None:
                return Annotation(Code("typing.Any"))
            return Annotation(
                Code(f"list[{single}] | None" if ref.collection else f"{single} | None")
            )
        key = ref.resolved if ref.resolved in self.api.types else type_key(ref.name, ref.namespace)
        target = self.api.types.get(key or "")
        if target is None or key is None:
            return Annotation(Code("typing.Any"))
        cls, module = self.names.classes[key], self.names.modules[key]
        result = Annotation(Code(""))
        if prefix:
            single = (
                f"{prefix}{cls}"
                if target.kind == "enum"
                else f"pydantic.SerializeAsAny[{prefix}{cls}]"
            )
        elif target.kind == "enum":
            single, result.imports = str(cls), {(str(module), str(cls))}
        elif key in real:
            single = f"pydantic.SerializeAsAny[{cls}]"
        else:
            single, result.deferred = str(cls), {(str(module), str(cls))}
        if target.kind == "placeholder":  # unknown shape: an object becomes the model, else kept
            single, result.lenient = f"{single} | typing.Any", True
            result.code = Code(f"list[{single}] | None" if ref.collection else single)
            return result
        result.code = Code(f"list[{single}] | None" if ref.collection else f"{single} | None")
        return result


@dataclass
class Annotation:
    code: Code
    imports: set[tuple[str, str]] = field(default_factory=set)
    deferred: set[tuple[str, str]] = field(default_factory=set)
    lenient: bool = False


def trusted(kind: type[_N], name: str) -> _N:
    """Wrap a name made by `unique_names` from sanitised names (`x` -> `x_2`) without
    re-sanitising it (ClassName would turn `Job_2` into `Job2`); it is an identifier already."""
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"not a safe identifier: {name!r}")
    return str.__new__(kind, name)


def signature(ref: TypeRef | None) -> tuple[str, ...]:
    """What a property's type is, to tell whether a subclass redefines an inherited one."""
    if ref is None:
        return ("",)
    if ref.primitive or (ref.name in _PRIMITIVES and not ref.resolved):
        # primitives by their Python type: `Guid` redefining a `String` is the same attribute
        name = "py:" + _PRIMITIVES.get(ref.name, "typing.Any")
    else:
        name = ref.resolved or type_key(ref.name, ref.namespace)
    return (name, "collection" if ref.collection else "")


def model_doc(t: TypeDef) -> str:
    if t.kind == "placeholder":
        return (
            f"Placeholder for `{t.name}`: no page documents this type.\n\n"
            f"{t.placeholder_reason or t.description}\n\n"
            "Any properties read are kept in `additional_data` (set them there too), and where "
            "it is expected, a value that is not an object is kept as it is."
        )
    if t.kind == "enum":
        text = t.description or f"The `{t.name}` values."
        return f"{text}\n\nValues not listed here are accepted as they are (open enum)."
    text = t.description or f"The `{t.name}` type."
    if t.open_type:
        text += "\n\nAn open type: its dynamic properties go in `additional_data`."
    return text


def attribute_name(json_name: str) -> str:
    """The attribute of a documented property (see `AttributeName`: builtins such as `id` are
    kept, keywords and names a pydantic model inherits get a trailing `_`)."""
    return str(AttributeName(json_name))


def odata_name(t: TypeDef) -> str:
    """`microsoft.graph.synchronizationJob` (namespace as documented, default microsoft.graph)."""
    ns = (t.namespace or "microsoft.graph").strip() or "microsoft.graph"
    return f"{ns}.{t.name}"


def enum_members(t: TypeDef) -> list[MemberView]:
    """Members by wire value (first spelling wins); constant names unique in sorted order."""
    seen: dict[str, str] = {}
    for m in t.members:
        if m.name and m.name not in seen:
            seen[m.name] = m.description
    ordered = sorted(seen, key=lambda v: (not v.isidentifier(), v))  # `plus` before `+plus`
    constants = unique_names([str(ConstantName(v)) for v in ordered])
    renamed = dict(zip(ordered, constants, strict=True))
    return [MemberView(trusted(ConstantName, renamed[v]), v, d) for v, d in seen.items()]
