"""Example requests and responses: annotated blocks, and the unannotated ```http fences of the
`intune-*` family, recognised by their position under an Example heading and their first line."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from generator.diagnostics import Diagnostic
from generator.model.ir import Example, HttpRequest, HttpResponse, Source
from generator.model.sections import PageLayout, Placed
from generator.model.typeref import split_qualified
from generator.parse.http import parse_request_example, parse_response_example
from generator.parse.page import HTTP_TABS

_REQUEST_START = re.compile(r"^\s*(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+\S", re.IGNORECASE)
_RESPONSE_START = re.compile(r"^\s*HTTP(?:/[\d.]+)?\s+\d{3}", re.IGNORECASE)
_CODE_LANGS = frozenset({"http", "json", "msgraph-interactive", "", "javascript-request", "text"})


def _copy(cls: type, parsed: Any, source: Source) -> Any:
    names = {f.name for f in dataclasses.fields(cls)}
    values = {n: getattr(parsed, n) for n in names if hasattr(parsed, n) and n != "source"}
    return cls(**values, source=source)


def _role(placed: Placed) -> str | None:
    """'request', 'response' or None for a code block in an example section."""
    block = placed.block
    if block.tab not in HTTP_TABS or block.info not in _CODE_LANGS:
        return None
    ann = placed.annotation or {}
    kind = str(ann.get("blockType", "")).lower()
    if kind == "request":
        return "request"
    if kind in ("response", "simulatedresponse"):
        return "response"
    if kind in ("ignored", "resource", "permissions"):
        return None
    in_example = "example" in placed.section or "example" in placed.subsection
    if not in_example and not kind:
        return None
    first = next((line for line in block.text.split("\n") if line.strip()), "")
    if _REQUEST_START.match(first):
        return "request"
    if _RESPONSE_START.match(first) or first.lstrip().startswith(("{", "[")):
        return "response"
    return None


def read_examples(layout: PageLayout, path: str, diags: list[Diagnostic]) -> list[Example]:
    examples: list[Example] = []
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    for placed in layout.placed:
        if placed.block.kind != "code":
            continue
        role = _role(placed)
        if role is None:
            continue
        block, ann = placed.block, placed.annotation or {}
        source = Source(block.path, block.line)
        if role == "request":
            parsed, more = parse_request_example(block.text, block.path, block.line + 1)
            diags.extend(more)
            if parsed is None:
                continue
            name = str(ann.get("name") or f"{stem}_{len(examples) + 1}")
            examples.append(Example(name, _copy(HttpRequest, parsed, source), None, source))
            continue
        parsed_response, more = parse_response_example(block.text, block.path, block.line + 1)
        diags.extend(more)
        response: HttpResponse = _copy(HttpResponse, parsed_response, source)
        odata = ann.get("@odata.type")
        if isinstance(odata, str) and odata.strip():
            inner = odata.strip()
            if inner.lower().startswith("collection(") and inner.endswith(")"):
                inner = inner[11:-1]
                response.is_collection = True
            namespace, short = split_qualified(inner)
            response.odata_type = f"{namespace}.{short}" if namespace else short
        response.is_collection = response.is_collection or ann.get("isCollection") is True
        response.truncated = ann.get("truncated") is True
        response.expect_error = ann.get("expectError") is True
        target = next((e for e in reversed(examples) if e.response is None), None)
        if target is None:
            name = str(ann.get("name") or f"{stem}_{len(examples) + 1}")
            examples.append(Example(name, None, response, source))
        else:
            target.response = response
    return examples
