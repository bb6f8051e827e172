"""The IR as JSON (`doc2code ir`): the public `doc2code-ir/1` shape documented in the README.

Sorted and deterministic; other tools read it, so keys are only ever added, never renamed.
"""

from __future__ import annotations

from typing import Any

from generator.model.ir import Api, Example, Operation, Property, Route, TypeDef, TypeRef

FORMAT = "doc2code-ir/1"


def _type_name(api: Api, ref: TypeRef | None) -> str | None:
    if ref is None:
        return None
    if ref.primitive:
        return ref.name
    target = api.types.get(ref.resolved or "")
    if target is None:
        return ref.name
    return f"{target.namespace}.{target.name}" if target.namespace else target.name


def _property(api: Api, p: Property) -> dict[str, Any]:
    return {
        "name": p.name,
        "type": _type_name(api, p.type),
        "collection": p.type.collection,
        "format": p.type.format,
        "possible_values": list(p.possible_values),
        "description": p.description,
        "read_only": p.read_only,
        "nullable": p.nullable,
        "required": p.required,
        "filterable": p.filterable,
        "line": p.source.line,
    }


def _type(api: Api, t: TypeDef) -> dict[str, Any]:
    base = api.types.get(t.base_type or "")
    return {
        "name": t.name,
        "namespace": t.namespace,
        "kind": t.kind,
        "base_type": (f"{base.namespace}.{base.name}" if base.namespace else base.name) if base else None,
        "abstract": t.abstract,
        "open_type": t.open_type,
        "key": list(t.key),
        "description": t.description,
        "properties": [_property(api, p) for p in t.properties],
        "navigation": [_property(api, p) for p in t.navigation],
        "members": [{"name": m.name, "value": m.value, "description": m.description} for m in t.members],
        "placeholder_reason": t.placeholder_reason or None,
        "source": t.source.path,
        "line": t.source.line,
    }


def _example(e: Example) -> dict[str, Any]:
    out: dict[str, Any] = {"name": e.name, "line": e.source.line}
    if e.request is not None:
        r = e.request
        out["request"] = {"method": r.method, "url": r.url, "path": r.path, "query": dict(sorted(r.query.items())),
                          "headers": dict(sorted(r.headers.items())), "body": r.body, "body_is_json": r.body_is_json}
    if e.response is not None:
        s = e.response
        out["response"] = {"status": s.status, "headers": dict(sorted(s.headers.items())), "body": s.body,
                           "body_is_json": s.body_is_json, "odata_type": s.odata_type,
                           "is_collection": s.is_collection, "truncated": s.truncated}
    return out


def _operation(api: Api, op: Operation) -> dict[str, Any]:
    def params(items: list[Any]) -> list[dict[str, Any]]:
        return [{"name": p.name, "type": _type_name(api, p.type), "collection": bool(p.type and p.type.collection),
                 "required": p.required, "description": p.description} for p in items]

    return {
        "id": op.id,
        "name": op.title,
        "method": op.method,
        "paths": [p.template for p in op.paths],
        "path_params": params(op.path_params),
        "query_params": params(op.query_params),
        "headers": params(op.headers),
        "permissions": [{"kind": p.kind, "scopes": list(p.scopes)} for p in op.permissions],
        "request_type": _type_name(api, op.request_type),
        "request_params": params(op.request_params),
        "response_type": _type_name(api, op.response_type),
        "response_collection": op.response_collection,
        "status": op.response_status,
        "examples": [_example(e) for e in op.examples],
        "source": op.source.path,
    }


def _route(r: Route) -> dict[str, Any]:
    return {
        "name": r.name,
        "method": r.method,
        "path": r.path,
        "variants": list(r.variants),
        "segments": [
            {"kind": s.kind, "text": s.text, "name": s.name, "params": list(s.params), "aliases": list(s.aliases)}
            for s in r.segments
        ],
        "operations": [
            {"id": m.operation, "template": m.template, "params": dict(sorted(m.params.items()))}
            for m in r.members
        ],
        "examples": [{"operation": op, "index": index} for op, index in r.examples],
        "source": r.operation.source.path,
    }


def export_ir(api: Api) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "types": [_type(api, t) for _, t in sorted(api.types.items())],
        "operations": [_operation(api, op) for op in api.operations],
        "diagnostics": [d.to_json() for d in api.diagnostics],
        "pages": [{"path": p.path, "title": p.title, "doc_type": p.doc_type} for p in api.pages],
        "routes": [_route(r) for r in api.routes],
    }
