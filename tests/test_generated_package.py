"""The committed generated package, imported and used: the client against the stub, the models
on the seed examples, a bad body rejected with a Graph error."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import graph_client
import httpx
import pytest
from graph_client import models
from graph_client.server import Handlers, create_app
from starlette.testclient import TestClient

FIXTURES = Path(graph_client.__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    with TestClient(create_app()) as http:
        yield graph_client.Client("http://testserver", http=http)


def test_seed_models_exist_with_placeholders() -> None:
    assert {"Synchronization", "SynchronizationJob", "EducationSynchronizationProfile"} <= set(
        models.__all__
    )
    assert "D401" in (models.SynchronizationSchedule.__doc__ or "")
    state = models.EducationSynchronizationProfileState("deletionFailed")
    assert state is models.EducationSynchronizationProfileState.DELETION_FAILED
    assert (
        models.EducationSynchronizationProfileState("notYetDocumented").value == "notYetDocumented"
    )


def test_one_handler_and_one_builder_per_route() -> None:
    routes = {
        "create_application_synchronization_job": ("applications", "POST"),
        "create_service_principal_synchronization_job": ("service_principals", "POST"),
        "create_education_synchronization_profile": ("education", "POST"),
    }
    handlers = {n for n in dir(Handlers) if not n.startswith("_")}
    assert handlers == set(routes)  # named from the routes, never from the example names
    for name, (root, _) in routes.items():
        assert isinstance(getattr(graph_client.Client, root), property)
        assert json.loads((FIXTURES / f"{name}.json").read_text())["call"]["steps"][0]["name"] == root
    # the page whose URL is broken: a diagnostic, no route, its model still generated
    assert not hasattr(graph_client.Client, "synchronization") and models.Synchronization


def test_client_calls_stub_and_gets_documented_example(client) -> None:  # type: ignore[no-untyped-def]
    fixture = json.loads((FIXTURES / "create_application_synchronization_job.json").read_text())
    body = models.SynchronizationJob.model_validate(fixture["examples"][0]["request"]["body"])
    job = client.applications.by_id("{applicationsId}").synchronization.jobs.create(body)
    assert isinstance(job, models.SynchronizationJob)
    assert job.id == "4ed09b39-9b39-4ed0-399b-d04e399bd04e" and job.template_id == "String"
    assert isinstance(job.schedule, models.SynchronizationSchedule)


def test_bad_request_body_is_a_graph_error(client) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(graph_client.GraphError) as info:
        client.education.synchronization_profiles.create(
            {"displayName": "x", "handleSpecialCharacterConstraint": "Boolean"}
        )
    error = info.value
    assert error.status_code == 422 and error.code == "invalidRequest"
    assert "handleSpecialCharacterConstraint" in error.message


def test_async_client_over_httpx_asgi_transport() -> None:
    async def run() -> object:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app())) as http:
            client = graph_client.AsyncClient("http://stub", http=http)
            jobs = client.service_principals.by_id("{id}").synchronization.jobs
            return await jobs.create(models.SynchronizationJob(template_id="BoxOutDelta"))

    assert asyncio.run(run()) is None  # the page documents no response body


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.json")), ids=lambda p: p.stem)
def test_seed_example_bodies_round_trip_or_are_flagged(fixture: Path) -> None:
    data = json.loads(fixture.read_text())
    for example in data["examples"]:
        for part, reason in example["round_trip"].items():  # the bodies that load into a model
            sent = part == "request"
            body = example["request" if sent else "response"]["body"]
            model = getattr(models, data["body" if sent else "response"]["model"].split(".")[-1])
            if reason:
                with pytest.raises(ValueError):
                    model.model_validate(body)
            else:  # as documented, plus the @odata.type of derived types that had none
                written = model.model_validate(body).to_json()
                assert _untagged(written, body) == body


def _untagged(written: Any, documented: Any) -> Any:
    if isinstance(written, dict) and isinstance(documented, dict):
        return {
            k: _untagged(v, documented.get(k))
            for k, v in written.items()
            if k != "@odata.type" or k in documented
        }
    if isinstance(written, list) and isinstance(documented, list) and len(written) == len(documented):
        return [_untagged(w, d) for w, d in zip(written, documented, strict=True)]
    return written
