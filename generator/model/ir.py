"""The intermediate model (IR): plain dataclasses, free of markdown-it tokens.

Everything downstream (resolve, render, openapi, export) reads only these classes.
Every node carries `source` (page path relative to the specs root, and 1-based line).
Type and property names are kept exactly as documented (camelCase); making Python
identifiers out of them is the render stage's job (see `generator.model.names`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from generator.diagnostics import Diagnostic

TypeKind = Literal["entity", "complex", "enum", "placeholder"]
ParamLocation = Literal["path", "query", "header", "body", "function"]
PermissionKind = Literal["delegated_work", "delegated_personal", "application"]

# Canonical primitive names (Edm names without the prefix). The type-cell grammar maps
# spellings such as `string`, `GUID`, `Edm.Int32`, `timestamp`, `url` onto these.
PRIMITIVES: frozenset[str] = frozenset(
    {
        "Binary",
        "Boolean",
        "Byte",
        "Date",
        "DateTimeOffset",
        "Decimal",
        "Double",
        "Duration",
        "Guid",
        "Int16",
        "Int32",
        "Int64",
        "SByte",
        "Single",
        "Stream",
        "String",
        "TimeOfDay",
        "Json",
        "Object",  # untyped JSON value: documented as `Object`, `Json`, `any`
    }
)


@dataclass(frozen=True)
class Source:
    path: str  # relative to the specs root, forward slashes
    line: int  # 1-based; 0 when unknown


@dataclass
class TypeRef:
    """A reference to a type as written in a type cell, a link or an annotation.

    `name` is a canonical primitive from PRIMITIVES when `primitive` is true, otherwise the
    documented type name (`user`, `educationSynchronizationProfileState`), without namespace.
    `link` is the link target normalised to a specs-relative path (no anchor), when the cell
    linked to a page. `resolved` is set by the resolve stage to the key of `Api.types`.
    """

    name: str
    collection: bool = False
    primitive: bool = False
    namespace: str | None = None
    link: str | None = None
    raw: str = ""
    resolved: str | None = None
    format: str = ""  # a refinement of a primitive the docs state: "url" (an absolute URL)


@dataclass
class Property:
    name: str
    type: TypeRef
    description: str = ""
    read_only: bool = False
    nullable: bool | None = None  # None: the docs do not say
    required: bool = False
    filterable: bool = False
    possible_values: list[str] = field(default_factory=list)
    inherited_from: str | None = None  # "Inherited from [x](...)" in request body tables
    source: Source = Source("", 0)


@dataclass
class EnumMember:
    name: str
    value: int | None = None
    description: str = ""
    source: Source = Source("", 0)


@dataclass
class TypeDef:
    """A resource type (entity or complex), an enum, or a placeholder for an unknown type."""

    name: str
    kind: TypeKind
    namespace: str | None = None  # None means microsoft.graph
    description: str = ""
    base_type: str | None = None  # documented name; resolved to a key of Api.types by resolve
    abstract: bool | None = None
    open_type: bool = False
    key: list[str] = field(default_factory=list)
    properties: list[Property] = field(default_factory=list)
    navigation: list[Property] = field(default_factory=list)
    members: list[EnumMember] = field(default_factory=list)
    json_example: Any = None  # parsed JSON representation, when the page has one
    json_line: int = 0  # page line of the JSON representation's first body line
    placeholder_reason: str = ""  # for kind == "placeholder": the diagnostic text
    source: Source = Source("", 0)
    # What the page says that makes the type an entity (kind decided by resolve): "relationships"
    # (a relationships table, or a Relationships section and an `id`), "methods" (CRUD pages).
    entity_evidence: list[str] = field(default_factory=list)

    @property
    def key_name(self) -> str:
        """The `Api.types` key: case-insensitive identity of a type across pages."""
        return type_key(self.name, self.namespace)


def type_key(name: str, namespace: str | None = None) -> str:
    ns = (namespace or "").lower()
    if ns in ("", "microsoft.graph", "graph"):
        return name.lower()
    return f"{ns}.{name.lower()}"


@dataclass
class Parameter:
    name: str
    location: ParamLocation
    type: TypeRef | None = None
    required: bool = False
    description: str = ""
    possible_values: list[str] = field(default_factory=list)
    source: Source = Source("", 0)


@dataclass
class Permission:
    kind: PermissionKind
    scopes: list[str]  # empty when "Not supported." or a TODO placeholder
    source: Source = Source("", 0)


@dataclass
class PathTemplate:
    """A request path with `{name}` parameters, e.g. `/users/{user-id}/events`.

    `raw` is the line as documented; `template` is normalised: leading slash, no version
    prefix or host, no query string, `{id | userPrincipalName}` reduced to `{id}`.
    `params` lists the parameter names in order of appearance.
    """

    raw: str
    template: str
    params: list[str] = field(default_factory=list)
    source: Source = Source("", 0)


@dataclass
class HttpRequest:
    method: str
    url: str  # as written
    path: str  # path part, version prefix and host removed, query removed
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body_raw: str = ""
    body: Any = None  # parsed JSON (best effort), None when absent or unreadable
    body_is_json: bool = False  # True when body_raw parsed as strict JSON
    body_line: int = 0  # page line of the body's first line; 0 without a body
    source: Source = Source("", 0)


@dataclass
class HttpResponse:
    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body_raw: str = ""
    body: Any = None
    body_is_json: bool = False
    body_line: int = 0
    odata_type: str | None = None  # from the annotation, e.g. microsoft.graph.user
    is_collection: bool = False
    truncated: bool = False
    expect_error: bool = False
    source: Source = Source("", 0)


@dataclass
class Example:
    name: str  # annotation `name`, or derived from the page and position
    request: HttpRequest | None = None
    response: HttpResponse | None = None
    source: Source = Source("", 0)


@dataclass
class Operation:
    id: str  # unique and stable across runs: annotation name, else method + path
    title: str
    description: str = ""
    method: str = ""
    paths: list[PathTemplate] = field(default_factory=list)
    path_params: list[Parameter] = field(default_factory=list)
    query_params: list[Parameter] = field(default_factory=list)
    headers: list[Parameter] = field(default_factory=list)
    permissions: list[Permission] = field(default_factory=list)
    request_type: TypeRef | None = None  # body is a JSON representation of this type
    request_params: list[Parameter] = field(default_factory=list)  # inline body parameters
    response_status: int | None = None  # from the "Response" prose, else the example
    # every status the "Response" prose names ("`201 Created` or `202 Accepted`"), in its order
    response_statuses: list[int] = field(default_factory=list)
    response_type: TypeRef | None = None
    response_collection: bool = False
    examples: list[Example] = field(default_factory=list)
    source: Source = Source("", 0)
    # a route's operation: a page documenting it shows a request body (a type, a body table, or
    # a JSON/raw/stream body in any of its examples), whichever path the examples call
    request_body: bool = False


SegmentKind = Literal[
    "root",  # entity set or singleton: `users`, `me`
    "navigation",  # navigation (or structural) property: `messages`, `manager`
    "key",  # `{user-id}`
    "alternate_key",  # `applications(appId='{appId}')`
    "paren_key",  # `worksheets('{worksheet-id}')`
    "action",  # bound action: `sendMail`
    "function",  # bound function: `delta`, `getX(period='{period}')`
    "cast",  # `microsoft.graph.user`
    "value",  # `$value`
    "ref",  # `$ref`
    "count",  # `$count`
    "path",  # path addressing: `root:/{item-path}:`
]


@dataclass
class Segment:
    """One segment of a canonical route path (see `generator.resolve.routes`)."""

    kind: SegmentKind
    text: str  # canonical: `users`, `{user-id}`, `getX(period='{period}')`
    name: str  # OData name: property, function, cast type; for a key the collection it addresses
    params: list[str] = field(default_factory=list)  # canonical parameter names, in order
    aliases: list[str] = field(default_factory=list)  # documented spellings, same order


@dataclass
class RouteMember:
    """A page operation documenting a route, and how its parameter names map to the route's."""

    operation: str  # Operation.id (of `Api.operations`)
    template: str  # the documented template
    params: dict[str, str] = field(default_factory=dict)  # documented name -> canonical name
    line: int = 0
    collection: bool = False  # the page documents a collection response


@dataclass
class Route:
    """An HTTP method and canonical path: the unit of the generated API.

    `operation` merges every member page operation (its `id` is the route's `name`), and is
    what the client, server, fixtures, tests and OpenAPI are rendered from.
    """

    method: str  # upper-case
    path: str  # canonical template: `/users/{user-id}/messages`
    name: str  # `list_user_messages`: unique, from the route, never from a page or example name
    segments: list[Segment] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)  # other documented spellings (function args)
    members: list[RouteMember] = field(default_factory=list)  # first = primary (by operation id)
    examples: list[tuple[str, int]] = field(default_factory=list)  # (operation id, example index)
    operation: Operation = field(default_factory=lambda: Operation("", ""))


@dataclass
class Page:
    """What one markdown page contributed, before cross-page resolution."""

    path: str  # specs-relative
    title: str = ""
    doc_type: str = ""  # front matter doc_type, or inferred: apiPageType / resourcePageType / enumPageType
    description: str = ""
    namespace: str | None = None
    front_matter: dict[str, Any] = field(default_factory=dict)
    types: list[TypeDef] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # specs-relative targets of method-table links
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class Api:
    """The resolved model of a whole documentation set."""

    types: dict[str, TypeDef] = field(default_factory=dict)  # type_key -> TypeDef, sorted by key
    operations: list[Operation] = field(default_factory=list)  # sorted by id
    pages: list[Page] = field(default_factory=list)  # sorted by path
    diagnostics: list[Diagnostic] = field(default_factory=list)  # sorted
    routes: list[Route] = field(default_factory=list)  # by name (generator.resolve.routes)
