"""Example requests against their operation's paths: aliases become paths (D509), requests to
another host are not calls of the API (D508), a call of another operation moves to it (D510),
anything else is a docs defect (D507)."""

from __future__ import annotations

import urllib.parse

import pytest

from generator.model.ir import Api, Example, HttpRequest, Operation, PathTemplate, Source
from generator.resolve.example_paths import alias_of, api_host, complete_example_paths


@pytest.mark.parametrize(
    ("template", "path", "alias"),
    [
        ("/users/{id}/createdObjects", "/me/createdObjects", "/me/createdObjects"),
        ("/users/{id}", "/me", "/me"),
        (
            "/users/{id}/messages/{id2}/replyAll",
            "/me/messages/AAM=/replyAll",
            "/me/messages/{id2}/replyAll",
        ),
        (
            "/me/drive/items/{item-id}/children",
            "/me/drive/root/children",
            "/me/drive/root/children",
        ),
        (
            "/drives/{drive-id}/items/{item-id}/children",
            "/drives/d1/root:/{path}:/children",
            "/drives/{drive-id}/root:/{item-path}:/children",
        ),
        (
            "/x/range/columnsAfter(count=n)",
            "/x/range/columnsAfter(count=2)",
            "/x/range/columnsAfter(count={count})",
        ),
        ("/x/range/rowsAbove(count=n)", "/x/range/rowsAbove", "/x/range/rowsAbove"),
        (
            "/deviceManagement/getEffectivePermissions",
            "/deviceManagement/getEffectivePermissions(scope='v')",
            "/deviceManagement/getEffectivePermissions(scope='{scope}')",
        ),
        (
            "/drives/{d}/root/search(q='{text}')",
            "/drives/d/root/search(q='x')",
            None,
        ),  # a plain match
        ("/users/{id}/photo", "/users/{id}/photo/$value", None),
        ("/devices/{id}/registeredOwners/$ref", "/devices/{id}/registeredOwners", None),
        ("/groups/{id}/items/{item-id}", "/groups/g/root", None),  # `root` only for a drive's items
        ("/users/{id}/calendar", "/me/calendars", None),
    ],
)
def test_alias_of(template: str, path: str, alias: str | None) -> None:
    assert alias_of(template, path) == alias


def test_alias_of_a_hostile_depth_is_none_not_a_recursion_error() -> None:
    deep = "/a" * 5000
    assert alias_of("/users/{id}" + deep, "/me" + deep) is None


def _op(op_id: str, method: str, templates: list[str], *calls: tuple[str, str]) -> Operation:
    """An operation with its documented paths and example requests (method, URL)."""
    examples = []
    for i, (verb, url) in enumerate(calls):
        path = urllib.parse.urlsplit(url).path.removeprefix("/v1.0")
        where = Source(f"api/{op_id}.md", 10 * (i + 1))
        examples.append(
            Example(f"{op_id}_{i}", HttpRequest(verb, url, path, source=where), source=where)
        )
    paths = [PathTemplate(t, t, [], Source(f"api/{op_id}.md", 3)) for t in templates]
    return Operation(
        op_id,
        op_id,
        method=method,
        paths=paths,
        examples=examples,
        source=Source(f"api/{op_id}.md", 1),
    )


GRAPH = "https://graph.microsoft.com/v1.0"


def test_complete_example_paths() -> None:
    created = _op(
        "get_created", "GET", ["/users/{id}/createdObjects"], ("GET", f"{GRAPH}/me/createdObjects")
    )
    answer = _op(
        "call_answer",
        "POST",
        ["/communications/calls/{id}/answer"],
        ("POST", f"{GRAPH}/communications/calls/c1/answer"),
        ("POST", "https://bot.contoso.com/api/calls"),
    )
    fmt = _op("update_format", "PATCH", ["/range/format"], ("PATCH", f"{GRAPH}/range/format/font"))
    font = _op("update_font", "PATCH", ["/range/format/font"])
    school = _op(
        "get_school", "GET", ["/education/schools"], ("GET", f"{GRAPH}/education/schools/s1")
    )
    api = Api(operations=[answer, created, school, font, fmt])
    assert api_host(api) == "graph.microsoft.com"

    found = {(d.path, d.code) for d in complete_example_paths(api)}

    assert [p.template for p in created.paths] == [
        "/users/{id}/createdObjects",
        "/me/createdObjects",
    ]
    assert ("api/get_created.md", "D509") in found
    assert ("api/call_answer.md", "D508") in found and len(
        answer.examples
    ) == 2  # kept, not replayed
    assert [e.name for e in font.examples] == ["update_format_0"] and not fmt.examples
    assert ("api/update_format.md", "D510") in found
    assert ("api/get_school.md", "D507") in found and school.paths[
        -1
    ].template == "/education/schools"
    assert not any(code == "D507" for path, code in found if path != "api/get_school.md")


# match_template compares segments without a regex where it can; the regex is the definition.
_SEGMENTS = ["", "users", "Users", "{id}", "{user-id}", "me", "root:", "{item-path}:", "ſ", "s", "K", "k", "\u212a", "a}b", "{x", "y}", "range(address='{a}')", "items", "{}", "é", "É"]


def _by_regex(template: str, path: str) -> list[str] | None:
    from generator.resolve.example_paths import _template_regex

    found = _template_regex(template.rstrip("/")).fullmatch(path.rstrip("/"))
    return None if found is None else list(found.groups())


def test_match_template_equals_its_regex() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from generator.resolve.example_paths import match_template

    segments = st.lists(st.sampled_from(_SEGMENTS) | st.text(alphabet="aAbB{}/:é ", max_size=6), max_size=5)

    @settings(max_examples=600, deadline=None, database=None)
    @given(segments, segments, st.booleans(), st.booleans())
    def check(want: list[str], have: list[str], slash1: bool, slash2: bool) -> None:
        template = "/" + "/".join(want) + ("/" if slash1 else "")
        path = "/" + "/".join(have) + ("/" if slash2 else "")
        assert match_template(template, path) == _by_regex(template, path)
        assert match_template(template, template) == _by_regex(template, template)

    check()


@pytest.mark.parametrize(
    ("template", "path", "values"),
    [
        ("/users/{id}/messages", "/USERS/abc/Messages/", ["abc"]),
        ("/users/{id}", "/users/", None),
        ("/users/{id}", "/users/a/b", None),
        ("/ſite/{id}", "/SITE/x", ["x"]),  # Unicode case folding: the regex's answer
        ("/site/{id}", "/ſite/x", ["x"]),
        ("/drives/{d}/root:/{path}:/x", "/drives/1/root:/a/b:/x", ["1", "a/b"]),
    ],
)
def test_match_template_cases(template: str, path: str, values: list[str] | None) -> None:
    from generator.resolve.example_paths import match_template

    assert match_template(template, path) == values == _by_regex(template, path)


def test_template_index_finds_what_trying_each_template_finds() -> None:
    """The tree walk answers like matching every template of the path's bucket in turn."""
    from types import SimpleNamespace

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from generator.resolve.example_paths import _TemplateIndex, match_template

    segment = st.sampled_from(_SEGMENTS) | st.text(alphabet="aAbB{}/:é", max_size=4)
    route = st.lists(segment, max_size=4).map(lambda s: "/" + "/".join(s))

    @settings(max_examples=250, deadline=None, database=None)
    @given(st.lists(route, max_size=12), st.lists(route, max_size=6))
    def check(templates: list[str], paths: list[str]) -> None:
        ops = [SimpleNamespace(paths=[SimpleNamespace(template=t)]) for t in templates]
        index = _TemplateIndex(SimpleNamespace(operations=ops))  # type: ignore[arg-type]
        for path in paths + templates:
            segments = path.rstrip("/").split("/")
            first = segments[1].lower() if len(segments) > 1 else ""
            keys = {(len(segments), first), (len(segments), "")}
            expected = False
            for t in templates:
                ts = t.rstrip("/").split("/")
                key = (len(ts), ts[1].lower() if len(ts) > 1 and "{" not in ts[1] else "")
                expected = expected or (key in keys and match_template(t, path) is not None)
            assert index.documented(path) == expected

    check()


def test_owner_index_finds_what_trying_every_operation_finds() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from generator.resolve.example_paths import OwnerIndex, owners_of

    segment = st.sampled_from(_SEGMENTS) | st.text(alphabet="aAbB{}/:é", max_size=4)
    route = st.lists(segment, max_size=4).map(lambda s: "/" + "/".join(s))
    method = st.sampled_from(["GET", "get", "POST"])

    @settings(max_examples=250, deadline=None, database=None)
    @given(st.lists(st.tuples(method, st.lists(route, min_size=1, max_size=3)), max_size=8), st.lists(st.tuples(method, route), max_size=6))
    def check(ops: list[tuple[str, list[str]]], requests: list[tuple[str, str]]) -> None:
        api = Api(operations=[Operation(f"op{i}", "t", method=m, paths=[PathTemplate(t, t) for t in ts]) for i, (m, ts) in enumerate(ops)])
        index = OwnerIndex(api)
        asked = requests + [(m, t) for m, ts in ops for t in ts]
        for m, path in asked:
            req = HttpRequest(m, path, path)
            assert [o.id for o in owners_of(api, req, index)] == [o.id for o in owners_of(api, req)]

    check()
