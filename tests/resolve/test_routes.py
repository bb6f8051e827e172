"""The route rules (generator.resolve.routes): segments, canonical key names, route names, the
merge of pages documenting one route, the split of a page documenting several, examples to routes."""

from __future__ import annotations

from generator.model.ir import (
    Api,
    Example,
    HttpRequest,
    HttpResponse,
    Operation,
    Parameter,
    PathTemplate,
    Source,
    TypeDef,
    TypeRef,
)
from generator.resolve.route_names import route_name, singular
from generator.resolve.routes import build_routes, read_template, routed_api


def _op(op_id: str, method: str, *templates: str, title: str = "", **more: object) -> Operation:
    src = Source(f"api/{op_id}.md", 1)
    paths = [PathTemplate(t, t, [], src) for t in templates]
    return Operation(op_id, title or op_id, method=method, paths=paths, source=src, **more)  # type: ignore[arg-type]


def _example(name: str, method: str, path: str, page: str, body: object = None) -> Example:
    src = Source(page, 10)
    request = HttpRequest(method, "https://graph.microsoft.com/v1.0" + path, path, source=src)
    return Example(name, request, HttpResponse(200, body=body, source=Source(page, 20)), src)


def _routes(*ops: Operation, types: dict[str, TypeDef] | None = None) -> tuple[Api, dict[str, object]]:
    api = Api(types=types or {}, operations=sorted(ops, key=lambda o: o.id))
    diags = build_routes(api)
    return api, {"diagnostics": diags, "by_path": {(r.method, r.path): r for r in api.routes}}


def test_segments_are_classified_in_odata_terms() -> None:
    cases = {
        "/users/{id}/messages/{id2}/$value": ["root", "key", "navigation", "key", "value"],
        "/groups/{id}/members/{id2}/$ref": ["root", "key", "navigation", "key", "ref"],
        "/users/$count": ["root", "count"],
        "/groups/{id}/members/microsoft.graph.user": ["root", "key", "navigation", "cast"],
        "/applications(appId='{appId}')": ["alternate_key"],
        "/reports/getOffice365GroupsActivityCounts(period='{period_value}')": ["root", "function"],
        "/me/drive/root:/{item-path}:/content": ["root", "navigation", "path", "navigation"],
    }
    for template, kinds in cases.items():
        api, found = _routes(_op("op", "GET", template))
        assert [s.kind for s in api.routes[0].segments] == kinds, template
    assert read_template("** Collection URI not found") is None  # no route, the caller reports


def test_key_parameters_are_named_from_the_segment_they_address() -> None:
    api, _ = _routes(
        _op("a", "GET", "/users/{id}/mailFolders/{id2}/childFolders/{id3}"),
        _op("b", "GET", "/sites/{site-id}/sites/{id}"),
        _op("c", "GET", "/drives/{drive-id}/items/{item-id | path}"),
    )
    paths = sorted(r.path for r in api.routes)
    assert paths == [
        "/drives/{drive-id}/items/{item-id}",
        "/sites/{site-id}/sites/{site-id2}",
        "/users/{user-id}/mailFolders/{mailFolder-id}/childFolders/{childFolder-id}",
    ]
    route = next(r for r in api.routes if r.path.startswith("/users"))
    assert route.members[0].params == {"id": "user-id", "id2": "mailFolder-id", "id3": "childFolder-id"}
    assert route.segments[1].aliases == ["id"]  # the documented spelling stays an alias
    assert singular("drives") == "drive" and singular("policies") == "policy"


def test_route_names_come_from_the_path_never_from_pages() -> None:
    api, _ = _routes(
        _op("get_messages_2", "GET", "/users/{id}/messages", response_collection=True),
        _op("create_synchronizationjob_from", "POST", "/applications/{id}/synchronization/jobs", response_status=201),
        _op("x1", "GET", "/users/{id}"),
        _op("x2", "POST", "/me/sendMail", title="user: sendMail"),
        _op("x3", "POST", "/me/messages/{id}/move"),
        _op("x4", "GET", "/users/$count"),
        _op("x5", "DELETE", "/groups/{id}/members/{id2}/$ref"),
        _op("x6", "GET", "/users/{id}/photo/$value"),
        _op("x7", "GET", "/groups/{id}/members/microsoft.graph.user", response_collection=True),
        _op("x8", "GET", "/reports/getOffice365GroupsActivityCounts(period='{period_value}')"),
        _op("x9", "GET", "/applications(appId='{appId}')"),
        _op("x10", "GET", "/users/delta", response_collection=True),
    )
    assert sorted(r.name for r in api.routes) == sorted(
        [
            "list_user_messages",
            "create_application_synchronization_job",
            "get_user",
            "me_send_mail",
            "me_message_move",
            "count_users",
            "delete_group_member_ref",
            "get_user_photo_content",
            "list_group_members_as_user",
            "reports_get_office365_groups_activity_counts",
            "get_application_by_app_id",
            "users_delta",
        ]
    )
    report = next(r for r in api.routes if r.name.startswith("reports_"))
    assert report.path == "/reports/getOffice365GroupsActivityCounts(period='{period}')"
    assert report.members[0].params == {"period_value": "period"}


def test_pages_documenting_one_route_merge_into_one_operation() -> None:
    user = TypeDef("user", "entity", base_type="directoryobject", source=Source("r/user.md", 1))
    group = TypeDef("group", "entity", base_type="directoryobject", source=Source("r/group.md", 1))
    base = TypeDef("directoryObject", "entity", base_type="entity", source=Source("r/do.md", 1))
    entity = TypeDef("entity", "entity", source=Source("r/entity.md", 1))
    types = {t.key_name: t for t in (user, group, base, entity)}
    first = _op(
        "create_user_member",
        "POST",
        "/groups/{id}/members",
        response_type=TypeRef("user", resolved="user"),
        request_type=TypeRef("user", resolved="user"),
        examples=[_example("one", "POST", "/groups/g1/members", "api/create_user_member.md")],
    )
    second = _op(
        "create_group_member",
        "POST",
        "/groups/{group-id}/members",
        response_type=TypeRef("group", resolved="group"),
        request_type=TypeRef("group", resolved="group"),
        query_params=[Parameter("$select", "query")],
        examples=[_example("two", "POST", "/groups/g2/members", "api/create_group_member.md")],
    )
    api, found = _routes(first, second, types=types)
    assert len(api.routes) == 1
    route = api.routes[0]
    assert route.path == "/groups/{group-id}/members" and route.name == "create_group_member"
    assert {m.operation for m in route.members} == {"create_user_member", "create_group_member"}
    merged = route.operation
    assert [e.name for e in merged.examples] == ["two", "one"]  # the union, by page
    assert merged.request_type is not None and merged.request_type.resolved == "directoryobject"
    assert [p.name for p in merged.path_params] == ["group-id"]
    assert [p.name for p in merged.query_params] == ["$select"]
    d407 = [d for d in found["diagnostics"] if d.code == "D407"]  # type: ignore[attr-defined]
    assert len(d407) == 1 and d407[0].severity.name == "INFO"


def test_one_page_several_routes_and_examples_by_path() -> None:
    page = "api/user-get.md"
    op = _op(
        "user_get",
        "GET",
        "/me",
        "/users/{id | userPrincipalName}",
        examples=[
            _example("by_id", "GET", "/users/u1", page, {"id": "u1"}),
            _example("me", "GET", "/me", page, {"id": "me"}),
        ],
    )
    api, found = _routes(op)
    by_path = found["by_path"]
    assert [e.name for e in by_path[("GET", "/me")].operation.examples] == ["me"]  # type: ignore[index]
    assert [e.name for e in by_path[("GET", "/users/{user-id}")].operation.examples] == ["by_id"]  # type: ignore[index]
    renderable = routed_api(api)
    assert sorted(o.id for o in renderable.operations) == ["get_me", "get_user"]


def test_query_parameters_keep_to_their_route() -> None:
    op = _op(
        "ext_get",
        "GET",
        "/devices/{Id}/extensions/{extensionId}",
        query_params=[
            Parameter("extensionId", "query", required=True),  # a path parameter, listed again
            Parameter("id_value", "query", required=True),  # a placeholder of a `$filter`
            Parameter("$expand", "query"),
        ],
    )
    op.paths[0].raw = "/devices/{Id}/extensions/{extensionId}?$filter=id eq '{id_value}'"
    api, _ = _routes(op)
    assert [p.name for p in api.routes[0].operation.query_params] == ["$expand"]


def test_a_post_to_a_verb_named_segment_is_a_bound_action() -> None:
    link = _op("create-link", "POST", "/drives/{driveId}/items/{itemId}/createLink", title="Create a sharing link", response_type=TypeRef("permission"))
    session = _op("session", "POST", "/me/drive/items/{itemId}/createUploadSession", title="Create an upload session")
    folders = _op("folders", "POST", "/me/mailFolders", title="Create mailFolder", response_status=201)
    groups = _op("groups", "POST", "/me/calendarGroups", title="Create CalendarGroup", request_type=TypeRef("calendarGroup"))
    api, _ = _routes(link, session, folders, groups)
    kinds = {r.path: r.segments[-1].kind for r in api.routes}
    assert kinds["/drives/{drive-id}/items/{item-id}/createLink"] == "action"
    assert kinds["/me/drive/items/{item-id}/createUploadSession"] == "action"
    assert kinds["/me/mailFolders"] == "navigation" and kinds["/me/calendarGroups"] == "navigation"


def test_segment_spelling_is_one_per_path_case_insensitively() -> None:
    ops = [
        _op("list", "GET", "/me/calendarGroups", title="List"),
        _op("create", "POST", "/me/calendarGroups", title="Create calendarGroup", request_type=TypeRef("calendarGroup")),
        _op("update", "PATCH", "/me/calendargroups/{id}", title="Update"),
    ]
    api, _ = _routes(*ops)
    assert sorted((r.method, r.path) for r in api.routes) == [
        ("GET", "/me/calendarGroups"),
        ("PATCH", "/me/calendarGroups/{calendarGroup-id}"),
        ("POST", "/me/calendarGroups"),
    ]
