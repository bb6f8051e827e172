"""The OpenAPI document built from hand-made IRs: structure, naming rules, determinism."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import yaml
from conftest import ROOT, api_of, example, prim, rich_api, tref
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generator.model.ir import Api, Parameter, Permission, Property, TypeDef
from generator.model.names import operation_method_names
from generator.render.openapi import build_document, dump_document, operation_ids
from generator.render.openapi_schemas import PRIMITIVE_SCHEMAS

REF = "#/components/schemas/"


def operations(doc: dict) -> dict[str, dict]:
    return {o["operationId"]: o for item in doc["paths"].values() for o in item.values()}


def validator_for(doc: dict, schema: dict) -> OAS31Validator:
    """A JSON Schema validator for `schema` that resolves `#/components/...` in `doc`."""
    registry = Registry().with_resource(
        "urn:doc", Resource({**doc, "x-check": schema}, DRAFT202012)
    )
    return OAS31Validator({"$ref": "urn:doc#/x-check"}, registry=registry)


def test_documents_pass_openapi_spec_validator(seed_api: Api, rich: Api) -> None:
    for api in (seed_api, rich):
        doc = build_document(api)
        validate(doc)
        assert doc["openapi"] == "3.1.0"


def test_operation_ids_are_route_names(rich: Api) -> None:
    doc = build_document(rich)
    ids = {(m, p): o["operationId"] for p, item in doc["paths"].items() for m, o in item.items()}
    # one operation per method and canonical path, named from the route (never a page's or an
    # example's name), unique without numbering: a page's three paths are three routes
    assert ids == {
        ("get", "/users/{user-id}"): "get_user",
        ("delete", "/users/{user-id}"): "delete_user",
        ("get", "/me"): "get_me",
        ("get", "/users"): "list_users",
        ("post", "/users/{user-id}/getMemberGroups"): "user_get_member_groups",
        ("post", "/me/getMemberGroups"): "me_get_member_groups",
        ("post", "/groups/{group-id}/getMemberGroups"): "group_get_member_groups",
        ("get", "/users/{user-id}/memberGroups2"): "get_user_member_groups2",
        ("get", "/security/alerts/{alert-id}/items/{item-id}"): "get_security_alert_item",
    }
    assert operation_ids([r.operation for r in rich.routes]) == {r.name: [r.name] for r in rich.routes}


def test_key_parameters_get_canonical_names_and_routes_are_counted(rich: Api) -> None:
    doc = build_document(rich)
    # /users/{user-id} (delete) and /users/{id} (get): one path item, `{id}` named from `users`
    assert "/users/{id}" not in doc["paths"]
    delete = doc["paths"]["/users/{user-id}"]["delete"]
    assert [p["name"] for p in delete["parameters"]] == ["user-id"]
    # a repeated name in one template: each key is named from the segment it addresses
    alert = doc["paths"]["/security/alerts/{alert-id}/items/{item-id}"]["get"]
    assert [(p["name"], p["in"], p["required"]) for p in alert["parameters"]] == [
        ("alert-id", "path", True),
        ("item-id", "path", True),
    ]
    assert doc["x-doc2code"]["omitted"] == [{"operation": "broken", "reason": "no usable path"}]
    assert doc["x-doc2code"]["operations"] == 8  # page operations
    assert doc["x-doc2code"]["carried"] == 7  # those with a route
    assert doc["x-doc2code"]["routes"] == 9
    assert doc["x-doc2code"]["merged"] == 1  # a second page documenting GET /users


def test_a_route_documented_twice_merges_into_one_operation(rich: Api) -> None:
    again = next(op for op in rich.operations if op.id == "user_list_again")
    again.query_params = [Parameter("$top", "query", prim("Int32"))]
    again.permissions = [Permission("application", ["Directory.Read.All"])]
    again.examples = [
        example("list_again", "GET", "https://graph.microsoft.com/v1.0/users", 200, {"value": []})
    ]
    rich.routes = []  # built again from the changed pages
    doc = build_document(rich)
    listed = doc["paths"]["/users"]["get"]
    assert listed["operationId"] == "list_users"
    assert listed["x-doc2code-merged"] == ["user_list_again"]
    assert [p["name"] for p in listed["parameters"]] == ["$top"]
    media = listed["responses"]["200"]["content"]["application/json"]
    assert media["schema"] == {"$ref": REF + "microsoft.graph.userCollectionResponse"}
    assert set(media["examples"]) == {"list_users", "list_again"}
    scopes = [s for req in listed["security"] for s in req["azureaadv2"]]
    assert scopes == sorted(scopes) and "Directory.Read.All" in scopes and "User.Read" in scopes
    validate(doc)


def test_operations_without_path_are_left_out(seed_api: Api) -> None:
    doc = build_document(seed_api)
    emitted = {o["x-doc2code-operation"] for o in operations(doc).values()}
    assert "create_synchronization_from_" not in emitted
    assert len(emitted) == 3 == len(seed_api.operations) - 1
    assert doc["x-doc2code"]["omitted"] == [
        {"operation": "create_synchronization_from_", "reason": "no usable path"}
    ]


def test_parameters_query_headers_and_descriptions(rich: Api) -> None:
    get = build_document(rich)["paths"]["/users/{user-id}"]["get"]
    by_name = {(p["in"], p["name"]): p for p in get["parameters"]}
    assert set(by_name) == {
        ("path", "user-id"),
        ("query", "$select"),
        ("header", "ConsistencyLevel"),
    }
    assert by_name[("path", "user-id")]["description"] == "The user id or principal name."
    assert by_name[("header", "ConsistencyLevel")]["required"] is False
    assert get["summary"] == "Get user"
    assert get["tags"] == ["users"]


def test_request_bodies_ref_or_inline(seed_api: Api, rich: Api) -> None:
    seed = operations(build_document(seed_api))
    body = seed["create_service_principal_synchronization_job"]["requestBody"]
    assert body["required"] is True
    media = body["content"]["application/json"]
    assert media["schema"] == {"$ref": REF + "microsoft.graph.synchronizationJob"}
    assert media["examples"]["create_synchronizationjob_from_synchronization"]["value"] == {
        "templateId": "BoxOutDelta"
    }
    inline = operations(build_document(rich))["user_get_member_groups"]["requestBody"]
    schema = inline["content"]["application/json"]["schema"]
    assert schema["required"] == ["securityEnabledOnly"]
    assert schema["properties"]["securityEnabledOnly"] == {"type": "boolean"}
    assert "requestBody" not in operations(build_document(rich))["get_user"]


def test_responses_statuses_collections_and_errors(seed_api: Api, rich: Api) -> None:
    ops = operations(build_document(rich))
    assert ops["delete_user"]["responses"]["204"] == {"description": "No Content"}
    listed = ops["list_users"]["responses"]["200"]["content"]["application/json"]
    assert listed["schema"] == {"$ref": REF + "microsoft.graph.userCollectionResponse"}
    assert ops["get_user"]["responses"]["default"] == {"$ref": "#/components/responses/error"}
    # a documented 404 example lands under 404 with the Graph error schema
    err = ops["get_security_alert_item"]["responses"]["404"]["content"]["application/json"]
    assert err["schema"] == {"$ref": REF + "ODataErrors.ODataError"}
    assert err["examples"]["alert_missing"]["value"]["error"]["code"] == "NotFound"
    assert set(ops["get_security_alert_item"]["responses"]) == {"200", "404", "default"}
    # primitive collections keep the envelope inline
    groups = ops["user_get_member_groups"]["responses"]["200"]["content"]["application/json"]
    assert groups["schema"]["properties"]["value"] == {"type": "array", "items": {"type": "string"}}
    seed = operations(build_document(seed_api))
    created = seed["create_application_synchronization_job"]["responses"]
    assert set(created) == {"201", "default"}
    example = created["201"]["content"]["application/json"]["examples"]
    assert example["create_synchronizationjob_from_"]["description"].startswith("Shortened")


def test_status_falls_back_to_the_first_example_then_200(rich: Api) -> None:
    user_get = next(op for op in rich.operations if op.id == "user_get")
    user_get.examples[0].response.status = 202  # type: ignore[union-attr]
    assert set(operations(build_document(rich))["get_user"]["responses"]) == {"202", "default"}
    user_get.examples.clear()
    assert set(operations(build_document(rich))["get_user"]["responses"]) == {"200", "default"}


def test_component_schemas(rich: Api) -> None:
    schemas = build_document(rich)["components"]["schemas"]
    user = schemas["microsoft.graph.user"]
    base, own = user["allOf"]
    assert base == {"$ref": REF + "microsoft.graph.directoryObject"}
    props = own["properties"]
    assert "id" not in props  # repeated from the base: the base's declaration stands
    assert props["age"] == {"type": ["integer", "null"], "format": "int32"}
    assert props["accountEnabled"] == {"type": "boolean"}  # documented not nullable
    assert props["businessPhones"] == {"type": "array", "items": {"type": "string"}}
    assert props["photo"]["contentEncoding"] == "base64"
    assert props["extra"] == {}
    assert props["manager"]["x-ms-navigationProperty"] is True
    assert props["manager"]["anyOf"][0] == {"$ref": REF + "microsoft.graph.directoryObject"}
    assert own["additionalProperties"] is True  # open type
    expected = {"Int64": "int64", "Double": "double", "Guid": "uuid", "Date": "date"}
    assert {k: PRIMITIVE_SCHEMAS[k]["format"] for k in expected} == expected
    assert schemas["microsoft.graph.userState"]["anyOf"][0]["enum"] == [
        "active",
        "blocked",
        "unknownFutureValue",
    ]
    root = schemas["microsoft.graph.directoryObject"]
    assert root["properties"]["id"] == {"type": "string", "readOnly": True}
    assert root["discriminator"]["propertyName"] == "@odata.type"
    assert root["discriminator"]["mapping"] == {
        f"#microsoft.graph.{n}": f"{REF}microsoft.graph.{n}"
        for n in ("directoryObject", "group", "teamGroup", "user")
    }
    assert set(schemas["microsoft.graph.group"]["discriminator"]["mapping"]) == {
        "#microsoft.graph.group",
        "#microsoft.graph.teamGroup",
    }
    assert "discriminator" not in schemas["microsoft.graph.teamGroup"]
    assert "microsoft.graph.security.alert" in schemas  # namespace kept


def test_schemas_accept_documented_examples_and_reject_wrong_types(rich: Api) -> None:
    doc = build_document(rich)
    listed = doc["paths"]["/users"]["get"]["responses"]["200"]["content"]["application/json"]
    check = validator_for(doc, listed["schema"])
    assert check.is_valid(listed["examples"]["list_users"]["value"])
    assert check.is_valid({"value": [{"state": "notYetDocumented", "unknown": 1}]})  # open enum
    assert not check.is_valid({"value": [{"accountEnabled": "yes"}]})
    assert not check.is_valid({"items": []})  # envelope needs `value`
    error = validator_for(doc, {"$ref": REF + "ODataErrors.ODataError"})
    assert error.is_valid({"error": {"code": "x", "message": "y", "innerError": {"date": "z"}}})
    assert not error.is_valid({"error": {"message": "no code"}})


def test_placeholders_accept_any_json_and_carry_the_diagnostic(seed_api: Api) -> None:
    doc = build_document(seed_api)
    holder = doc["components"]["schemas"]["microsoft.graph.educationSynchronizationProfileState"]
    assert holder["x-doc2code-placeholder"] is True
    assert "D401" in holder["description"]
    check = validator_for(doc, {"$ref": REF + "microsoft.graph.educationSynchronizationProfile"})
    assert check.is_valid({"state": "String", "displayName": "x"})
    assert not check.is_valid({"handleSpecialCharacterConstraint": "Boolean"})  # docs defect


def test_security_scopes_from_permission_tables(seed_api: Api) -> None:
    doc = build_document(seed_api)
    flow = doc["components"]["securitySchemes"]["azureaadv2"]["flows"]["authorizationCode"]
    assert flow["authorizationUrl"].startswith("https://login.microsoftonline.com/")
    assert list(flow["scopes"]) == ["Application.ReadWrite.OwnedBy", "Directory.ReadWrite.All"]
    assert "application" in flow["scopes"]["Directory.ReadWrite.All"]
    assert "work or school" in flow["scopes"]["Directory.ReadWrite.All"]
    ops = operations(doc)
    assert ops["create_service_principal_synchronization_job"]["security"] == [
        {"azureaadv2": ["Application.ReadWrite.OwnedBy"]},
        {"azureaadv2": ["Directory.ReadWrite.All"]},
    ]
    assert ops["create_application_synchronization_job"]["security"] == [{"azureaadv2": []}]


def test_authorization_header_is_left_to_the_security_scheme(seed_api: Api) -> None:
    op = operations(build_document(seed_api))["create_application_synchronization_job"]
    assert all(p["in"] != "header" for p in op["parameters"])


def test_output_is_deterministic_and_independent_of_input_order(rich: Api) -> None:
    text = dump_document(build_document(rich), "json")
    shuffled = rich_api()
    items = list(shuffled.types.items())
    random.Random(7).shuffle(items)
    random.Random(7).shuffle(shuffled.operations)
    shuffled = Api(types=dict(items), operations=shuffled.operations)
    assert dump_document(build_document(shuffled), "json") == text
    doc = json.loads(text)
    assert list(doc) == sorted(doc)
    assert list(doc["paths"]) == sorted(doc["paths"])


def test_yaml_matches_json_and_uses_no_aliases(rich: Api) -> None:
    doc = build_document(rich)
    shared = {"type": "string"}
    doc["x-shared"] = [shared, shared]  # the same object twice must not become an alias
    text = dump_document(doc, "yaml")
    assert "&id" not in text and "*id" not in text
    assert yaml.safe_load(text) == json.loads(dump_document(doc, "json"))


def test_stable_across_hash_seeds() -> None:
    code = (
        "import sys; sys.path.insert(0, 'tests/openapi');"
        "from conftest import rich_api;"
        "from generator.render.openapi import build_document, dump_document;"
        "sys.stdout.write(dump_document(build_document(rich_api()), 'yaml'))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1 and "paths:" in next(iter(outputs))


def test_empty_api_is_still_a_valid_document() -> None:
    doc = build_document(api_of([], []))
    validate(doc)
    assert doc["paths"] == {} and "ODataErrors.ODataError" in doc["components"]["schemas"]


def test_server_is_the_most_common_documented_host_and_version(seed_api: Api, rich: Api) -> None:
    assert build_document(rich)["servers"] == [{"url": "https://graph.microsoft.com/v1.0"}]
    # one beta and one v1.0 example (the third is relative): ties go to the smaller URL
    assert build_document(seed_api)["servers"] == [{"url": "https://graph.microsoft.com/beta"}]
    assert build_document(api_of([], []))["servers"] == [
        {"url": "https://graph.microsoft.com/v1.0"}
    ]


def test_collection_envelope_never_shadows_a_documented_type(rich: Api) -> None:
    clash = TypeDef("userCollectionResponse", "complex", properties=[Property("x", prim("Int32"))])
    rich.types[clash.key_name] = clash
    doc = build_document(rich)
    validate(doc)
    assert doc["components"]["schemas"]["microsoft.graph.userCollectionResponse"]["properties"][
        "x"
    ] == {"type": ["integer", "null"], "format": "int32"}
    listed = doc["paths"]["/users"]["get"]["responses"]["200"]["content"]["application/json"]
    assert listed["schema"]["properties"]["value"]["items"] == {
        "$ref": REF + "microsoft.graph.user"
    }
