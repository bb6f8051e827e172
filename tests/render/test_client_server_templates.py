"""builders / client / handlers / server templates: the generated fluent client calls the
generated stub (sync over Starlette's test transport, async over httpx's ASGI transport)."""

from __future__ import annotations

import asyncio
import importlib
import json
import typing

import httpx
import pytest
from starlette.testclient import TestClient

from tests.render.conftest import sample_api


@pytest.fixture(scope="module")
def pkg(build_package):  # type: ignore[no-untyped-def]
    package = build_package(sample_api(), "sample_api_pkg")
    importlib.import_module("sample_api_pkg.server")
    return package


@pytest.fixture(scope="module")
def client(pkg):  # type: ignore[no-untyped-def]
    with TestClient(pkg.server.create_app()) as http:
        yield pkg.Client("http://testserver", http=http)


def test_model_body_and_model_response(pkg, client) -> None:  # type: ignore[no-untyped-def]
    jobs = client.service_principals.by_id("sp1").synchronization.jobs
    job = jobs.create(pkg.models.SynchronizationJob(template_id="BoxOutDelta", enabled=True))
    assert type(job) is pkg.models.SynchronizationJob and job.count == 3
    assert type(job.owner) is pkg.models.User and job.owner.display_name == "Ann"


def test_collection_response_pages_and_routes(pkg, client) -> None:  # type: ignore[no-untyped-def]
    page = client.groups.by_id("g1").members.list(top=5)  # GET /groups/{group-id}/members
    assert type(page.value[0]) is pkg.models.User  # polymorphic: directoryObject -> user
    assert page.next_link == "https://next" and page.delta_link is None
    # /users is the same page's other route: its own builder, answered by the route's example
    # (it has none: the documented status, no body)
    assert client.users.list() is None


def test_inline_body_and_no_content(pkg, client) -> None:  # type: ignore[no-untyped-def]
    user = client.users.by_id("u1").assign_license(add_licenses=["a"])  # a bound action
    assert user.display_name == "Ann"
    assert client.users.by_id("u1").delete() is None


def test_route_names_and_not_generated_operation(pkg) -> None:  # type: ignore[no-untyped-def]
    handlers = {n for n in dir(pkg.server.Handlers) if not n.startswith("_")}
    assert handlers == {
        "create_service_principal_synchronization_job",
        "delete_user",
        "list_group_members",
        "list_users",
        "user_assign_license",
    }  # from the routes: never the example names, nor `create_thing`'s unusable path
    assert not hasattr(pkg.Client, "things")


def test_bad_bodies_get_graph_errors_not_500(pkg) -> None:  # type: ignore[no-untyped-def]
    http = TestClient(pkg.server.create_app())
    url = "/servicePrincipals/sp1/synchronization/jobs"
    reply = http.post(url, content=b"{not json", headers={"content-type": "application/json"})
    assert reply.status_code == 400 and reply.json()["error"]["code"] == "BadRequest"
    reply = http.post(url, json={"enabled": "Boolean", "count": "x"})
    assert reply.status_code == 422
    error = reply.json()["error"]
    assert (
        error["code"] == "invalidRequest"
        and "enabled" in error["message"]
        and "count" in error["message"]
    )
    reply = http.post(url)
    assert reply.status_code == 400 and "required" in reply.json()["error"]["message"]
    reply = http.get("/nowhere/at/all")
    assert reply.status_code == 404 and reply.json()["error"]["code"] == "ResourceNotFound"
    reply = http.put(url, json={})
    assert reply.status_code == 405 and reply.json()["error"]["code"] == "MethodNotAllowed"


def test_client_raises_graph_error_with_body(pkg, client) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(pkg.GraphError) as info:
        client.service_principals.by_id("sp1").synchronization.jobs.create({"enabled": "Boolean"})
    assert info.value.status_code == 422 and info.value.code == "invalidRequest"
    assert info.value.body["error"]["message"].startswith("invalid request body")


def test_handlers_are_overridable(pkg) -> None:  # type: ignore[no-untyped-def]
    seen: list[typing.Any] = []

    class Mine(pkg.server.Handlers):  # type: ignore[misc,name-defined]
        def create_service_principal_synchronization_job(  # type: ignore[no-untyped-def]
            self, call, service_principal_id, body
        ):
            seen.append((service_principal_id, body))
            return pkg.models.SynchronizationJob(id="made", template_id=body.template_id)

    with TestClient(pkg.server.create_app(Mine())) as http:
        graph = pkg.Client("http://testserver", http=http)
        job = graph.service_principals.by_id("sp9").synchronization.jobs.create(
            pkg.models.SynchronizationJob(template_id="X")
        )
    assert job.id == "made" and job.template_id == "X"
    assert seen[0][0] == "sp9" and type(seen[0][1]) is pkg.models.SynchronizationJob


def test_async_client_over_asgi_transport(pkg) -> None:  # type: ignore[no-untyped-def]
    async def run() -> typing.Any:
        transport = httpx.ASGITransport(app=pkg.server.create_app())
        async with (
            httpx.AsyncClient(transport=transport) as http,
            pkg.AsyncClient("http://stub", http=http) as client,
        ):
            jobs = client.service_principals.by_id("sp1").synchronization.jobs
            return await jobs.create(
                pkg.models.SynchronizationJob(template_id="BoxOutDelta", enabled=True)
            )

    job = asyncio.run(run())
    assert job.template_id == "BoxOutDelta" and job.owner.display_name == "Ann"


def test_generated_example_tests_pass_or_xfail_with_diagnostic(pkg) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys
    from pathlib import Path

    folder = Path(pkg.__file__).parent
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rx", str(folder)],
        cwd=folder.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout[-3000:]
    # a test per replay and per body that loads into a model; none where there is nothing to
    # check (the 204 delete has no body to load); one walk of each of the 5 routes
    assert "17 passed, 3 xfailed" in out.stdout and "skipped" not in out.stdout, out.stdout[-2000:]
    # the contradicting example names its diagnostic; the pathless operation names D602
    assert "D502" in out.stdout and "D602" in out.stdout


def test_route_table_is_data_checked_on_read(pkg, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`routes.json` names models only by dotted path inside the package; anything else (a
    module outside it, a non-model, a bad shape) is a ValueError naming the file, never an import."""
    server = pkg._server
    table = json.loads(server.ROUTE_TABLE.read_text(encoding="utf-8"))
    routes, operations = server.load_table("sample_api_pkg")
    assert len(routes) == len(table["routes"]) and set(operations) == set(table["operations"])
    name, (kind, dotted, _) = next((k, v) for k, v in table["operations"].items() if v[0] == "model")
    assert operations[name].model is getattr(pkg.models, dotted.split(".")[1])
    for model in [
        "os.system",
        "models.os.system",
        "operations.__import__('os')",
        "operations.nosuch.Body",
        "models.NoSuchModel",
        "models.__builtins__",
    ]:
        hostile = json.loads(json.dumps(table))
        hostile["operations"][name][1] = model
        forged = tmp_path / "routes.json"
        forged.write_text(json.dumps(hostile), encoding="utf-8")
        monkeypatch.setattr(server, "ROUTE_TABLE", forged)
        with pytest.raises(ValueError, match="route table"):
            server.load_table("sample_api_pkg")
    route = table["routes"][0]
    handler = route[2][0][0]
    broken = [
        {"operations": {}, "routes": [["GET"]]},
        {**table, "routes": [[route[0], route[1], []]]},  # a route without a handler
        {**table, "routes": [[route[0], route[1], [["__init__", []]]]]},  # not a handler of the table
        {**table, "routes": [[route[0], route[1], [[handler, [["nope", "x"]]]]]]},  # no such parameter
        {**table, "routes": [["TRACE", route[1], route[2]]]},
        {**table, "operations": {**table["operations"], name: ["whatever", None, 200]}},
        {**table, "operations": {**table["operations"], name: ["none", None, 10**9]}},
        {**table, "operations": {**table["operations"], "__class__": ["none", None, 200]}},
        [],
    ]
    for data in broken:
        forged.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(ValueError, match="route table"):
            server.load_table("sample_api_pkg")
    for text in ["{not json", "[" * 100_000 + "]" * 100_000]:
        forged.write_text(text, encoding="utf-8")
        with pytest.raises(ValueError, match="route table"):
            server.load_table("sample_api_pkg")
    forged.unlink()
    with pytest.raises(ValueError, match="route table"):
        server.load_table("sample_api_pkg")
