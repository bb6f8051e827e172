"""The generated fluent client on a hand-built IR: every kind of segment, OData query options and
literals, paging, bodies of parameters; sync and async, over a recording `httpx.MockTransport`."""

from __future__ import annotations

import asyncio
import json
import typing
from urllib.parse import unquote

import httpx
import pytest

from generator.model.ir import (
    Api,
    Example,
    HttpRequest,
    Operation,
    Page,
    Parameter,
    PathTemplate,
    Source,
    TypeDef,
    TypeRef,
)
from tests.render.conftest import prop, ref

BASE = "https://graph.microsoft.com/v1.0"


def _op(op_id: str, method: str, template: str, title: str = "", **more: typing.Any) -> Operation:
    src = Source(f"api/{op_id}.md", 1)
    return Operation(
        op_id, title or op_id, method=method, paths=[PathTemplate(template, template, [], src)], source=src, **more
    )


def fluent_api() -> Api:
    message = TypeDef("message", "entity", properties=[prop("id", "String"), prop("subject", "String")], source=Source("r/m.md", 1))
    stream = TypeRef("Stream", primitive=True)
    ops = [
        _op("list_messages", "GET", "/users/{id}/messages", response_type=ref("message"), response_collection=True),
        _op("get_message", "GET", "/users/{id}/messages/{id2}", response_type=ref("message")),
        _op(
            "move",
            "POST",
            "/me/mailFolders/{id}/messages/{id2}/move",
            title="message: move",
            request_params=[Parameter("destinationId", "body", TypeRef("String", primitive=True), True)],
            response_type=ref("message"),
            response_status=201,
        ),
        _op("report", "GET", "/reports/getOffice365GroupsActivityCounts(period='{period_value}')", response_type=stream),
        _op("cells", "GET", "/me/drive/items/{id}/workbook/worksheets/{id2}/cell(row={row},column={column})"),
        _op("photo", "GET", "/me/photo/$value", response_type=stream),
        _op("manager_ref", "PUT", "/users/{id}/manager/$ref", response_status=204),
        _op("count", "GET", "/users/$count", response_type=TypeRef("Int32", primitive=True)),
        _op("cast", "GET", "/groups/{id}/members/microsoft.graph.message", response_type=ref("message"), response_collection=True),
        _op("by_app_id", "GET", "/applications(appId='{appId}')", response_type=ref("message")),
        _op("by_path", "GET", "/me/drive/root:/{item-path}:/content", response_type=stream),
        _op("delta", "GET", "/users/delta", response_type=ref("message"), response_collection=True),
    ]
    return Api(types={"message": message}, operations=sorted(ops, key=lambda o: o.id), pages=[Page(o.source.path) for o in ops])


@pytest.fixture(scope="module")
def pkg(build_package):  # type: ignore[no-untyped-def]
    return build_package(fluent_api(), "fluent_api_pkg")


def _recorder(replies: dict[str, typing.Any]) -> tuple[list[httpx.Request], httpx.MockTransport]:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        body = replies.get(unquote(request.url.raw_path.decode()).split("?")[0], None)
        if isinstance(body, bytes):
            return httpx.Response(200, content=body)
        return httpx.Response(200, json=body) if body is not None else httpx.Response(204)

    return sent, httpx.MockTransport(answer)


def _sent(request: httpx.Request) -> str:
    return f"{request.method} {unquote(request.url.raw_path.decode()).split('?')[0]}"


def test_every_segment_kind_sends_its_documented_path(pkg) -> None:  # type: ignore[no-untyped-def]
    sent, transport = _recorder({"/v1.0/me/photo/$value": b"\x89PNG", "/v1.0/users/$count": {"value": 7}})
    with pkg.Client(BASE, http=httpx.Client(transport=transport)) as graph:
        graph.users.by_id("u/1").messages.by_id("m1").get(select=["subject"], expand=["x"])
        graph.me.mail_folders.by_id("inbox").messages.by_id("m1").move(destination_id="archive")
        graph.reports.get_office365_groups_activity_counts(period="D7")
        graph.me.drive.items.by_id("i1").workbook.worksheets.by_id("w1").cell(row=2, column=3)
        assert graph.me.photo.content.get() == b"\x89PNG"
        graph.users.by_id("u1").manager.ref.put({"@odata.id": "https://x/users/u2"})
        assert graph.users.count() == 7
        graph.groups.by_id("g1").members.as_message.list(top=2, count=True, orderby=["subject desc"])
        graph.applications.by_app_id(app_id="it's").get()
        graph.me.drive.root.by_path("Folder A/b.txt").content.get()
        graph.users.delta(query={"$deltatoken": "t"}, headers={"Prefer": "return=minimal"})
    assert [_sent(r) for r in sent] == [
        "GET /v1.0/users/u%2F1/messages/m1".replace("%2F", "/"),
        "POST /v1.0/me/mailFolders/inbox/messages/m1/move",
        "GET /v1.0/reports/getOffice365GroupsActivityCounts(period='D7')",
        "GET /v1.0/me/drive/items/i1/workbook/worksheets/w1/cell(row=2,column=3)",
        "GET /v1.0/me/photo/$value",
        "PUT /v1.0/users/u1/manager/$ref",
        "GET /v1.0/users/$count",
        "GET /v1.0/groups/g1/members/microsoft.graph.message",
        "GET /v1.0/applications(appId='it''s')",
        "GET /v1.0/me/drive/root:/Folder A/b.txt:/content",
        "GET /v1.0/users/delta",
    ]
    assert sent[0].url.raw_path.startswith(b"/v1.0/users/u%2F1/")  # a key is one segment
    assert dict(sent[0].url.params) == {"$select": "subject", "$expand": "x"}
    assert json.loads(sent[1].content) == {"destinationId": "archive"}
    assert dict(sent[7].url.params) == {"$top": "2", "$count": "true", "$orderby": "subject desc"}
    assert json.loads(sent[5].content) == {"@odata.id": "https://x/users/u2"}
    assert dict(sent[10].url.params) == {"$deltatoken": "t"} and sent[10].headers["prefer"] == "return=minimal"


def _pages() -> dict[str, typing.Any]:
    return {
        "/v1.0/users/u1/messages": {
            "value": [{"id": "1", "subject": "a"}],
            "@odata.nextLink": BASE + "/users/u1/messages?$skiptoken=2",
        },
    }


def test_list_is_one_page_and_iter_follows_next_links(pkg) -> None:  # type: ignore[no-untyped-def]
    replies = _pages()
    sent, transport = _recorder(replies)

    def second(request: httpx.Request) -> httpx.Response:
        if "skiptoken" in str(request.url):
            sent.append(request)
            return httpx.Response(200, json={"value": [{"id": "2"}], "@odata.deltaLink": "d"})
        return transport.handle_request(request)

    with pkg.Client(BASE, http=httpx.Client(transport=httpx.MockTransport(second))) as graph:
        messages = graph.users.by_id("u1").messages
        page = messages.list(top=1)
        assert [m.id for m in page.value] == ["1"] and page.next_link.endswith("skiptoken=2")
        assert [m.id for m in messages.iter(top=1)] == ["1", "2"]
    assert str(sent[-1].url) == BASE + "/users/u1/messages?$skiptoken=2"  # verbatim

    async def walk() -> list[str]:
        async with pkg.AsyncClient(BASE, http=httpx.AsyncClient(transport=httpx.MockTransport(second))) as graph:
            first = await graph.users.by_id("u1").messages.list()
            assert type(first.value[0]) is pkg.models.Message
            return [m.id async for m in graph.users.by_id("u1").messages.iter()]

    assert asyncio.run(walk()) == ["1", "2"]


def test_async_builders_are_the_same_classes(pkg) -> None:  # type: ignore[no-untyped-def]
    sync = pkg.Client(BASE).users.by_id("u1").messages
    asynchronous = pkg.AsyncClient(BASE).users.by_id("u1").messages
    assert type(sync) is type(asynchronous)  # written once, shared
    assert repr(sync) == f"<{type(sync).__name__} /users/u1/messages>"


def test_odata_literals(pkg) -> None:  # type: ignore[no-untyped-def]
    import datetime
    import enum

    b = pkg._builders

    class Color(enum.Enum):
        RED = "red"

    assert [b.literal(v) for v in ("it's", True, False, 3, 2.5, None, Color.RED)] == [
        "'it''s'", "true", "false", "3", "2.5", "null", "'red'",
    ]
    assert b.literal(datetime.date(2024, 1, 2)) == "2024-01-02"
    assert b.literal(b.RawLiteral("microsoft.graph.x'y'")) == "microsoft.graph.x'y'"
    assert b.call("f", [("a", 1, True), ("b", None, False), ("c", "x", False)]) == "f(a='1',c='x')"


def _typed_function_api() -> Api:
    boolean, int32 = TypeRef("Boolean", primitive=True), TypeRef("Int32", primitive=True)
    op = _op(
        "activities",
        "GET",
        "/me/getRecentActivities(includeHidden={includeHidden},days={days},tag='{tag}')",
        title="user: getRecentActivities",
        query_params=[
            Parameter("includeHidden", "query", boolean),
            Parameter("days", "query", int32),
            Parameter("tag", "query", TypeRef("String", primitive=True)),
        ],
        response_type=TypeRef("Stream", primitive=True),
    )
    return Api(types={}, operations=[op], pages=[Page(op.source.path)])


def test_function_parameters_are_typed_from_their_table(build_package) -> None:  # type: ignore[no-untyped-def]
    import inspect

    pkg = build_package(_typed_function_api(), "typed_function_pkg")
    me = pkg.Client(BASE).me
    (verb,) = [getattr(me, n) for n in dir(me) if n.startswith("get_recent")]
    annotations = {k: p.annotation for k, p in inspect.signature(verb).parameters.items()}
    assert annotations["include_hidden"] == "bool | _b.RawLiteral | None"
    assert annotations["days"] == "int | _b.RawLiteral | None"
    assert annotations["tag"] == "str | _b.RawLiteral | None"
    sent, transport = _recorder({})
    with httpx.Client(transport=transport) as http:
        graph = pkg.Client(BASE, http=http)
        getattr(graph.me, verb.__name__)(include_hidden=False, days=7, tag="it's")
    assert unquote(str(sent[0].url)).endswith("getRecentActivities(includeHidden=false,days=7,tag='it''s')")


def test_unknown_keyword_is_a_type_error_with_a_hint(pkg) -> None:  # type: ignore[no-untyped-def]
    sent, transport = _recorder(_pages())
    with pkg.Client(BASE, http=httpx.Client(transport=transport)) as graph:
        messages = graph.users.by_id("u1").messages
        with pytest.raises(TypeError, match=r"list\(\) got an unexpected keyword argument 'fitler'; did you mean 'filter'\?"):
            messages.list(fitler="x", top=3)  # type: ignore[call-arg]
        with pytest.raises(TypeError, match=r"'tpo'; did you mean 'top'\?"):
            messages.list(tpo=3)  # type: ignore[call-arg]
        with pytest.raises(TypeError, match=r"iter\(\) got an unexpected keyword argument 'skp'"):
            list(messages.iter(skp=3))  # type: ignore[call-arg]
        with pytest.raises(TypeError, match=r"get\(\) got an unexpected keyword argument 'top'"):
            messages.by_id("m1").get(top=3)  # type: ignore[call-arg]  # not a GET of a collection
        with pytest.raises(TypeError, match=r"'destination'; did you mean 'destination_id'\?"):
            graph.me.mail_folders.by_id("i").messages.by_id("m").move(destination="x")  # type: ignore[call-arg]
        with pytest.raises(TypeError, match=r"'periods'; did you mean 'period'\?"):
            graph.reports.get_office365_groups_activity_counts(periods="D7")  # type: ignore[call-arg]
        messages.list(filter="x", query={"a": "b"}, headers={"h": "v"})  # the accepted ones pass
    assert len(sent) == 1 and dict(sent[0].url.params) == {"$filter": "x", "a": "b"}

    async def unknown() -> None:
        async with pkg.AsyncClient(BASE, http=httpx.AsyncClient(transport=transport)) as graph:
            await graph.users.by_id("u1").messages.list(fitler="x")  # type: ignore[call-arg]

    with pytest.raises(TypeError, match="fitler"):
        asyncio.run(unknown())
    assert len(sent) == 1  # nothing sent


def _body_api() -> Api:
    """One page, several paths; its only example calls the first: every path takes the body."""
    item = TypeDef("driveItem", "entity", properties=[prop("id", "String"), prop("name", "String")], source=Source("r/d.md", 1))
    src = Source("api/driveitem-update.md", 1)
    update = Operation(
        "update_item",
        "driveItem: update",
        method="PATCH",
        paths=[PathTemplate(t, t, [], src) for t in ("/me/drive/items/{item-id}", "/drives/{drive-id}/items/{item-id}")],
        response_type=ref("driveItem"),
        examples=[Example("u", HttpRequest("PATCH", "/me/drive/items/1", "/me/drive/items/1", body_raw='{"name": "a"}'), source=src)],
        source=src,
    )
    src2 = Source("api/driveitem-put-content.md", 1)
    upload = Operation(
        "upload",
        "Upload",
        method="PUT",
        paths=[PathTemplate(t, t, [], src2) for t in ("/me/drive/items/{item-id}/content", "/drives/{drive-id}/items/{item-id}/content")],
        response_type=ref("driveItem"),
        examples=[Example("p", HttpRequest("PUT", "/me/drive/items/1/content", "/me/drive/items/1/content", body_raw="The contents"), source=src2)],
        source=src2,
    )
    return Api(types={"driveItem": item}, operations=[update, upload], pages=[Page(src.path), Page(src2.path)])


def test_every_path_of_a_page_with_a_body_takes_the_body(build_package) -> None:  # type: ignore[no-untyped-def]
    pkg = build_package(_body_api(), "body_paths_pkg")
    sent, transport = _recorder({})
    with pkg.Client(BASE, http=httpx.Client(transport=transport)) as graph:
        graph.me.drive.items.by_id("i").update({"name": "a"})
        graph.drives.by_id("d").items.by_id("i").update({"name": "b"})  # no example calls it
        graph.drives.by_id("d").items.by_id("i").content.put(b"data")
        with pytest.raises(TypeError, match="'bdy'; did you mean 'body'"):
            graph.drives.by_id("d").items.by_id("i").update(bdy={})  # type: ignore[call-arg]
    assert [_sent(r) for r in sent] == [
        "PATCH /v1.0/me/drive/items/i",
        "PATCH /v1.0/drives/d/items/i",
        "PUT /v1.0/drives/d/items/i/content",
    ]
    assert json.loads(sent[1].content) == {"name": "b"} and sent[2].content == b"data"


def test_a_documented_redirect_is_its_location_on_a_3xx_and_the_content_on_a_2xx(build_package) -> None:  # type: ignore[no-untyped-def]
    stream = TypeRef("Stream", primitive=True)
    ops = [
        _op("download", "GET", "/drives/{drive-id}/items/{item-id}/content", response_type=stream, response_status=302),
        _op("report", "GET", "/reports/getEmailActivityUserDetail(date={date_value})", response_type=stream, response_status=302),
    ]
    pkg = build_package(Api(types={}, operations=ops, pages=[Page(o.source.path) for o in ops]), "redirect_pkg")
    status = ["200"]

    def answer(request: httpx.Request) -> httpx.Response:
        if status[0] == "302":
            return httpx.Response(302, headers={"Location": "https://dl/x"})
        return httpx.Response(200, content=b"BYTES")

    transport = httpx.MockTransport(answer)
    with pkg.Client(BASE, http=httpx.Client(transport=transport)) as graph:
        content = graph.drives.by_id("d").items.by_id("i").content
        assert content.get() == b"BYTES"
        assert graph.reports.get_email_activity_user_detail(date="2024-01-01") == b"BYTES"
        status[0] = "302"
        assert content.get() == "https://dl/x"
        assert graph.reports.get_email_activity_user_detail(date="2024-01-01") == "https://dl/x"

    async def both() -> list[typing.Any]:
        async with pkg.AsyncClient(BASE, http=httpx.AsyncClient(transport=transport)) as graph:
            status[0] = "200"
            first = await graph.drives.by_id("d").items.by_id("i").content.get()
            status[0] = "302"
            return [first, await graph.drives.by_id("d").items.by_id("i").content.get()]

    assert asyncio.run(both()) == [b"BYTES", "https://dl/x"]
