"""One test per rule of the dialect (issue 11): a small page written for the rule goes in, the
IR fragment it must yield comes out. Pages are read together as a doc set when a rule crosses
pages (entity evidence, example checks)."""

from __future__ import annotations

from typing import Any

from generator.model.build import build_page
from generator.resolve.export import export_ir
from generator.resolve.resolve import resolve


def read(**pages: str) -> dict[str, Any]:
    """Doc set of `name=text` pages (`api_x` -> api/x.md, others -> resources/x.md) as IR JSON."""
    built = []
    for name, text in pages.items():
        path = f"api/{name[4:]}.md" if name.startswith("api_") else f"resources/{name}.md"
        built.append(build_page(text.encode(), path))
    return export_ir(resolve(built))


def one_type(ir: dict[str, Any], name: str) -> dict[str, Any]:
    found = [t for t in ir["types"] if t["name"] == name]
    assert found, f"no type {name}; have {[t['name'] for t in ir['types']]}"
    return found[0]


def codes(ir: dict[str, Any], severity_above_info: bool = True) -> list[str]:
    return sorted(d["code"] for d in ir["diagnostics"] if not severity_above_info or d["severity"] != "info")


def names(items: list[dict[str, Any]]) -> list[str]:
    return [i["name"] for i in items]


# --- Pages by content ---------------------------------------------------------------------

NO_DOC_TYPE = "---\ntitle: A page\nauthor: someone\n---\n"

SEVERAL_OPERATIONS = NO_DOC_TYPE + """# Get gizmo

Retrieve a [gizmo](../resources/gizmo.md).

## Permissions

|Permission type | Permissions |
|:--|:--|
|Delegated (work or school account) | Gizmo.Read |

## Get the signed-in user's gizmo

### HTTP request

<!-- { "blockType": "request", "name": "get-my-gizmo" } -->

```http
GET /me/gizmo
```

## Get a gizmo by ID

### HTTP request

<!-- { "blockType": "request", "name": "get-gizmo-by-id" } -->

```http
GET /gizmos/{gizmo-id}
```

### Path parameters

| Parameter name | Value | Description |
|:--|:--|:--|
| gizmo-id | string | Required. The gizmo. |

## Get the gizmos of a group

```http
GET /groups/{group-id}/gizmo
```

## HTTP response

<!-- { "blockType": "response", "@odata.type": "microsoft.graph.gizmo", "name": ["get-my-gizmo", "get-gizmo-by-id"] } -->

```http
HTTP/1.1 200 OK
Content-type: application/json

{"id": "1"}
```
"""


def test_page_without_doc_type_documenting_several_operations_yields_one_per_section() -> None:
    ir = read(api_gizmo_get=SEVERAL_OPERATIONS)
    ops = {op["name"]: op for op in ir["operations"]}
    assert sorted(ops) == ["Get a gizmo by ID", "Get the gizmos of a group", "Get the signed-in user's gizmo"]
    mine, by_id, group = ops["Get the signed-in user's gizmo"], ops["Get a gizmo by ID"], ops["Get the gizmos of a group"]
    assert mine["paths"] == ["/me/gizmo"] and by_id["paths"] == ["/gizmos/{gizmo-id}"]
    assert group["paths"] == ["/groups/{group-id}/gizmo"] and group["examples"] == []
    # each section keeps its own request; the shared response answers the requests it names
    assert [e["name"] for e in mine["examples"]] == ["get-my-gizmo"]
    assert [e["request"]["path"] for e in by_id["examples"]] == ["/gizmos/{gizmo-id}"]
    assert all(e["response"]["status"] == 200 for op in (mine, by_id) for e in op["examples"])
    # shared sections (permissions) belong to every operation of the page
    assert all(op["permissions"] and op["permissions"][0]["scopes"] == ["Gizmo.Read"] for op in ops.values())
    assert [p["name"] for p in by_id["path_params"]] == ["gizmo-id"]
    assert [p["doc_type"] for p in ir["pages"]] == ["apiPageType"]
    assert "D109" not in codes(ir, False) and not [c for c in codes(ir) if c != "D401"]


def test_shared_example_joins_the_operation_whose_path_it_calls() -> None:
    page = NO_DOC_TYPE + """# Get thing

## Get the root thing

```http
GET /things/root
```

## Get a thing by path

```http
GET /things/root:/{path}:
```

## Example

### Request

<!-- { "blockType": "request", "name": "get-root" } -->

```http
GET /things/root
```

### Response

<!-- { "blockType": "response" } -->

```http
HTTP/1.1 200 OK
```

## Example 2

<!-- { "blockType": "request", "name": "get-by-id" } -->

```http
GET /things/abc
```
"""
    ops = {op["name"]: op for op in read(api_thing_get=page)["operations"]}
    assert [e["name"] for e in ops["Get the root thing"]["examples"]] == ["get-root"]
    assert ops["Get a thing by path"]["examples"] == []
    # an example calling none of the sections' paths is the page's own operation
    assert ops["Get thing"]["paths"] == ["/things/abc"]


def test_page_with_one_request_syntax_section_stays_one_operation() -> None:
    page = NO_DOC_TYPE + """# Create link

## HTTP request

```http
POST /items/{id}/createLink
```

## Creating an edit link

<!-- { "blockType": "request", "name": "edit-link" } -->

```http
POST /items/{id}/createLink
```

## Creating a view link

<!-- { "blockType": "request", "name": "view-link" } -->

```http
POST /items/{id}/createLink
```
"""
    ops = read(api_createlink=page)["operations"]
    assert len(ops) == 1 and [e["name"] for e in ops[0]["examples"]] == ["edit-link", "view-link"]


def test_conceptual_page_stays_quiet() -> None:
    ir = read(overview=NO_DOC_TYPE + "# About gizmos\n\nGizmos are small.\n\n## Details\n\nMore prose.\n")
    assert ir["types"] == [] and ir["operations"] == [] and ir["diagnostics"] == []


def test_misspelt_doc_type_is_reported_and_the_page_read_by_content() -> None:
    page = "---\ndoc_type: resourcePageTyp\n---\n# gizmo resource type\n\n## Properties\n\n|Property|Type|Description|\n|--|--|--|\n|id|String|Id.|\n"
    ir = read(gizmo=page)
    assert names(one_type(ir, "gizmo")["properties"]) == ["id"]
    assert "D109" in codes(ir, False)


# --- Properties wherever the type's tables stand ------------------------------------------

TABLES = """---
doc_type: resourcePageType
---
# indicator resource type

## Properties

| Property | Type | Description |
|:--|:--|:--|
| id | String | Read-only. |

A second table after a paragraph:

Property name | Type | Description
--- | --- | ---
severity | Int32 | How bad.

### Indicator observables - email

| Name | Type | Description |
|:--|:--|:--|
| emailSender | String | The sender. |

#### Indicator observables - network

| Parameter | Type | Description |
|:--|:--|:--|
| networkPort | Int32 | The port. |

### Properties of a rule definition

| Property | Type | Description |
|:--|:--|:--|
| ruleBody | String | Shape of the JSON inside `definition`, not a property of the type. |

#### level values

| Value |
|:--|
| low |
| high |

### riskState values

| Member |
|:--|
| none |
| atRisk |

## Relationships

### Owners

| Relationship | Type | Description |
|:--|:--|:--|
| owner | [user](user.md) | The owner. |
"""


def test_property_tables_in_subsections_second_tables_and_header_spellings() -> None:
    ir = read(indicator=TABLES)
    t = one_type(ir, "indicator")
    assert names(t["properties"]) == ["id", "severity", "emailSender", "networkPort"]
    assert names(t["navigation"]) == ["owner"]
    assert t["kind"] == "entity"  # a relationships table
    assert names(one_type(ir, "level")["members"]) == ["low", "high"]
    assert names(one_type(ir, "riskState")["members"]) == ["none", "atRisk"]


def test_table_cells_with_code_spans_after_text_split_at_their_pipes() -> None:
    page = "---\ndoc_type: enumPageType\n---\n# quotaState enum\n\n## Members\n\n| Value | Description\n|:--|:--\n| `normal`   | Plenty left.\n| `nearing` | Less than 10% left.\n"
    ir = read(quotastate=page)
    assert names(one_type(ir, "quotaState")["members"]) == ["normal", "nearing"]
    assert codes(ir) == []


# --- Entity vs complex from evidence ------------------------------------------------------

def _resource(name: str, body: str) -> str:
    return f"---\ndoc_type: resourcePageType\n---\n# {name} resource type\n\n{body}"


PROPS_WITH_ID = "## Properties\n\n|Property|Type|Description|\n|--|--|--|\n|id|String|Id.|\n|note|String|A note.|\n"


def test_entity_from_the_evidence_pages_give_and_complex_otherwise() -> None:
    methods = "## Methods\n\n|Method|Return type|Description|\n|--|--|--|\n|[Get](../api/shift-get.md)|[shift](shift.md)|Read it.|\n\n"
    ir = read(
        shift=_resource("shift", methods + "## Properties\n\n|Property|Type|Description|\n|--|--|--|\n|note|String|A note.|\n"),
        operation=_resource("operation", PROPS_WITH_ID + "\n## Relationships\n\nNone.\n"),
        keyed=_resource("keyed", '<!-- { "blockType": "resource", "keyProperty": "id", "@odata.type": "microsoft.graph.keyed" } -->\n```json\n{"id": "String"}\n```\n'),
        routed=_resource("routed", "## Properties\n\n|Property|Type|Description|\n|--|--|--|\n|note|String|A note.|\n"),
        derived=_resource("derived", "Inherits from [operation](operation.md).\n\n## Properties\n\n|Property|Type|Description|\n|--|--|--|\n|extra|String|More.|\n"),
        address=_resource("address", PROPS_WITH_ID + "\n## Methods\n\n|Method|Return type|Description|\n|--|--|--|\n|[Geocode](../api/x-geocode.md)|[location](location.md)|Not CRUD of address.|\n"),
        api_routed_get="---\ndoc_type: apiPageType\n---\n# Get routed\n\n## HTTP request\n\n```http\nGET /routeds/{id}\n```\n\n## Response\n\nIf successful, this method returns a `200 OK` response code and a [routed](../resources/routed.md) object in the response body.\n",
    )
    kinds = {t["name"]: t["kind"] for t in ir["types"] if t["kind"] != "placeholder"}
    assert kinds == {
        "shift": "entity",  # a Methods table of CRUD pages returning it
        "operation": "entity",  # a Relationships section and an `id`
        "keyed": "entity",  # keyProperty
        "routed": "entity",  # GET /routeds/{id} answers one
        "derived": "entity",  # inherits from a documented entity
        "address": "complex",  # an `id`, but no evidence of identity
    }
    assert one_type(ir, "operation")["key"] == ["id"]


# --- Type hints in resource JSON and annotation variants ----------------------------------

OLDER_DIALECT = """---
title: Item - Example API
---
# Item resource type

<!-- { "blockType": "resource", "@type": "example.resource.item", "@type.aka": "oneDrive.item",
       "optionalProperties": ["cTag"], "keyProperty": "id" } -->

```json
{
  "id": "string (identifier)",
  "cTag": "string (etag)",
  "created": "String (timestamp)",
  "modified": "timestamp",
  "webUrl": "url",
  "size": 1024,
  /* relationships */
  "content": { "@odata.type": "Edm.Stream" },
  "parent": { "@odata.type": "example.resource.folder" }, // the folder
  "children": [{ "@odata.type": "example.resource.item" }]
}
```
"""


def test_older_dialect_type_hints_annotation_variants_and_json_comments() -> None:
    ir = read(item=OLDER_DIALECT)
    t = one_type(ir, "item")
    assert (t["namespace"], t["kind"], t["key"]) == ("example.resource", "entity", ["id"])
    props = {p["name"]: (p["type"], p["collection"], p["format"]) for p in t["properties"]}
    assert props == {
        "id": ("String", False, ""),
        "cTag": ("String", False, ""),
        "created": ("DateTimeOffset", False, ""),
        "modified": ("DateTimeOffset", False, ""),
        "webUrl": ("String", False, "url"),
        "size": ("Int32", False, ""),
        "content": ("Stream", False, ""),
        "parent": ("example.resource.folder", False, ""),
        "children": ("example.resource.item", True, ""),
    }
    assert [p["doc_type"] for p in ir["pages"]] == ["resourcePageType"]
    assert "D307" not in codes(ir) and "D301" not in codes(ir)  # comments are the dialect


def test_type_names_of_the_older_dialect_in_tables() -> None:
    page = _resource("file", "## Properties\n\n|Property|Type|Description|\n|--|--|--|\n|when|timestamp|Time.|\n|count|int|Count.|\n|link|url|Link.|\n|path|Relative URL|Where.|\n")
    props = {p["name"]: (p["type"], p["format"]) for p in one_type(read(file=page), "file")["properties"]}
    assert props == {"when": ("DateTimeOffset", ""), "count": ("Int32", ""), "link": ("String", "url"), "path": ("String", "")}


# --- Every documented name kept -------------------------------------------------------------

NAMES = """---
doc_type: resourcePageType
---
# report resource type

## Properties

|Property|Type|Description|
|--|--|--|
|1Q|Int32|First quarter.|
|30dActive|Int32|Active in 30 days.|
|region|[region](region.md)|Where.|

### region values

|Value|Description|
|--|--|
|0|Zero.|
|24x7|Always.|
|north east 2|A region.|
|+plus|Plus.|
|Not a value, a sentence with commas, and more.|Garbage.|
"""

NAMES_API = """---
doc_type: apiPageType
---
# Get report

## HTTP request

```http
GET /report
```

## Response

If successful, this method returns a `200 OK` response code and a [report](../resources/report.md) object in the response body.

## Example

<!-- { "blockType": "request", "name": "get-report" } -->

```http
GET /report
```

<!-- { "blockType": "response", "@odata.type": "microsoft.graph.report" } -->

```http
HTTP/1.1 200 OK

{"1Q": 3, "30dActive": 4, "region": "north east 2"}
```
"""


def test_documented_names_that_are_not_identifiers_are_kept_and_examples_match_them() -> None:
    ir = read(report=NAMES, api_report_get=NAMES_API)
    assert names(one_type(ir, "report")["properties"]) == ["1Q", "30dActive", "region"]
    assert names(one_type(ir, "region")["members"]) == ["0", "24x7", "north east 2", "+plus"]
    found = [(d["code"], d["line"]) for d in ir["diagnostics"] if d["severity"] != "info"]
    assert found == [("D205", 22)], ir["diagnostics"]  # only the sentence in the member table


# --- Example checks as the docs' validator does them ---------------------------------------

CALL = _resource("meeting", "## Properties\n\n|Property|Type|Description|\n|--|--|--|\n|conferenceId|String|Id.|\n|start|DateTimeOffset|Start.|\n|day|Date|Day.|\n|at|TimeOfDay|Time.|\n|length|Duration|How long.|\n|guid|Guid|A GUID.|\n|joinUrl|url|Where.|\n")


def _meeting_api(request: str, response: str) -> str:
    return f"""---
doc_type: apiPageType
---
# Create meeting

## HTTP request

```http
POST /meetings
```

## Request body

In the request body, supply a JSON representation of a [meeting](../resources/meeting.md) object.

## Response

If successful, this method returns a `201 Created` response code and a [meeting](../resources/meeting.md) object in the response body.

## Example

<!-- {{ "blockType": "request", "name": "create-meeting" }} -->

```http
POST /meetings
Content-type: application/json

{request}
```

<!-- {{ "blockType": "response", "@odata.type": "microsoft.graph.meeting" }} -->

```http
HTTP/1.1 201 Created

{response}
```
"""


def _findings(request: str, response: str) -> list[tuple[str, str]]:
    ir = read(meeting=CALL, api_meeting_post=_meeting_api(request, response))
    return [(d["code"], d["message"]) for d in ir["diagnostics"] if d["code"].startswith("D5")]


def test_property_names_are_matched_with_their_case_in_requests_and_responses() -> None:
    found = _findings('{"ConferenceId": "a"}', '{"conferenceId": "a", "Start": "2015-07-08T15:48:00Z"}')
    assert [c for c, _ in found] == ["D501", "D501"]
    assert "the docs spell it `conferenceId`" in found[0][1] and "`Start`" in found[1][1]


def test_formats_are_checked_strictly() -> None:
    good = '{"start": "2015-07-08T15:48:00.5+02:00", "day": "2015-07-08", "at": "15:48:00", "length": "PT1H30M", "guid": "0c0a3e2f-6c1d-4c5e-9a42-1a2b3c4d5e6f", "joinUrl": "https://example.com/join"}'
    assert _findings(good, good) == []
    bad = {
        "start": "July 8, 2015 3:48 PM",
        "day": "2015-W28-3",
        "at": "3pm",
        "length": "1 day, 0:00:00",
        "guid": "not-a-guid",
        "joinUrl": "/relative/join",
    }
    import json

    found = _findings(json.dumps(bad), "{}")
    assert sorted(m.split("`")[1] for c, m in found if c == "D503") == sorted(bad)
    for value in ("2025-W44-6", "2015-07-08T15:48:00", "2015-07-08"):  # no offset, week date, no time
        assert [c for c, _ in _findings(json.dumps({"start": value}), "{}")] == ["D503"], value


def test_path_addressing_section_is_a_path_of_the_keyed_operation() -> None:
    page = NO_DOC_TYPE + """# Get a site

## Access a site by server-relative URL

### HTTP request

```http
GET /sites/{hostname}:/{relative-path}
```

## Get a site by ID

### HTTP request

```http
GET /sites/{site-id}
```

## Get the sites of a group

### HTTP request

```http
GET /groups/{group-id}/sites
```
"""
    ops = {op["name"]: op["paths"] for op in read(api_site_get=page)["operations"]}
    assert ops == {
        "Get a site by ID": ["/sites/{site-id}", "/sites/{hostname}:/{relative-path}"],
        "Get the sites of a group": ["/groups/{group-id}/sites"],
    }


def test_calls_of_an_opaque_url_stay_with_the_operation_that_hands_it_out() -> None:
    page = NO_DOC_TYPE + """# Upload large files

## Create an upload session

### HTTP request

```http
POST /items/{item-id}/createUploadSession
```

## Create a folder

### HTTP request

```http
POST /items/{item-id}/children
```

## Upload bytes

<!-- { "blockType": "request", "opaqueUrl": true, "name": "upload-bytes" } -->

```http
PUT https://upload.example.com/up/123
```

## Show a session

### Request

<!-- { "blockType": "request", "name": "create-session" } -->

```http
POST /items/abc/createUploadSession
```
"""
    ops = {op["name"]: op for op in read(api_upload=page)["operations"]}
    assert sorted(ops) == ["Create a folder", "Create an upload session"]
    # the opaque call and the example section that shows the first operation join it
    assert [e["name"] for e in ops["Create an upload session"]["examples"]] == ["create-session", "upload-bytes"]


def test_one_object_wrapped_in_value_is_checked_and_the_wrapping_reported_once() -> None:
    api = _meeting_api('{"conferenceId": "a"}', '{"value": {"conferenceId": "a", "start": "soon"}}')
    ir = read(meeting=CALL, api_meeting_post=api)
    found = sorted((d["code"], d["message"].split("`")[1]) for d in ir["diagnostics"] if d["code"].startswith("D5"))
    assert found == [("D501", "value"), ("D503", "start")]


def test_a_page_may_define_several_types_under_their_own_headings() -> None:
    page = NO_DOC_TYPE + """# Error resource

## JSON representation

<!-- { "blockType": "resource", "@odata.type": "microsoft.graph.error" } -->
```json
{ "error": { "@odata.type": "odata.error" } }
```

#### odata.error resource type

<!-- { "blockType": "resource", "@odata.type": "odata.error", "optionalProperties": ["target"] } -->
```json
{ "code": "string", "message": "string" }
```

| Property name | Value  | Description |
|:--------------|:-------|:------------|
| **code**      | string | An error code. |
| **message**   | string | A message. |
| **target**    | string | Optional. The target. |
"""
    ir = read(error=page)
    by_key = {(t["namespace"], t["name"]): t for t in ir["types"]}
    assert [(p["name"], p["type"]) for p in by_key[(None, "error")]["properties"]] == [("error", "odata.error")]
    assert names(by_key[("odata", "error")]["properties"]) == ["code", "message", "target"]
    assert codes(ir) == []


def test_a_page_with_very_many_sections_is_read_as_one_operation_in_linear_time() -> None:
    from generator.model.multiop import MAX_SECTIONS

    sections = "".join(f"## Op {i}\n\n### HTTP request\n\n```http\nGET /x{i}/{{id}}\n```\n\n" for i in range(MAX_SECTIONS + 1))
    ops = read(api_many=NO_DOC_TYPE + "# Many\n\n" + sections)["operations"]
    assert len(ops) == 1 and len(ops[0]["paths"]) == MAX_SECTIONS + 1
