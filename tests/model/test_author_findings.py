"""Rules behind the findings a newcomer made as a docs author (issue 11, second pass): each
test is a small page written for the rule, and asserts the IR fragment or the diagnostics."""

from __future__ import annotations

import json
from typing import Any

from generator.model.build import build_page
from generator.model.prose import possible_values
from generator.resolve.export import export_ir
from generator.resolve.resolve import resolve


def read(**pages: str) -> dict[str, Any]:
    """Doc set of `name=text` pages (`api_x` -> api/x.md, others -> resources/x.md) as IR JSON."""
    built = []
    for name, text in pages.items():
        path = f"api/{name[4:]}.md" if name.startswith("api_") else f"resources/{name}.md"
        built.append(build_page(text.encode(), path))
    return export_ir(resolve(built))


def found(ir: dict[str, Any], prefix: str = "D5") -> list[tuple[str, int, str]]:
    return [(d["code"], d["line"], d["message"]) for d in ir["diagnostics"] if d["code"].startswith(prefix)]


def resource(name: str, rows: str, more: str = "") -> str:
    table = "|Property|Type|Description|\n|--|--|--|\n" + rows
    return f"---\ndoc_type: resourcePageType\n---\n# {name} resource type\n\n## Properties\n\n{table}\n{more}"


# --- 1. A page-level request syntax, then sections that state their own request ---------------

WIDGET = resource("widget", "|id|String|Id.|\n|size|Int32|Size.|\n")
PART = resource("part", "|id|String|Id.|\n|label|String|Label.|\n")

PAGE_LEVEL_THEN_SECTIONS = """# List widgets

## HTTP request

<!-- { "blockType": "ignored" } -->

```http
GET /widgets
GET /me/widgets
```

## Response

If successful, this method returns a `200 OK` response code and a collection of [widget](../resources/widget.md) objects.

## Example

<!-- { "blockType": "request", "name": "list-widgets" } -->

```http
GET /me/widgets
```

<!-- { "blockType": "response", "@odata.type": "Collection(microsoft.graph.widget)" } -->

```http
HTTP/1.1 200 OK
Content-type: application/json

{"value": [{"id": "1", "size": 2}]}
```

## Get one part of a widget

### HTTP request

<!-- { "blockType": "request", "name": "get-part" } -->

```http
GET /widgets/{widget-id}/parts/{part-id}
```

<!-- { "blockType": "response", "@odata.type": "microsoft.graph.part" } -->

```http
HTTP/1.1 200 OK
Content-type: application/json

{"id": "7", "label": "left"}
```

## Download a widget's picture

### HTTP request

<!-- { "blockType": "request", "name": "get-picture" } -->

```http
GET /widgets/{widget-id}/picture
```

### Response

The service answers with a redirect to the picture.

<!-- { "blockType": "response" } -->

```http
HTTP/1.1 302 Found
Location: https://cdn.example.net/pictures/abc
```
"""


def test_page_level_syntax_then_sections_with_their_own_request_are_one_operation_each() -> None:
    ir = read(widget=WIDGET, part=PART, api_widget_list=PAGE_LEVEL_THEN_SECTIONS)
    ops = {op["name"]: op for op in ir["operations"]}
    assert sorted(ops) == ["Download a widget's picture", "Get one part of a widget", "List widgets"]
    # the page-level section goes with the first (list) operation, with its example
    listed = ops["List widgets"]
    assert listed["paths"] == ["/widgets", "/me/widgets"] and listed["status"] == 200
    assert [e["name"] for e in listed["examples"]] == ["list-widgets"]
    part, picture = ops["Get one part of a widget"], ops["Download a widget's picture"]
    assert part["paths"] == ["/widgets/{widget-id}/parts/{part-id}"] and part["response_type"] == "part"
    assert picture["paths"] == ["/widgets/{widget-id}/picture"] and picture["status"] == 302
    assert found(ir) == []  # no example astray (D507), no status disagreement (D505)


def test_sections_showing_only_examples_stay_examples_of_the_page_level_operation() -> None:
    page = PAGE_LEVEL_THEN_SECTIONS.split("## Get one part")[0] + """## Listing small widgets

<!-- { "blockType": "request", "name": "list-small" } -->

```http
GET /widgets?$filter=size lt 3
```
"""
    ops = read(widget=WIDGET, api_widget_list=page)["operations"]
    assert len(ops) == 1 and [e["name"] for e in ops[0]["examples"]] == ["list-widgets", "list-small"]


# --- 2. Possible values are kept verbatim -----------------------------------------------------


def test_possible_values_keep_every_code_span_verbatim() -> None:
    assert possible_values("Possible values are: `north east 2`, `red`, `24x7`.") == ["north east 2", "red", "24x7"]
    page = resource("zone", "|region|String|Where. Possible values are: `north east 2`, `red`, `24x7`.|\n")
    prop = read(zone=page)["types"][0]["properties"][0]
    assert prop["possible_values"] == ["north east 2", "red", "24x7"]


# --- 3. The API's host comes from documented requests, never from a response's URL ----------


def _upload_pages(graph_calls: int) -> dict[str, str]:
    session = """# Upload a big file

## HTTP request

```http
POST /items/{item-id}/createUploadSession
```

## Response

If successful, this method returns a `200 OK` response code.

## Example

<!-- { "blockType": "request", "name": "create-session" } -->

```http
POST /items/1/createUploadSession
```

<!-- { "blockType": "response" } -->

```http
HTTP/1.1 200 OK
Content-type: application/json

{"uploadUrl": "https://up7.uploads.example.net/up/abc"}
```

## Upload bytes

<!-- { "blockType": "request", "opaqueUrl": true, "name": "put-bytes" } -->

```http
PUT https://up7.uploads.example.net/up/abc
```

<!-- { "blockType": "request", "opaqueUrl": true, "name": "put-more-bytes" } -->

```http
PUT https://up7.uploads.example.net/up/abc
```
"""
    delta = """# Track changes

## HTTP request

```http
GET /items/{item-id}/delta
```

## Response

If successful, this method returns a `200 OK` response code.

## Example
""" + "".join(
        f"""
<!-- {{ "blockType": "request", "name": "delta-{i}" }} -->

```http
GET https://api.example.com/v1.0/items/{i}/delta
```
"""
        for i in range(graph_calls)
    )
    return {"api_item_createuploadsession": session, "api_item_delta": delta}


def test_api_host_is_the_documented_requests_host_not_an_upload_url_from_a_response() -> None:
    ir = read(**_upload_pages(graph_calls=1))  # two calls of the upload URL, one of the API
    d508 = found(ir, "D508")
    assert [m.split(" is a request to ")[1].split(",")[0] for _, _, m in d508] == ["up7.uploads.example.net"] * 2
    assert all("not to the API (api.example.com)" in m for _, _, m in d508)


# --- 4. The text may name several success statuses ------------------------------------------


def _status_page(said: str, status: str) -> str:
    return f"""---
doc_type: apiPageType
---
# Create widget

## HTTP request

```http
POST /widgets
```

## Response

If successful, this method returns {said} response code and a [widget](../resources/widget.md) object.

## Example

<!-- {{ "blockType": "request", "name": "create-widget" }} -->

```http
POST /widgets
```

<!-- {{ "blockType": "response", "@odata.type": "microsoft.graph.widget" }} -->

```http
HTTP/1.1 {status}
Content-type: application/json

{{"id": "1"}}
```
"""


def test_a_status_among_those_the_text_names_is_accepted() -> None:
    assert found(read(widget=WIDGET, api_widget_post=_status_page("`201 Created` or `202 Accepted`", "202 Accepted"))) == []
    wrong = found(read(widget=WIDGET, api_widget_post=_status_page("`201 Created` or `202 Accepted`", "200 OK")))
    assert [(c, m) for c, _, m in wrong] == [("D505", "the text says 201 or 202, the example's status line says 200")]
    # an error status the text names is no success status of the operation
    said = "`201 Created`; if the widget exists it returns `409 Conflict`"
    assert [c for c, _, _ in found(read(widget=WIDGET, api_widget_post=_status_page(said, "409 Conflict")))] == ["D505"]


# --- 5. An example of another type is checked against that type -----------------------------

NOTIFICATION = resource("notification", "|changeType|String|What changed.|\n|resourceUrl|String|Which resource.|\n")


def _callback_page(annotated: str, body: dict[str, Any]) -> str:
    return f"""---
doc_type: apiPageType
---
# Watch widget

## HTTP request

```http
POST /widgets/{{widget-id}}/watch
```

## Response

If successful, this method returns a `200 OK` response code and a [widget](../resources/widget.md) object.

## Example

<!-- {{ "blockType": "request", "name": "watch" }} -->

```http
POST /widgets/1/watch
```

<!-- {{ "blockType": "response", "@odata.type": "microsoft.graph.widget" }} -->

```http
HTTP/1.1 200 OK
Content-type: application/json

{{"id": "1"}}
```

### Notification sent to the app

```http
POST https://app.contoso.com/callback
Content-Type: application/json
```

<!-- {{ "blockType": "example", "@odata.type": "{annotated}" }} -->
```json
{json.dumps(body)}
```
"""


def test_an_example_naming_another_type_is_checked_against_that_type_or_not_at_all() -> None:
    body = {"@odata.type": "#microsoft.graph.notification", "changeType": "updated", "resourceUrl": "/widgets/1"}
    ir = read(widget=WIDGET, notification=NOTIFICATION, api_widget_watch=_callback_page("microsoft.graph.notification", body))
    assert found(ir, "D501") == []
    body["changeKind"] = "x"  # checked against `notification`, the type it names
    ir = read(widget=WIDGET, notification=NOTIFICATION, api_widget_watch=_callback_page("microsoft.graph.notification", body))
    assert [m for _, _, m in found(ir, "D501")] == ["`changeKind` is not a property of `notification`"]
    # a type no page documents: not checked against the operation's response type
    unknown = {"@odata.type": "#microsoft.graph.unknownNotifications", "value": [{"changeType": "updated"}]}
    ir = read(widget=WIDGET, api_widget_watch=_callback_page("microsoft.graph.unknownNotifications", unknown))
    assert found(ir, "D501") == []


def test_a_request_to_another_host_is_not_checked_against_the_operation_body_type() -> None:
    page = _status_page("`201 Created`", "201 Created").replace(
        "## Example\n", "## Example\n\nThe API then calls the app:\n\n```http\nPOST https://app.contoso.com/hook\nContent-type: application/json\n\n{\"ticket\": 1}\n```\n\n"
    ).replace("## Response", "## Request body\n\nIn the request body, supply a JSON representation of a [widget](../resources/widget.md) object.\n\n## Response")
    ir = read(widget=WIDGET, api_widget_post=page)  # `ticket` is no property of a widget: not reported
    assert [(c, m.split(", not")[1]) for c, _, m in found(ir)] == [("D508", " to the API (relative URLs); it is not replayed")]


# --- 6. An example of the wrong type is reported once ----------------------------------------


def test_an_example_mostly_foreign_to_its_type_is_one_finding_naming_the_closer_type() -> None:
    gadget = resource("gadget", "".join(f"|g{i}|String|G.|\n" for i in range(8)) + "|id|String|Id.|\n")
    body = {"id": "1", **{f"g{i}": "x" for i in range(8)}}
    ir = read(widget=WIDGET, gadget=gadget, api_widget_post=_status_page("`201 Created`", "201 Created").replace('{"id": "1"}', json.dumps(body)))
    d501 = found(ir, "D501")
    assert [m for _, _, m in d501] == [
        "example object is not of type `widget`: 8 of 9 properties are not declared by it "
        "(`g0`, `g1`, `g2`, `g3`, `g4`, ...); it looks like `gadget`"
    ]
    # the properties it declares are still checked
    body = {"id": "1", "size": "big", **{f"g{i}": "x" for i in range(8)}}
    ir = read(widget=WIDGET, api_widget_post=_status_page("`201 Created`", "201 Created").replace('{"id": "1"}', json.dumps(body)))
    assert [c for c, _, _ in found(ir)] == ["D501", "D502"]
    # a few undeclared properties are still named one by one
    body = {"id": "1", "size": 3, "g0": "x"}
    ir = read(widget=WIDGET, api_widget_post=_status_page("`201 Created`", "201 Created").replace('{"id": "1"}', json.dumps(body)))
    assert [m for _, _, m in found(ir, "D501")] == ["`g0` is not a property of `widget`"]


# --- 7. Diagnostics point at what the page wrote, where it wrote it ---------------------------


def test_trailing_comma_in_a_json_representation_is_reported_at_its_line() -> None:
    more = """## JSON representation

<!-- { "blockType": "resource", "@odata.type": "microsoft.graph.widget" } -->

```json
{
  "id": "String",
  "size": 1024,
}
```
"""
    ir = read(widget=resource("widget", "|id|String|Id.|\n|size|Int32|Size.|\n", more))
    d307 = [(d["line"], d["message"]) for d in ir["diagnostics"] if d["code"] == "D307"]
    page = resource("widget", "|id|String|Id.|\n|size|Int32|Size.|\n", more)
    comma_line = page.split("\n").index('  "size": 1024,') + 1
    assert d307 == [(comma_line, "JSON representation is not strict JSON: trailing comma")]


def test_an_operation_section_is_located_at_its_heading_not_at_its_first_fence() -> None:
    ir = read(widget=WIDGET, api_widget_list=PAGE_LEVEL_THEN_SECTIONS)  # no page defines `part`
    heading = PAGE_LEVEL_THEN_SECTIONS.split("\n").index("## Get one part of a widget") + 1
    assert [(d["line"], d["message"]) for d in ir["diagnostics"] if d["code"] == "D401"] == [
        (heading, "type `part` is not defined by any page; a placeholder is generated")
    ]
