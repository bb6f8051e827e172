"""Path templates and operations of the OpenAPI document.

OpenAPI forbids two path templates that differ only in parameter names (`/users/{id}` and
`/users/{user-id}` are "identical"), and Graph's pages spell the same path many ways, so paths
are grouped by shape (parameters blanked out) and every operation of a shape is filed under one
canonical template: the smallest spelling, its parameters renamed by position.
"""

from __future__ import annotations

import http
import re
from dataclasses import dataclass, field
from typing import Any

from generator.model.ir import Api, Example, Operation, Parameter, PathTemplate
from generator.render.openapi_schemas import (
    ERROR_SCHEMA,
    SchemaBuilder,
    collection_schema,
    ref,
)

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SECURITY_SCHEME = "azureaadv2"
JSON = "application/json"
# OpenAPI ignores header parameters by these names; Authorization is the security scheme's job.
_IGNORED_HEADERS = frozenset({"accept", "authorization", "content-type"})
_HEADER_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_PARAM = re.compile(r"\{([^{}]*)\}")
_NO_BODY = frozenset({204, 205, 304})


def path_shape(template: str) -> str:
    return _PARAM.sub("{}", template)


def usable_template(template: str) -> bool:
    """A path key OpenAPI accepts: leading slash, balanced `{name}`s, no blanks."""
    if not template.startswith("/") or any(ch.isspace() for ch in template):
        return False
    if any(not name.strip() for name in _PARAM.findall(template)):
        return False
    rest = path_shape(template).replace("{}", "")
    return "{" not in rest and "}" not in rest


def canonical_path(template: str) -> tuple[str, list[str]]:
    """The path key and its parameter names, repeated names made unique (`{id}`, `{id_2}`)."""
    names: list[str] = []
    for name in _PARAM.findall(template):
        candidate, n = name, 2
        while candidate in names:
            candidate, n = f"{name}_{n}", n + 1
        names.append(candidate)
    parts = _PARAM.split(template)
    key = "".join(part if i % 2 == 0 else f"{{{names[i // 2]}}}" for i, part in enumerate(parts))
    return key, names


Member = tuple[Operation, PathTemplate, list[tuple[str, str]]]  # op, template, param renames


@dataclass
class PathPlan:
    """Where operations go. `routes`: one (operation, template, canonical key, renames) per
    method and canonical path, the first operation by id; `shared`: the other operations
    documenting the same (key, method), merged into that route."""

    routes: list[tuple[Operation, PathTemplate, str, list[tuple[str, str]]]] = field(
        default_factory=list
    )
    shared: dict[tuple[str, str], list[Member]] = field(default_factory=dict)
    omitted: list[dict[str, str]] = field(default_factory=list)


def plan_paths(api: Api) -> PathPlan:
    """File every usable (operation, template) under its canonical path and method.

    Graph documents one route on several pages (one per subtype, or per parent resource);
    OpenAPI holds one operation per route, so the first operation by id carries it and the
    others are merged into it.
    """
    plan = PathPlan()
    usable: list[tuple[Operation, PathTemplate]] = []
    for op in api.operations:
        if op.method.lower() not in METHODS:
            plan.omitted.append({"operation": op.id, "reason": f"HTTP method {op.method!r}"})
            continue
        templates = [p for p in _distinct(op.paths) if usable_template(p.template)]
        if not templates:
            plan.omitted.append({"operation": op.id, "reason": "no usable path"})
        usable.extend((op, p) for p in templates)
    canonical: dict[str, str] = {}
    for _, p in usable:
        shape = path_shape(p.template)
        canonical[shape] = min(canonical.get(shape, p.template), p.template)
    first: dict[tuple[str, str], str] = {}
    for op, p in sorted(usable, key=lambda item: item[0].id):
        key, names = canonical_path(canonical[path_shape(p.template)])
        method = op.method.lower()
        renames = list(zip(_PARAM.findall(p.template), names, strict=True))
        if (key, method) not in first:
            first[(key, method)] = op.id
            plan.routes.append((op, p, key, renames))
        elif first[(key, method)] != op.id and all(
            m[0].id != op.id for m in plan.shared.get((key, method), [])
        ):
            plan.shared.setdefault((key, method), []).append((op, p, renames))
    plan.omitted.sort(key=lambda o: (o["operation"], o.get("path", "")))
    return plan


def _distinct(paths: list[PathTemplate]) -> list[PathTemplate]:
    seen: dict[str, PathTemplate] = {}
    for p in paths:
        seen.setdefault(p.template, p)
    return list(seen.values())


class OperationBuilder:
    """Builds one OpenAPI operation object from an IR operation."""

    def __init__(self, api: Api, schemas: SchemaBuilder) -> None:
        self.api = api
        self.schemas = schemas
        self.collections: dict[str, Any] = {}  # extra components: `<type>CollectionResponse`

    def build(
        self, op: Operation, op_id: str, key: str, renames: list[tuple[str, str]]
    ) -> dict[str, Any]:
        result: dict[str, Any] = {"operationId": op_id, "x-doc2code-operation": op.id}
        if op.title:
            result["summary"] = op.title
        if op.description:
            result["description"] = op.description
        result["tags"] = [tag_of(key)]
        params = self._parameters(op, renames)
        if params:
            result["parameters"] = params
        body = self._request_body(op)
        if body is not None:
            result["requestBody"] = body
        result["responses"] = self._responses(op)
        result["security"] = security_of(op)
        if op.source.path:
            result["x-doc2code-source"] = f"{op.source.path}:{op.source.line}"
        return result

    def _parameters(self, op: Operation, renames: list[tuple[str, str]]) -> list[dict[str, Any]]:
        documented = {p.name: p for p in op.path_params}
        documented_ci = {p.name.lower(): p for p in op.path_params}
        params: list[dict[str, Any]] = []
        for original, name in renames:
            doc = documented.get(original) or documented_ci.get(original.lower())
            schema = self._param_schema(doc) if doc else {"type": "string"}
            params.append(_param(name, "path", True, doc.description if doc else "", schema))
        for location, group in (("query", op.query_params), ("header", op.headers)):
            seen: set[str] = set()
            for p in group:
                folded = p.name.lower() if location == "header" else p.name
                if not p.name or folded in seen:
                    continue
                if location == "header" and (
                    folded in _IGNORED_HEADERS or not _HEADER_TOKEN.match(p.name)
                ):
                    continue
                seen.add(folded)
                schema = self._param_schema(p)
                params.append(_param(p.name, location, p.required, p.description, schema))
        return params

    def _param_schema(self, p: Parameter) -> dict[str, Any]:
        return self.schemas.of(p.type) if p.type is not None else {"type": "string"}

    def _request_body(self, op: Operation) -> dict[str, Any] | None:
        if op.method.lower() in ("get", "head"):
            return None
        examples = _examples([(ex, ex.request.body) for ex in op.examples if ex.request])
        required = False
        if op.request_type is not None:
            schema = self.schemas.of(op.request_type)
            required = True
        elif op.request_params:
            schema = {"type": "object", "properties": {}}
            for p in op.request_params:
                if p.name and p.name not in schema["properties"]:
                    prop = self.schemas.of(p.type)
                    if p.description:
                        prop["description"] = p.description
                    schema["properties"][p.name] = prop
            wanted = sorted({p.name for p in op.request_params if p.required and p.name})
            if wanted:
                schema["required"] = wanted
                required = True
        elif examples or op.request_body:
            schema = {}
        else:
            return None
        media: dict[str, Any] = {"schema": schema}
        if examples:
            media["examples"] = examples
        return {"required": required, "content": {JSON: media}}

    def _responses(self, op: Operation) -> dict[str, Any]:
        documented = [ex.response.status for ex in op.examples if ex.response]
        successes = [s for s in map(_valid_status, documented) if s is not None and s < 400]
        main = _valid_status(op.response_status) or next(iter(successes), 200)
        by_status: dict[int, list[Example]] = {main: []}
        for ex in op.examples:
            if ex.response is not None:
                status = _valid_status(ex.response.status) or main
                by_status.setdefault(status, []).append(ex)
        media_type, success = self._success_schema(op)
        responses: dict[str, Any] = {}
        for status in sorted(by_status):
            response: dict[str, Any] = {"description": _phrase(status)}
            examples = _examples(
                [(ex, ex.response.body) for ex in by_status[status] if ex.response]
            )
            if status >= 400:
                media: dict[str, Any] | None = {"schema": ref(ERROR_SCHEMA)}
                media_type_here = JSON
            elif status in _NO_BODY or 100 <= status < 200:
                media, media_type_here = None, JSON
            elif success is not None:
                media, media_type_here = {"schema": success}, media_type
            elif examples:
                media, media_type_here = {"schema": {}}, JSON
            else:
                media, media_type_here = None, JSON
            if media is not None:
                if examples and media_type_here == JSON:
                    media["examples"] = examples
                response["content"] = {media_type_here: media}
            responses[str(status)] = response
        responses["default"] = {"$ref": "#/components/responses/error"}
        return responses

    def _success_schema(self, op: Operation) -> tuple[str, dict[str, Any] | None]:
        rt = op.response_type
        if rt is None:
            return JSON, None
        if rt.primitive and rt.name == "Stream" and not (rt.collection or op.response_collection):
            return "application/octet-stream", {"type": "string", "format": "binary"}
        item = self.schemas.single(rt)
        if rt.collection or op.response_collection:
            if "$ref" not in item:
                return JSON, collection_schema(item)
            name = item["$ref"].rsplit("/", 1)[1] + "CollectionResponse"
            if name in self.schemas.taken:  # a documented type has that name: stay inline
                return JSON, collection_schema(item)
            self.collections[name] = collection_schema(item)
            return JSON, ref(name)
        if rt.primitive:  # OData wraps a single primitive result as `{"value": ...}`
            return JSON, {"type": "object", "properties": {"value": item}}
        return JSON, item


def _param(
    name: str, location: str, required: bool, description: str, schema: dict[str, Any]
) -> dict[str, Any]:
    result: dict[str, Any] = {"name": name, "in": location, "required": required}
    if description:
        result["description"] = description
    result["schema"] = schema or {}
    return result


def _examples(pairs: list[tuple[Example, Any]]) -> dict[str, Any]:
    """Documented example bodies by example name (later duplicates get `_2`, `_3`)."""
    result: dict[str, Any] = {}
    for ex, body in pairs:
        if body is None:
            continue
        name, n = ex.name or "example", 2
        while name in result:
            name, n = f"{ex.name or 'example'}_{n}", n + 1
        entry: dict[str, Any] = {"value": body}
        if ex.response is not None and ex.response.truncated and body is ex.response.body:
            entry["description"] = "Shortened for readability in the docs."
        if ex.source.path:
            entry["x-doc2code-source"] = f"{ex.source.path}:{ex.source.line}"
        result[name] = entry
    return result


def _valid_status(status: int | None) -> int | None:
    return status if isinstance(status, int) and 100 <= status <= 599 else None


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return f"Status {status}"


def tag_of(path_key: str) -> str:
    """Group operations by the first path segment (`/users/{id}/events` -> `users`)."""
    first = path_key.lstrip("/").split("/", 1)[0].split("(", 1)[0]
    return first.strip("{}") or "default"


def scopes_of(op: Operation) -> list[str]:
    return sorted({s.strip() for perm in op.permissions for s in perm.scopes if s.strip()})


def security_of(op: Operation) -> list[dict[str, list[str]]]:
    """Graph pages say "one of the following permissions": each scope is an alternative."""
    scopes = scopes_of(op)
    if not scopes:
        return [{SECURITY_SCHEME: []}]
    return [{SECURITY_SCHEME: [scope]} for scope in scopes]
