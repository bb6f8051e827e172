"""The five seed pages in specs/: their content and their real defects."""

from __future__ import annotations

import pytest

from generator.build import load_api
from generator.model.ir import Api
from tests.conftest import SPECS


@pytest.fixture(scope="module")
def api() -> Api:
    return load_api([SPECS], jobs=1)


def codes_at(api: Api, page: str) -> list[tuple[int, str]]:
    return [(d.line, d.code) for d in api.diagnostics if d.path == page]


def test_profile_state_has_six_members(api: Api) -> None:
    state = api.types["educationsynchronizationprofilestate"]
    assert state.kind == "enum"
    assert [m.name for m in state.members] == [
        "deleting", "deletionFailed", "provisioningFailed", "provisioned", "provisioning", "unknownFutureValue",
    ]


def test_profile_response_read_without_blank_line(api: Api) -> None:
    op = next(o for o in api.operations if o.source.path == "api/educationsynchronizationprofile-post.md")
    response = op.examples[0].response
    assert response is not None and response.status == 201
    assert response.body["displayName"] == "String"
    assert response.body_is_json


def test_broken_url_is_reported_and_gives_no_path(api: Api) -> None:
    op = next(o for o in api.operations if o.source.path == "api/synchronization-synchronization-post.md")
    assert op.paths == []
    assert (31, "D306") in codes_at(api, "api/synchronization-synchronization-post.md")
    assert (65, "D306") in codes_at(api, "api/synchronization-synchronization-post.md")
    assert all("Collection" not in e.request.path for e in op.examples if e.request)


def test_two_create_job_pages_are_two_operations(api: Api) -> None:
    creates = [o for o in api.operations if o.title == "Create synchronizationJob"]
    assert len(creates) == 2
    assert len({o.id for o in creates}) == 2
    assert sorted(p.template for o in creates for p in o.paths) == [
        "/applications/{applicationsId}/synchronization/jobs",
        "/servicePrincipals/{id}/synchronization/jobs",
    ]


def test_boolean_string_and_todo_are_reported(api: Api) -> None:
    found = codes_at(api, "api/educationsynchronizationprofile-post.md")
    assert (90, "D502") in found  # "handleSpecialCharacterConstraint": "Boolean" in the request
    assert (121, "D502") in found  # ... and in the response
    assert any(code == "D106" for _, code in found)


def test_types_and_placeholders(api: Api) -> None:
    assert api.types["synchronization"].kind == "entity"
    assert [p.name for p in api.types["synchronization"].properties] == ["secrets", "version"]
    assert [p.name for p in api.types["synchronization"].navigation] == ["jobs", "templates"]
    assert api.types["synchronizationjob"].kind == "entity"  # read from the request body table
    assert api.types["keyvaluepair"].kind == "placeholder"
    assert "no page defines it" in api.types["keyvaluepair"].placeholder_reason


def test_permissions_read(api: Api) -> None:
    op = next(o for o in api.operations if o.source.path == "api/serviceprincipal-synchronization-post-jobs.md")
    scopes = {p.kind: p.scopes for p in op.permissions}
    assert scopes == {
        "delegated_work": ["Directory.ReadWrite.All"],
        "delegated_personal": [],
        "application": ["Application.ReadWrite.OwnedBy", "Directory.ReadWrite.All"],
    }
    # the C# tab is an SDK snippet, never an example
    assert len(op.examples) == 1 and op.examples[0].request is not None
    assert op.examples[0].request.body == {"templateId": "BoxOutDelta"}


def test_diagnostics_sorted_and_formatted(api: Api) -> None:
    assert api.diagnostics == sorted(api.diagnostics, key=lambda d: (d.path, d.line, d.col, d.code, d.message))
    line = api.diagnostics[0].format()
    assert line.startswith(f"{api.diagnostics[0].path}:{api.diagnostics[0].line}:1: D")
