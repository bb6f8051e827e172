"""Merging the operations that several pages document for one route into one.

The first operation (by id) keeps its operationId, summary and tags; the others add their
parameters, their examples, their scopes, and their body and response schemas (as `anyOf`
alternatives when they differ, e.g. one page per subtype of a polymorphic collection).
"""

from __future__ import annotations

import json
from typing import Any


def merge_operations(operations: list[dict[str, Any]]) -> dict[str, Any]:
    first, others = operations[0], operations[1:]
    if not others:
        return first
    result = dict(first)
    params = {(p["in"], p["name"]): p for p in first.get("parameters", [])}
    for op in others:
        for p in op.get("parameters", []):
            params.setdefault((p["in"], p["name"]), p)
    if params:
        result["parameters"] = list(params.values())
    bodies = [op.get("requestBody") for op in operations]
    present = [b for b in bodies if b is not None]
    if present:
        result["requestBody"] = {
            "required": all(b is not None and b["required"] for b in bodies),
            "content": _merge_content([b["content"] for b in present]),
        }
    result["responses"] = _merge_responses([op["responses"] for op in operations])
    result["security"] = _merge_security([op["security"] for op in operations])
    result["x-doc2code-merged"] = sorted(op["x-doc2code-operation"] for op in others)
    return result


def _merge_responses(all_responses: list[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, list[dict[str, Any]]] = {}
    for responses in all_responses:
        for status, response in responses.items():
            merged.setdefault(status, []).append(response)
    result: dict[str, Any] = {}
    for status, group in merged.items():
        with_content = [r["content"] for r in group if "content" in r]
        response = dict(group[0])
        if with_content:
            response["content"] = _merge_content(with_content)
        result[status] = response
    return result


def _merge_content(contents: list[dict[str, Any]]) -> dict[str, Any]:
    """Media types by name; schemas of one media type become `anyOf` alternatives."""
    by_type: dict[str, list[dict[str, Any]]] = {}
    for content in contents:
        for media_type, media in content.items():
            by_type.setdefault(media_type, []).append(media)
    result: dict[str, Any] = {}
    for media_type, medias in by_type.items():
        merged: dict[str, Any] = {"schema": _any_of([m.get("schema", {}) for m in medias])}
        examples: dict[str, Any] = {}
        for media in medias:
            for name, example in media.get("examples", {}).items():
                unique, n = name, 2
                while unique in examples:
                    unique, n = f"{name}_{n}", n + 1
                examples[unique] = example
        if examples:
            merged["examples"] = examples
        result[media_type] = merged
    return result


def _any_of(schemas: list[dict[str, Any]]) -> dict[str, Any]:
    distinct: dict[str, dict[str, Any]] = {}
    for schema in schemas:
        if schema == {}:
            return {}  # one alternative accepts anything, so the union does too
        for alternative in schema["anyOf"] if set(schema) == {"anyOf"} else [schema]:
            distinct.setdefault(json.dumps(alternative, sort_keys=True), alternative)
    if len(distinct) == 1:
        return next(iter(distinct.values()))
    return {"anyOf": [distinct[k] for k in sorted(distinct)]}


def _merge_security(requirements: list[list[dict[str, list[str]]]]) -> list[dict[str, Any]]:
    """Every documented scope is an alternative; no scope anywhere means a bare token."""
    alternatives = {
        json.dumps(req, sort_keys=True): req
        for reqs in requirements
        for req in reqs
        if any(req.values())
    }
    if not alternatives:
        return requirements[0]
    return [alternatives[k] for k in sorted(alternatives)]
