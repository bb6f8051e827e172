"""Markdown pages in the Graph dialect, built from hostile parts (names, text, JSON, paths)."""

from __future__ import annotations

import json
from typing import Any


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def resource_page(
    name: str,
    props: list[tuple[str, str, str]],
    description: str = "A resource.",
    base: str | None = None,
    odata_type: str | None = None,
    json_body: Any = None,
    title: str | None = None,
    methods: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> str:
    """A resource page: front matter, title, intro, properties table, JSON representation."""
    rows = "".join(f"|{_cell(p)}|{_cell(t)}|{_cell(d)}|\n" for p, t, d in props)
    inherits = f"\nInherits from [{base}]({base.lower()}.md).\n" if base else ""
    method_rows = "".join(f"|[{_cell(label)}]({target})|None|x|\n" for label, target in methods)
    methods_table = (
        f"## Methods\n|Method|Return type|Description|\n|:---|:---|:---|\n{method_rows}\n"
        if methods
        else ""
    )
    body = json_body if json_body is not None else {p: "String" for p, _, _ in props}
    annotation = {
        "blockType": "resource",
        "@odata.type": odata_type or f"microsoft.graph.{name}",
        "keyProperty": "id",
    }
    heading = title if title is not None else f"{name} resource type"
    return (
        f"---\ntitle: {json.dumps(heading)}\ndoc_type: resourcePageType\n---\n\n"
        f"# {heading}\n\nNamespace: microsoft.graph\n\n{description}\n{inherits}\n"
        f"{methods_table}## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n{rows}\n"
        f"## JSON representation\n<!-- {json.dumps(annotation)} -->\n```json\n"
        f"{json.dumps(body, indent=2)}\n```\n"
    )


def enum_page(name: str, members: list[tuple[str, str]], description: str = "An enum.") -> str:
    rows = "".join(f"|{_cell(m)}|{i}|{_cell(d)}|\n" for i, (m, d) in enumerate(members))
    return (
        f'---\ntitle: "{name} enum type"\ndoc_type: enumPageType\n---\n\n# {name} enum type\n\n'
        f"Namespace: microsoft.graph\n\n{description}\n\n## Members\n|Member|Value|Description|\n"
        f"|:---|:---|:---|\n{rows}"
    )


def api_page(
    title: str,
    example_name: str,
    method: str,
    path: str,
    response_type: str,
    request_body: Any = None,
    response_body: Any = None,
    status: str = "200 OK",
    description: str = "Does something.",
    body_params: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    response_odata_type: str | None = None,
    raw_request_body: str | None = None,
) -> str:
    """An API page: syntax block, permissions, optional inline body table, request/response."""
    params = ""
    if body_params:
        rows = "".join(f"|{_cell(p)}|{_cell(t)}|{_cell(d)}|\n" for p, t, d in body_params)
        params = f"|Parameter|Type|Description|\n|:---|:---|:---|\n{rows}\n"
    body_text = (
        raw_request_body
        if raw_request_body is not None
        else ("" if request_body is None else json.dumps(request_body, indent=2))
    )
    request = f"{method} https://graph.microsoft.com/v1.0{path}\n"
    if body_text:
        request += f"Content-Type: application/json\n\n{body_text}\n"
    response_ann: dict[str, Any] = {"blockType": "response", "truncated": True}
    if response_odata_type:
        response_ann["@odata.type"] = response_odata_type
    reply = f"HTTP/1.1 {status}\n"
    if response_body is not None:
        reply += f"Content-Type: application/json\n\n{json.dumps(response_body, indent=2)}\n"
    return (
        f"---\ntitle: {json.dumps(title)}\ndescription: {json.dumps(description)}\n"
        f"doc_type: apiPageType\n---\n\n# {title}\n\nNamespace: microsoft.graph\n\n{description}\n\n"
        f"## Permissions\n|Permission type|Permissions (from least to most privileged)|\n|:---|:---|\n"
        f"|Delegated (work or school account)|User.Read|\n|Application|User.Read.All|\n\n"
        f'## HTTP request\n<!-- {{ "blockType": "ignored" }} -->\n```http\n{method} {path}\n```\n\n'
        f"## Request body\n{params or 'Supply a JSON object.'}\n\n"
        f"## Response\nIf successful, this method returns a `{status}` response code and a "
        f"[{response_type}](../resources/{response_type.lower()}.md) object in the response body.\n\n"
        f"## Example\n### Request\n<!-- {json.dumps({'blockType': 'request', 'name': example_name})} -->\n"
        f"```http\n{request}```\n\n### Response\n<!-- {json.dumps(response_ann)} -->\n"
        f"```http\n{reply}```\n"
    )
