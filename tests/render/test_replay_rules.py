"""The replay rules on a hand-built IR shaped like Graph's awkward pages: a create documented
once per subtype (one route, several operations), the same GET on every subtype page, a path
reached only by naming it, primitive / redirect results, a callback to another host and a
response shown without its request."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from generator.model.ir import (
    Api,
    Example,
    HttpRequest,
    HttpResponse,
    Operation,
    Page,
    PathTemplate,
    Source,
    TypeDef,
    TypeRef,
)
from generator.render import render
from generator.resolve.example_paths import complete_example_paths
from tests.render.conftest import example, prop, ref

APPS = "/deviceAppManagement/mobileApps"


def _app(kind: str, app_id: str) -> dict[str, typing.Any]:
    return {"@odata.type": f"#microsoft.graph.{kind}", "id": app_id, "displayName": kind}


def _op(
    op_id: str, method: str, templates: list[str], *examples: Example, **more: typing.Any
) -> Operation:
    paths = [PathTemplate(t, t, [], Source(f"api/{op_id}.md", 3)) for t in templates]
    source = Source(f"api/{op_id}.md", 1)
    return Operation(
        op_id, op_id, method=method, paths=paths, examples=list(examples), source=source, **more
    )


def replay_api() -> Api:
    types = [
        TypeDef("entity", "entity", properties=[prop("id", "String")], source=Source("r/e.md", 1)),
        TypeDef(
            "mobileApp",
            "entity",
            base_type="entity",
            properties=[prop("displayName", "String")],
            source=Source("r/app.md", 1),
        ),
        TypeDef(
            "iosLobApp",
            "entity",
            base_type="mobileapp",
            properties=[prop("bundleId", "String")],
            source=Source("r/ios.md", 1),
        ),
        TypeDef(
            "androidLobApp",
            "entity",
            base_type="mobileapp",
            properties=[prop("packageId", "String")],
            source=Source("r/android.md", 1),
        ),
    ]
    ops = []
    for kind in ("androidLobApp", "iosLobApp"):
        page = f"api/create-{kind}.md"
        body = {"@odata.type": f"#microsoft.graph.{kind}", "displayName": kind}
        ops.append(
            _op(
                f"create_{kind}",
                "POST",
                [APPS],
                example(
                    f"create_{kind}", "POST", APPS, body, 201, _app(kind, kind[:3]), 40, page=page
                ),
                request_type=ref(kind),
                response_type=ref(kind),
                response_status=201,
            )
        )
        page = f"api/get-{kind}.md"
        ops.append(  # the same request on both pages, each answered with its own subtype
            _op(
                f"get_{kind}",
                "GET",
                [APPS + "/{mobileAppId}"],
                example(
                    f"get_{kind}",
                    "GET",
                    APPS + "/{mobileAppId}",
                    None,
                    200,
                    _app(kind, "x"),
                    40,
                    page=page,
                ),
                response_type=ref(kind),
                response_status=200,
            )
        )
    ops.append(  # one parameter, two paths: the second is reached by naming it
        _op(
            "get_attachment",
            "GET",
            ["/me/events/{id}/attachments", "/me/messages/{id}/attachments"],
            example(
                "get_attachment",
                "GET",
                "/me/messages/m1/attachments",
                None,
                200,
                {"id": "a1"},
                40,
                page="api/get_attachment.md",
            ),
            response_type=ref("entity"),
            response_status=200,
        )
    )
    ops.append(  # a `/me` example of a `/users/{id}` path; a primitive collection result
        _op(
            "get_member_groups",
            "POST",
            ["/users/{id}/getMemberGroups"],
            example(
                "get_member_groups",
                "POST",
                "/me/getMemberGroups",
                None,
                200,
                {"value": ["g1", "g2"]},
                40,
                page="api/get_member_groups.md",
            ),
            response_type=TypeRef("String", collection=True, primitive=True),
            response_collection=True,
        )
    )
    where = Source("api/report.md", 40)
    report = Example(  # a report: 302 to the download; and a response shown without its request
        "report",
        HttpRequest(
            "GET", "https://graph.microsoft.com/v1.0/reports/daily", "/reports/daily", source=where
        ),
        HttpResponse(
            302,
            headers={"Location": "https://reports.example/r.csv"},
            source=Source(where.path, 50),
        ),
        where,
    )
    alone = Example(
        "alone", None, HttpResponse(302, source=Source(where.path, 80)), Source(where.path, 70)
    )
    ops.append(
        _op("get_report", "GET", ["/reports/daily"], report, alone, response_type=ref("entity"))
    )
    hook = Source("api/call.md", 60)
    callback = Example(
        "notification",
        HttpRequest(
            "POST",
            "https://bot.contoso.com/api/calls",
            "/api/calls",
            body={"value": []},
            body_is_json=True,
            body_raw="{}",
            source=hook,
        ),
        HttpResponse(202, source=Source(hook.path, 70)),
        hook,
    )
    ops.append(
        _op(
            "call_answer",
            "POST",
            ["/calls/{id}/answer"],
            example(
                "call_answer", "POST", "/calls/c1/answer", None, 202, None, 40, page="api/call.md"
            ),
            callback,
            response_status=202,
        )
    )
    pages = sorted({o.source.path for o in ops} | {t.source.path for t in types})
    api = Api(
        {t.key_name: t for t in types}, sorted(ops, key=lambda o: o.id), [Page(p) for p in pages]
    )
    api.diagnostics = sorted(complete_example_paths(api))  # the resolver's step
    return api


@pytest.fixture(scope="module")
def pkg(build_package):  # type: ignore[no-untyped-def]
    package = build_package(replay_api(), "replay_rules_pkg")
    importlib.import_module("replay_rules_pkg.server")
    return package


def test_one_route_per_method_and_path(pkg) -> None:  # type: ignore[no-untyped-def]
    routes = [(r.method, r.path) for r in pkg.server.ROUTES]
    assert len(routes) == len(set(routes))
    shared = next(r for r in pkg.server.ROUTES if r.method == "POST" and r.path == APPS)
    # one create per subtype page, one route: one handler, its body the subtypes' common base
    assert [h for h, _ in shared.targets] == ["create_device_app_management_mobile_app"]
    operation = pkg.server.OPERATIONS["create_device_app_management_mobile_app"]
    assert operation.model is pkg.models.MobileApp


def test_shared_route_dispatches_by_odata_type(pkg) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    class Mine(pkg.server.Handlers):  # type: ignore[misc,name-defined]
        def create_device_app_management_mobile_app(self, call, body):  # type: ignore[no-untyped-def]
            seen.append(type(body).__name__)
            return call.example()

    with TestClient(pkg.server.create_app(Mine())) as http:
        apps = pkg.Client("http://testserver", http=http).device_app_management.mobile_apps
        # Graph tells the subtypes of a polymorphic create apart by `@odata.type`, as documented
        ios = pkg.models.IosLobApp(odata_type="#microsoft.graph.iosLobApp", display_name="mine")
        android = pkg.models.AndroidLobApp(odata_type="#microsoft.graph.androidLobApp")
        ios, android = apps.create(ios), apps.create(android)
    assert seen == ["IosLobApp", "AndroidLobApp"]
    assert type(ios) is pkg.models.IosLobApp and ios.id == "ios"  # the iOS page's example
    assert type(android) is pkg.models.AndroidLobApp and android.id == "and"


def test_each_path_of_a_page_is_its_own_route(pkg) -> None:  # type: ignore[no-untyped-def]
    sent: list[str] = []
    with TestClient(pkg.server.create_app()) as http:
        http.event_hooks = {"request": [lambda r: sent.append(r.url.path)], "response": []}
        client = pkg.Client("http://testserver", http=http)
        client.me.events.by_id("e1").attachments.get()
        found = client.me.messages.by_id("m1").attachments.get()
    assert sent == ["/me/events/e1/attachments", "/me/messages/m1/attachments"]
    assert found is not None and found.id == "a1"  # the example of its own route


def test_me_alias_primitive_and_redirect_results(pkg) -> None:  # type: ignore[no-untyped-def]
    with TestClient(pkg.server.create_app()) as http:  # an httpx client following redirects
        client = pkg.Client("http://testserver", http=http)
        # `/me/getMemberGroups`, an example's alias of `/users/{id}/getMemberGroups`: unwrapped
        assert client.me.get_member_groups() == ["g1", "g2"]
        # a documented redirect is not followed: its Location is the result
        assert client.reports.daily.get() == "https://reports.example/r.csv"


def test_fixtures_say_what_each_example_checks() -> None:
    result = render(replay_api(), "replay_fixtures_pkg")
    data = {
        path.rsplit("/", 1)[1]: json.loads(f.text)
        for path, f in result.files.items()
        if "/fixtures/" in path
    }
    # the same GET documented on two subtype pages: one route, each example accepts the other's
    first, second = data["get_device_app_management_mobile_app.json"]["examples"]
    name = "get_device_app_management_mobile_app"
    assert first["alternatives"] == [[name, 1]] and second["alternatives"] == [[name, 0]]
    report, alone = data["get_reports_daily.json"]["examples"]
    assert report["replay"] and not alone["replay"]  # a response alone: nothing to replay
    assert alone["round_trip"] == {}
    answer, callback = data["call_answer.json"]["examples"]
    assert answer["replay"] and not callback["replay"] and callback["round_trip"] == {}
    codes = {d.code for d in result.diagnostics}
    assert {"D604"} <= codes


def test_generated_tests_pass_with_strict_markers(pkg) -> None:  # type: ignore[no-untyped-def]
    folder = Path(pkg.__file__).parent
    assert "strict=True" in (folder / "tests" / "test_examples.py").read_text(encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rxX", str(folder)],
        cwd=folder.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout[-3000:]
    # replays: 2 creates, 2 gets (each accepts the other's answer), attachment, /me, report, answer;
    # round trips: 2 create requests, 4 responses, the attachment; walks: 8 routes
    assert "23 passed" in out.stdout and "xfail" not in out.stdout, out.stdout[-2000:]
