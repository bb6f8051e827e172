"""JSON Schemas (OpenAPI 3.1 dialect) for the IR's types: components, property and parameter schemas.

Choices, for a Graph user:
- Properties are never `required` on resource types: Graph omits properties freely (`$select`,
  truncated examples, defaults), so only request-body parameter tables declare `required`.
- Nullability: OData's default is `Nullable=true` and Graph sends `null` for unset values, so a
  scalar or single-valued property is nullable unless its page says otherwise; collections
  are never null in OData JSON (they are empty) and stay plain arrays unless documented nullable.
- Navigation properties are ordinary, writable properties marked `x-ms-navigationProperty`
  (msgraph-metadata's convention): they appear in `$expand`ed responses and deep inserts.
- Enums are open-ended, `anyOf: [{enum: [...]}, {type: string}]`: Graph adds members over time
  (`unknownFutureValue`) and sends flag combinations, and generators map this to "enum or str".
- Placeholders (types no page defines) accept any JSON value: nothing says they are objects.
- Polymorphism: a type with subtypes carries a discriminator on `@odata.type`, mapping every
  `#namespace.name` of itself and its descendants to its component.
"""

from __future__ import annotations

import re
from typing import Any

from generator.model.ir import Api, Property, TypeDef, TypeRef, type_key
from generator.model.names import unique_names

SCHEMAS = "#/components/schemas/"
ERROR_SCHEMA = "ODataErrors.ODataError"
MAIN_ERROR_SCHEMA = "ODataErrors.MainError"
DEFAULT_NAMESPACE = "microsoft.graph"
ODATA_TYPE = "@odata.type"

PRIMITIVE_SCHEMAS: dict[str, dict[str, Any]] = {
    "String": {"type": "string"},
    "Boolean": {"type": "boolean"},
    "Byte": {"type": "integer", "format": "uint8"},
    "SByte": {"type": "integer", "format": "int8"},
    "Int16": {"type": "integer", "format": "int16"},
    "Int32": {"type": "integer", "format": "int32"},
    "Int64": {"type": "integer", "format": "int64"},
    "Single": {"type": "number", "format": "float"},
    "Double": {"type": "number", "format": "double"},
    "Decimal": {"type": "number", "format": "decimal"},
    "DateTimeOffset": {"type": "string", "format": "date-time"},
    "Date": {"type": "string", "format": "date"},
    "TimeOfDay": {"type": "string", "format": "time"},
    "Duration": {"type": "string", "format": "duration"},
    "Guid": {"type": "string", "format": "uuid"},
    "Binary": {"type": "string", "contentEncoding": "base64"},
    "Stream": {"type": "string", "format": "binary"},
    "Json": {},
    "Object": {},
}

_COMPONENT_NAME_BAD = re.compile(r"[^A-Za-z0-9._-]+")


def qualified_name(t: TypeDef) -> str:
    """`namespace.name` as Graph writes it in `@odata.type` (without the leading `#`)."""
    return f"{t.namespace or DEFAULT_NAMESPACE}.{t.name}"


def component_names(api: Api) -> dict[str, str]:
    """Map every `Api.types` key to a unique, valid component name (`microsoft.graph.user`)."""
    keys = sorted(api.types)
    wanted = [_COMPONENT_NAME_BAD.sub("_", qualified_name(api.types[k])) for k in keys]
    return dict(zip(keys, unique_names(wanted), strict=True))


def lookup_key(api: Api, name: str | None, namespace: str | None = None) -> str | None:
    """The `Api.types` key for a (possibly qualified, possibly unresolved) type name."""
    if not name:
        return None
    candidates = [name, name.lower(), type_key(name, namespace)]
    for prefix in (f"{DEFAULT_NAMESPACE}.", "graph."):
        if name.lower().startswith(prefix):
            candidates.append(type_key(name[len(prefix) :]))
    if "." in name:  # `microsoft.graph.security.alert` written as one dotted name
        ns, _, short = name.rpartition(".")
        candidates.append(type_key(short, ns))
    return next((c for c in candidates if c in api.types), None)


def ref(name: str) -> dict[str, Any]:
    return {"$ref": SCHEMAS + name}


class SchemaBuilder:
    """Turns TypeRefs and TypeDefs into schemas, given the component names of one Api."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.names = component_names(api)
        self.taken = set(self.names.values()) | {ERROR_SCHEMA, MAIN_ERROR_SCHEMA}

    def ref_key(self, type_ref: TypeRef) -> str | None:
        if type_ref.resolved in self.api.types:
            return type_ref.resolved
        return lookup_key(self.api, type_ref.name, type_ref.namespace)

    def single(self, type_ref: TypeRef) -> dict[str, Any]:
        """The schema of one value of `type_ref` (ignoring `collection`)."""
        if type_ref.primitive:
            return dict(PRIMITIVE_SCHEMAS.get(type_ref.name, {}))
        key = self.ref_key(type_ref)
        if key is None:  # resolve makes placeholders, so this only happens on hand-made IRs
            return {"description": f"Unresolved type `{type_ref.raw or type_ref.name}`."}
        return ref(self.names[key])

    def of(self, type_ref: TypeRef | None) -> dict[str, Any]:
        if type_ref is None:
            return {}
        one = self.single(type_ref)
        return {"type": "array", "items": one} if type_ref.collection else one

    def property(self, prop: Property, navigation: bool) -> dict[str, Any]:
        schema = self.of(prop.type)
        nullable = prop.nullable is True or (prop.nullable is None and not prop.type.collection)
        if nullable:
            schema = with_null(schema)
        if prop.description:
            schema["description"] = prop.description
        if prop.read_only:
            schema["readOnly"] = True
        if navigation:
            schema["x-ms-navigationProperty"] = True
        return schema

    def components(self) -> dict[str, Any]:
        """components.schemas: every type, plus the Graph error body."""
        subtypes = self._descendants()
        schemas: dict[str, Any] = {}
        for key in sorted(self.api.types):
            t = self.api.types[key]
            schemas[self.names[key]] = self.type_schema(t, subtypes.get(key, []))
        schemas.update(error_schemas())
        return schemas

    def type_schema(self, t: TypeDef, descendants: list[str]) -> dict[str, Any]:
        if t.kind == "enum":
            schema = enum_schema(t)
        elif t.kind == "placeholder":
            schema = {"x-doc2code-placeholder": True}
            reason = t.placeholder_reason or "no page defines this type"
            t_desc = f"Placeholder: {reason}"
            schema["description"] = f"{t.description}\n\n{t_desc}" if t.description else t_desc
        else:
            schema = self._object_schema(t, descendants)
        if t.description and "description" not in schema:
            schema["description"] = t.description
        if t.source.path:
            schema["x-doc2code-source"] = f"{t.source.path}:{t.source.line}"
        return schema

    def _object_schema(self, t: TypeDef, descendants: list[str]) -> dict[str, Any]:
        own: dict[str, Any] = {"type": "object", "properties": {}}
        inherited = self._inherited_names(t)
        for navigation, props in ((False, t.properties), (True, t.navigation)):
            for prop in props:
                if prop.name and prop.name not in inherited and prop.name not in own["properties"]:
                    own["properties"][prop.name] = self.property(prop, navigation)
        if t.open_type:
            own["additionalProperties"] = True
        base = lookup_key(self.api, t.base_type)
        base = base if base != t.key_name else None
        if base is None or self.api.types[base].kind not in ("entity", "complex"):
            own["properties"].setdefault(
                ODATA_TYPE, {"type": "string", "description": "The OData type, `#namespace.name`."}
            )
        schema: dict[str, Any] = own if base is None else {"allOf": [ref(self.names[base]), own]}
        if descendants:
            mapping = {f"#{qualified_name(t)}": SCHEMAS + self.names[t.key_name]}
            for key in descendants:
                mapping[f"#{qualified_name(self.api.types[key])}"] = SCHEMAS + self.names[key]
            schema["discriminator"] = {"propertyName": ODATA_TYPE, "mapping": mapping}
        return schema

    def _inherited_names(self, t: TypeDef) -> set[str]:
        """Property names an ancestor declares: pages often repeat them (`Inherited from
        entity`); the base's declaration stands, as in CSDL, so `allOf` never conflicts."""
        names: set[str] = set()
        seen = {t.key_name}
        base = lookup_key(self.api, t.base_type)
        while base is not None and base not in seen:
            seen.add(base)
            ancestor = self.api.types[base]
            if ancestor.kind not in ("entity", "complex"):
                break
            names.update(p.name for p in (*ancestor.properties, *ancestor.navigation))
            base = lookup_key(self.api, ancestor.base_type)
        return names

    def _descendants(self) -> dict[str, list[str]]:
        """Base key -> sorted keys of all its (transitive) object subtypes, cycles ignored."""
        parent: dict[str, str] = {}
        for key, t in self.api.types.items():
            base = lookup_key(self.api, t.base_type) if t.kind in ("entity", "complex") else None
            if base is not None and base != key:
                parent[key] = base
        result: dict[str, set[str]] = {}
        for key in parent:
            seen = {key}
            base = parent.get(key)
            while base is not None and base not in seen:
                seen.add(base)
                result.setdefault(base, set()).add(key)
                base = parent.get(base)
        return {k: sorted(v) for k, v in result.items()}


def with_null(schema: dict[str, Any]) -> dict[str, Any]:
    """Allow `null` next to `schema`, in 3.1 style (`type: [x, "null"]` or `anyOf`)."""
    if not schema or set(schema) <= {"description"}:
        return schema  # already accepts anything
    kind = schema.get("type")
    if isinstance(kind, str) and "enum" not in schema:
        return {**schema, "type": [kind, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def enum_schema(t: TypeDef) -> dict[str, Any]:
    members = list(dict.fromkeys(m.name for m in t.members if m.name))
    if not members:
        return {"type": "string"}
    return {"anyOf": [{"type": "string", "enum": members}, {"type": "string"}]}


def error_schemas() -> dict[str, Any]:
    """The Graph error body: `{"error": {"code", "message", "innerError"}}`."""
    main = {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "string"},
            "message": {"type": "string"},
            "target": {"type": ["string", "null"]},
            "details": {"type": "array", "items": {"type": "object"}},
            "innerError": {"type": "object", "description": "Diagnostic details; not stable."},
        },
    }
    wrapper = {
        "type": "object",
        "required": ["error"],
        "properties": {"error": ref(MAIN_ERROR_SCHEMA)},
    }
    return {MAIN_ERROR_SCHEMA: main, ERROR_SCHEMA: wrapper}


def collection_schema(items: dict[str, Any]) -> dict[str, Any]:
    """Graph's collection envelope: `{"value": [...], "@odata.nextLink": ...}`."""
    return {
        "type": "object",
        "required": ["value"],
        "properties": {
            "value": {"type": "array", "items": items},
            "@odata.context": {"type": "string"},
            "@odata.count": {"type": "integer"},
            "@odata.nextLink": {"type": ["string", "null"]},
        },
    }
