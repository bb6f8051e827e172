"""HTTP blocks: request lines, example requests and responses, lenient JSON bodies."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import CODES
from generator.parse.http import (
    ParsedRequest,
    ParsedResponse,
    RequestLine,
    header,
    parse_json_lenient,
    parse_request_example,
    parse_request_lines,
    parse_response_example,
)
from generator.parse.lenient_json import MAX_DEPTH, read_json

SPECS = Path(__file__).resolve().parents[2] / "specs"
CORPUS = Path(os.environ.get("DOC2CODE_CORPUS", "/work/shared/corpus/graph-v1.0"))
FENCE = re.compile(r" {0,3}(`{3,}|~{3,})\s*([^\s`]*)")
FUZZ = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def fenced_blocks(text: str):
    """(heading, language, page line of the first content line, content, lines before)."""
    lines = text.split("\n")
    heading, index = "", 0
    while index < len(lines):
        current = lines[index]
        if current.startswith("#"):
            heading = current
        fence = FENCE.match(current)
        if fence:
            end = index + 1
            while end < len(lines) and not lines[end].lstrip().startswith(fence.group(1)):
                end += 1
            content = "\n".join(lines[index + 1 : end])
            yield heading, fence.group(2).lower(), index + 2, content, lines[
                max(0, index - 10) : index
            ]
            index = end
        index += 1


def one_line(text: str):
    lines, diagnostics = parse_request_lines(text, "p.md", 1)
    assert diagnostics == []
    assert len(lines) == 1
    return lines[0]


# --- request lines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "method", "template", "params"),
    [
        ("GET /me/events", "GET", "/me/events", []),
        ("GET /users/{id | userPrincipalName}/events", "GET", "/users/{id}/events", ["id"]),
        (
            "GET /workbook/worksheets/{id|name}/charts",
            "GET",
            "/workbook/worksheets/{id}/charts",
            ["id"],
        ),
        (
            "GET /users/{user-id}/events/{id}",
            "GET",
            "/users/{user-id}/events/{id}",
            ["user-id", "id"],
        ),
        ("GET /security/alerts/{alert_id}", "GET", "/security/alerts/{alert_id}", ["alert_id"]),
        ("GET policies/tokenIssuancePolicies", "GET", "/policies/tokenIssuancePolicies", []),
        ("GET me/drive/root", "GET", "/me/drive/root", []),
        (
            "POST https://graph.microsoft.com/v1.0/groups/{groupId}/owners",
            "POST",
            "/groups/{groupId}/owners",
            ["groupId"],
        ),
        ("GET https://graph.microsoft.com/beta/me", "GET", "/me", []),
        (
            "PUT https://graph.microsoft.com/v1/teams/{teamId}/schedule",
            "PUT",
            "/teams/{teamId}/schedule",
            ["teamId"],
        ),
        ("GET /v1.0/me/messages", "GET", "/me/messages", []),
        ("GET /me/drive/root:/{path}:/content", "GET", "/me/drive/root:/{path}:/content", ["path"]),
        (
            "GET /workbook/worksheets/{id|name}/range(address='<address>')",
            "GET",
            "/workbook/worksheets/{id}/range(address='{address}')",
            ["id", "address"],
        ),
        (
            "GET /workbook/worksheets/{id|name}/range(<address>)/format/protection",
            "GET",
            "/workbook/worksheets/{id}/range({address})/format/protection",
            ["id", "address"],
        ),
        ("GET /users/delta(token='...')", "GET", "/users/delta(token='...')", []),
        ("GET /applications(appId='{appId}')", "GET", "/applications(appId='{appId}')", ["appId"]),
        (
            "POST /me/drive/root/workbook/worksheets/{id}/range/resizedRange(deltaRows={n}, deltaColumns={n})",
            "POST",
            "/me/drive/root/workbook/worksheets/{id}/range/resizedRange(deltaRows={n}, deltaColumns={n})",
            ["id", "n"],
        ),
        (
            "DELETE /groups/{id}/members/{memberId}/$ref",
            "DELETE",
            "/groups/{id}/members/{memberId}/$ref",
            ["id", "memberId"],
        ),
        ("GET /me/photo/$value", "GET", "/me/photo/$value", []),
        (
            "GET /me/messages/{id}/microsoft.graph.eventMessage",
            "GET",
            "/me/messages/{id}/microsoft.graph.eventMessage",
            ["id"],
        ),
        (
            "GET /me/mailFolders/{id}/childFolders/{id}/.../messages",
            "GET",
            "/me/mailFolders/{id}/childFolders/{id}/.../messages",
            ["id"],
        ),
        (
            "GET /drive/root:/{path and filename}:/content",
            "GET",
            "/drive/root:/{path and filename}:/content",
            ["path and filename"],
        ),
        (
            "PATCH /users/{id | userPrincipalName}/settings/",
            "PATCH",
            "/users/{id}/settings",
            ["id"],
        ),
        ("get /me/events", "GET", "/me/events", []),
        ("GET https://graph.microsoft.com/v1.0", "GET", "/", []),
        ("POST https://bot.contoso.com/api/calls", "POST", "/api/calls", []),
    ],
)
def test_request_line_template_and_params(text, method, template, params):
    request = one_line(text)
    assert (request.method, request.template, request.params) == (method, template, params)
    assert request.raw == text


def test_request_line_keeps_url_as_written_and_drops_http_version():
    request = one_line("GET https://graph.microsoft.com/v1.0/me/events?$top=2 HTTP/1.1")
    assert request.url == "https://graph.microsoft.com/v1.0/me/events?$top=2"
    assert request.raw.endswith("HTTP/1.1")
    assert request.template == "/me/events"
    assert request.query == {"$top": "2"}


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("GET /me/events?$select=subject,body&$top=5", {"$select": "subject,body", "$top": "5"}),
        (
            "GET /security/alerts?$filter={property} eq '{property-value}' and {property} eq 'x'&$top=5",
            {"$filter": "{property} eq '{property-value}' and {property} eq 'x'", "$top": "5"},
        ),
        (
            "GET /me/onlineMeetings?$filter=VideoTeleconferenceId%20eq%20'{id}'",
            {"$filter": "VideoTeleconferenceId eq '{id}'"},
        ),
        (
            "GET /sites/{site-id}/lists/{list-id}?expand=columns(select=name,description),items(expand=fields(select=Name&Color))",
            {"expand": "columns(select=name,description),items(expand=fields(select=Name&Color))"},
        ),
        (
            "DELETE /groups/{id}/acceptedSenders/$ref?$id=https://graph.microsoft.com/v1.0/users/{user-id}",
            {"$id": "https://graph.microsoft.com/v1.0/users/{user-id}"},
        ),
        ("GET /me/onenote/pages/{id}/content[?includeIDs=true]", {"includeIDs": "true"}),
        ("GET /me/drive/root/delta?token", {"token": ""}),
    ],
)
def test_query_strings(text, query):
    request = one_line(text)
    assert request.query == query
    assert "?" not in request.template and "[" not in request.template


def test_query_placeholders_are_not_path_params():
    request = one_line(
        "GET /users/{id}/calendarView?startDateTime={start_datetime}&endDateTime={end}"
    )
    assert request.template == "/users/{id}/calendarView"
    assert request.params == ["id"]
    assert request.query == {"startDateTime": "{start_datetime}", "endDateTime": "{end}"}


def test_several_request_lines_with_blank_comment_and_header_lines():
    text = (
        "GET /me/events\n"
        "\n"
        "// or, for another user:\n"
        "# a comment\n"
        "GET /users/{id | userPrincipalName}/events\n"
        "or\n"
        "workbook-session-id: {session-id}\n"
        "Lists the events.\n"
        "GET /groups/{id}/events HTTP/1.1"
    )
    lines, diagnostics = parse_request_lines(text, "p.md", 40)
    assert diagnostics == []
    assert [(r.template, r.line) for r in lines] == [
        ("/me/events", 40),
        ("/users/{id}/events", 44),
        ("/groups/{id}/events", 48),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "POST ** Collection URI for microsoft.synchronization.synchronization not found",
        "POST https://graph.microsoft.com/beta** Collection URI for microsoft.synchronization.synchronization not found",
        "GET /me/events and then some prose",
        'GET "/me/events"',
        "GET `/me/events`",
    ],
)
def test_url_that_is_not_a_url_gives_d306_and_no_request(text):
    lines, diagnostics = parse_request_lines("\n\n" + text, "p.md", 10)
    assert lines == []
    assert [(d.code, d.line) for d in diagnostics] == [("D306", 12)]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("/me/events", "no method"),
        ("https://graph.microsoft.com/v1.0/me/events", "no method"),
        ("GET", "no URL"),
    ],
)
def test_request_line_without_method_or_url_gives_d305(text, fragment):
    lines, diagnostics = parse_request_lines(text, "p.md", 7)
    assert lines == []
    assert [(d.code, d.line) for d in diagnostics] == [("D305", 7)]
    assert fragment in diagnostics[0].message


def test_prose_starting_with_a_method_word_is_not_a_request():
    lines, diagnostics = parse_request_lines(
        "Get the events of a user.\nDelete it later.", "p.md", 1
    )
    assert (lines, diagnostics) == ([], [])


def seed_blocks(name: str):
    return list(fenced_blocks((SPECS / "api" / name).read_text(encoding="utf-8")))


def http_request_block(name: str):
    return next(b for b in seed_blocks(name) if b[0].lower().startswith("## http request"))


def test_seed_create_synchronization_job_pages_give_distinct_paths():
    templates = []
    for name in (
        "application-synchronization-post-jobs.md",
        "serviceprincipal-synchronization-post-jobs.md",
    ):
        _, _, line, text, _ = http_request_block(name)
        lines, diagnostics = parse_request_lines(text, name, line)
        assert diagnostics == []
        assert [r.method for r in lines] == ["POST"]
        templates.append(lines[0].template)
    assert templates == [
        "/applications/{applicationsId}/synchronization/jobs",
        "/servicePrincipals/{id}/synchronization/jobs",
    ]


def test_seed_broken_collection_uri_gives_d306_at_its_line():
    name = "synchronization-synchronization-post.md"
    _, _, line, text, _ = http_request_block(name)
    lines, diagnostics = parse_request_lines(text, name, line)
    assert lines == []
    assert [d.code for d in diagnostics] == ["D306"]
    page = (SPECS / "api" / name).read_text(encoding="utf-8").split("\n")
    assert page[diagnostics[0].line - 1].startswith("POST ** Collection URI")


# --- example requests ------------------------------------------------------------------------


def test_request_example_with_headers_blank_line_and_body():
    text = (
        "POST https://graph.microsoft.com/v1.0/me/events?$select=id\n"
        "Content-Type: application/json\n"
        'Prefer: outlook.timezone="Pacific Standard Time"\n'
        "\n"
        '{\n  "subject": "Lunch"\n}\n'
    )
    request, diagnostics = parse_request_example(text, "p.md", 20)
    assert diagnostics == []
    assert (request.method, request.path, request.query) == (
        "POST",
        "/me/events",
        {"$select": "id"},
    )
    assert request.headers == {
        "Content-Type": "application/json",
        "Prefer": 'outlook.timezone="Pacific Standard Time"',
    }
    assert header(request.headers, "content-type") == "application/json"
    assert header(request.headers, "Authorization") is None
    assert request.body == {"subject": "Lunch"}
    assert request.body_is_json and request.body_raw == '{\n  "subject": "Lunch"\n}'
    assert (request.line, request.body_line) == (20, 24)


def test_request_example_body_without_blank_line():
    request, diagnostics = parse_request_example(
        'PATCH /me\nContent-type: application/json\n{\n  "city": "Oslo"\n}', "p.md", 1
    )
    assert diagnostics == []
    assert request.headers == {"Content-type": "application/json"}
    assert request.body == {"city": "Oslo"} and request.body_line == 3


def test_request_example_without_headers_or_body():
    request, diagnostics = parse_request_example(
        "\n\nGET https://graph.microsoft.com/v1.0/me\n", "p.md", 5
    )
    assert diagnostics == []
    assert (request.method, request.path, request.line) == ("GET", "/me", 7)
    assert (request.headers, request.body_raw, request.body, request.body_is_json) == (
        {},
        "",
        None,
        False,
    )


def test_request_example_loose_body_is_kept_raw_read_best_effort_and_reported():
    text = (
        "POST /me/sendMail\n"
        "Content-Type: application/json\n"
        "\n"
        "{\n"
        '  "message": {\n'
        '    "subject": "Hi", // the subject\n'
        '    "toRecipients": [ {"address": "{email}"}, ... ],\n'
        "  }\n"
        "}"
    )
    request, diagnostics = parse_request_example(text, "p.md", 100)
    assert request.body == {"message": {"subject": "Hi", "toRecipients": [{"address": "{email}"}]}}
    assert not request.body_is_json
    assert request.body_raw.startswith("{") and "// the subject" in request.body_raw
    assert [(d.code, d.line) for d in diagnostics] == [("D307", 105)]
    assert "comment" in diagnostics[0].message and "elision" in diagnostics[0].message


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        (
            "PUT /me/drive/root:/a.txt:/content\nContent-Type: text/plain\n\nThe contents.",
            "The contents.",
        ),
        (
            "POST /appCatalogs/teamsApps\nContent-type: application/zip\n\n[Zip file containing a package]",
            "[Zip file containing a package]",
        ),
        (
            "PUT /me/photo/$value\nContent-type: image/jpeg\n\n{Binary data for the image}",
            "{Binary data for the image}",
        ),
    ],
)
def test_request_example_non_json_body_is_raw_only_without_diagnostic(text, raw):
    request, diagnostics = parse_request_example(text, "p.md", 1)
    assert diagnostics == []
    assert (request.body_raw, request.body, request.body_is_json) == (raw, None, False)


def test_request_example_declared_json_that_is_not_json_is_reported():
    request, diagnostics = parse_request_example(
        "POST /x\nContent-Type: application/json\n\nnot json at all", "p.md", 1
    )
    assert request.body is None
    assert [(d.code, d.line) for d in diagnostics] == [("D307", 4)]


def test_request_example_that_does_not_start_with_a_request_line():
    assert parse_request_example("", "p.md", 3)[1][0].code == "D305"
    request, diagnostics = parse_request_example("\n/me/events\n", "p.md", 3)
    assert request is None and [(d.code, d.line) for d in diagnostics] == [("D305", 4)]


def test_seed_request_with_broken_url_keeps_body_without_bogus_path():
    name = "synchronization-synchronization-post.md"
    _, _, line, text, _ = [b for b in seed_blocks(name) if "Collection URI" in b[3]][1]
    request, diagnostics = parse_request_example(text, name, line)
    assert [(d.code, d.line) for d in diagnostics] == [("D306", line)]
    assert request.method == "POST" and request.path == "" and request.params == []
    assert request.body["version"] == "String" and request.body_is_json


def test_seed_request_examples_parse_cleanly():
    expected = {
        "application-synchronization-post-jobs.md": "/applications/{applicationsId}/synchronization/jobs",
        "educationsynchronizationprofile-post.md": "/education/synchronizationProfiles",
        "serviceprincipal-synchronization-post-jobs.md": "/servicePrincipals/{id}/synchronization/jobs",
    }
    for name, path in expected.items():
        block = next(b for b in seed_blocks(name) if '"request"' in "\n".join(b[4]))
        request, diagnostics = parse_request_example(block[3], name, block[2])
        assert diagnostics == [], name
        assert (request.method, request.path, request.body_is_json) == ("POST", path, True)
        assert isinstance(request.body, dict) and request.body


# --- example responses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "status", "text"),
    [
        ("HTTP/1.1 200 OK", 200, "OK"),
        ("HTTP 201 Created", 201, "Created"),
        ("HTTP/1.1 200", 200, ""),
        ("HTTP/1.1 204 No Content", 204, "No Content"),
        ("HTTP/1.1 202 Accpted", 202, "Accpted"),
        ("HTTP/2 207 Multi-Status", 207, "Multi-Status"),
        ("http/1.1 302 Found", 302, "Found"),
    ],
)
def test_response_status_lines(first, status, text):
    response, diagnostics = parse_response_example(first + "\n", "p.md", 1)
    assert diagnostics == []
    assert (response.status, response.status_text, response.body_raw) == (status, text, "")


@pytest.mark.parametrize("first", ["HTTP/1.1 OK", "HTTP/1.1", "HTTP 2OO Created"])
def test_malformed_status_line_gives_d308(first):
    response, diagnostics = parse_response_example(
        f'\n{first}\nContent-Type: application/json\n\n{{"id": 1}}', "p.md", 30
    )
    assert response.status is None
    assert [(d.code, d.line) for d in diagnostics] == [("D308", 31)]
    assert response.headers == {"Content-Type": "application/json"} and response.body == {"id": 1}


def test_seed_response_body_read_despite_missing_blank_line():
    name = "educationsynchronizationprofile-post.md"
    block = next(b for b in seed_blocks(name) if b[3].startswith("HTTP/1.1 201"))
    response, diagnostics = parse_response_example(block[3], name, block[2])
    assert diagnostics == []
    assert (response.status, response.status_text) == (201, "Created")
    assert response.headers == {"Content-Type": "application/json"}
    assert response.body_is_json and response.body["state"] == "String"
    assert response.body["handleSpecialCharacterConstraint"] == "Boolean"
    assert response.body_line == block[2] + 2


def test_body_only_response_block_has_no_status_and_no_diagnostic():
    response, diagnostics = parse_response_example('\n{\n  "value": []\n}\n', "p.md", 9)
    assert diagnostics == []
    assert (response.status, response.headers, response.body) == (None, {}, {"value": []})
    assert (response.line, response.body_line) == (10, 10)


def test_json_fence_with_elisions_is_read_best_effort():
    text = '{\n  "value": [\n    {"id": "1"},\n    …\n  ]\n}'
    response, diagnostics = parse_response_example(text, "p.md", 50)
    assert response.body == {"value": [{"id": "1"}]}
    assert [(d.code, d.line) for d in diagnostics] == [("D307", 53)]


def test_headers_only_response_without_status_line():
    response, diagnostics = parse_response_example(
        "Location: https://x/y\nRetry-After: 5", "p.md", 1
    )
    assert diagnostics == []
    assert response.status is None
    assert response.headers == {"Location": "https://x/y", "Retry-After": "5"}


def test_response_with_text_body_after_headers():
    response, diagnostics = parse_response_example(
        "HTTP/1.1 200 OK\nContent-Type: text/plain\n\nHello: world and more", "p.md", 1
    )
    assert diagnostics == []
    assert (response.body_raw, response.body) == ("Hello: world and more", None)


def test_empty_response_block():
    response, diagnostics = parse_response_example("", "p.md", 4)
    assert (response.status, response.body_raw, response.line, diagnostics) == (None, "", 4, [])


# --- lenient JSON ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "problem"),
    [
        ('{"a": 1, // one\n "b": 2 /* two */}', {"a": 1, "b": 2}, "comment"),
        ('{"a": [1, 2, ...]}', {"a": [1, 2]}, "elision"),
        ('{"a": [1, …, 3]}', {"a": [1, 3]}, "elision"),
        ('{"a": 1,\n  ...\n}', {"a": 1}, "elision"),
        ('{"a": 1, "b": ...}', {"a": 1}, "elision"),
        ('{"a": [1, 2,], "b": 3,}', {"a": [1, 2], "b": 3}, "trailing comma"),
        ('{"id": {id}, "n": <value>}', {"id": "{id}", "n": "<value>"}, "placeholder"),
        ('{"id": {user-id | name}}', {"id": "{user-id | name}"}, "placeholder"),
        ("{'a': 'it\\'s'}", {"a": "it's"}, "single-quoted string"),
        ('{"a": {"b": [1, 2', {"a": {"b": [1, 2]}}, "unclosed brackets"),
        ('{a: 1, b_c: "x"}', {"a": 1, "b_c": "x"}, "unquoted key"),
        ('{"a": 1; "b": 2}', {"a": 1, "b": 2}, "stray semicolon"),
        ('{"a": "x\ny"}', {"a": "x\ny"}, "raw newline"),
        ('{"a": 1 "b": 2}', {"a": 1, "b": 2}, "missing comma"),
        ('{"a" 1}', {"a": 1}, "missing colon"),
        ('{"a": Shift}', {"a": "Shift"}, "unquoted value"),
        ('{"at": 2018-04-01T12:39:16Z, "b": 1}', {"at": "2018-04-01T12:39:16Z", "b": 1}, "unquoted value"),
        ('{"a": "GET”}', {"a": "GET"}, "typographic quotes"),
        ('{\u00a0"a": 1}', {"a": 1}, "non-ASCII whitespace"),
        ('{"a": 1} trailing prose', {"a": 1}, "text after the JSON value"),
        ('[{"a": 1]', [{"a": 1}], "unclosed bracket"),
        ('{"a": 1}}', {"a": 1}, "text after the JSON value"),
        ('{"a": "abc', {"a": "abc"}, "unterminated string"),
        ('{"a": "\\q"}', {"a": "\\q"}, "invalid escape"),
        ('{"a": 01}', {"a": "01"}, "unquoted value"),
    ],
)
def test_lenient_json_best_effort(text, value, problem):
    got, reason = parse_json_lenient(text)
    assert got == value
    assert reason is not None and problem in reason


@pytest.mark.parametrize("text", ['{"a": [1, 2.5, true, null, "x"]}', "[]", '"s"', "3"])
def test_strict_json_has_no_reason(text):
    import json

    assert parse_json_lenient(text) == (json.loads(text), None)


@pytest.mark.parametrize(
    "text", ["", "   ", "hello world", "{Raw bytes of the file}", "]", "<html>"]
)
def test_hopeless_text_gives_none_and_reason(text):
    value, reason = parse_json_lenient(text)
    assert value is None and reason


def test_reason_line_points_at_first_problem():
    reading = read_json('{\n  "a": 1,\n  "b": [\n    1,\n  ],\n}')
    assert reading.reason == "trailing comma"
    assert reading.line == 4


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000, "[" * 100_000 + "]" * 100_000, '{"a":' * 100_000, "[" * (MAX_DEPTH + 1) + "1,"],
)
def test_very_deep_json_is_reported_not_raised(text):
    value, reason = parse_json_lenient(text)
    assert value is None
    assert "nested" in reason


def test_pathological_inputs_stay_linear():
    cases = [
        '{"a": "' + "x" * 200_000,  # unterminated string
        "{" + "/*" * 50_000,  # unterminated comments
        '{"a": [' + "1 " * 50_000,  # missing commas
        "{" + "{a " * 50_000,  # placeholder-like openers
        "[" + "'" * 50_000,  # quotes
        "{" + "<" * 50_000,  # angle brackets
        "GET /a" + " " * 100_000 + "x",  # spaces before a would-be HTTP version
    ]
    start = time.perf_counter()
    for text in cases:
        parse_json_lenient(text)
        parse_request_lines(text, "p.md", 1)
        parse_response_example(text, "p.md", 1)
    assert time.perf_counter() - start < 10


@FUZZ
@given(st.text())
def test_fuzz_arbitrary_text_never_raises(text):
    lines, line_diagnostics = parse_request_lines(text, "p.md", 1)
    request, request_diagnostics = parse_request_example(text, "p.md", 1)
    response, response_diagnostics = parse_response_example(text, "p.md", 1)
    assert all(isinstance(r, RequestLine) and r.template.startswith("/") for r in lines)
    assert request is None or isinstance(request, ParsedRequest)
    assert isinstance(response, ParsedResponse)
    diagnostics = line_diagnostics + request_diagnostics + response_diagnostics
    assert all(d.line >= 1 and d.code in CODES for d in diagnostics)
    value, reason = parse_json_lenient(text)
    assert reason is None or (isinstance(reason, str) and reason)
    assert value is None or isinstance(value, (dict, list, str, int, float, bool))


JSONISH = st.text(alphabet="{}[]:,;\"'\\ \n\t/*.…abc01-<>|“”", max_size=80)


@FUZZ
@given(JSONISH)
def test_fuzz_jsonish_text_never_raises(text):
    for candidate in (
        text,
        "{" + text,
        "[" + text,
        "GET /a\nContent-Type: application/json\n\n{" + text,
    ):
        value, _ = parse_json_lenient(candidate)
        assert value is None or isinstance(value, (dict, list, str, int, float, bool))
        _, diagnostics = parse_request_example(candidate, "p.md", 1)
        assert all(d.line >= 1 for d in diagnostics)


# --- corpus ----------------------------------------------------------------------------------

RESPONSE_ANNOTATION = re.compile(r'"blockType"\s*:\s*"response"')
STATUS_START = re.compile(r"HTTP(?:/\S+)?\s+\d{3}")


@pytest.mark.corpus
@pytest.mark.skipif(not (CORPUS / "api").is_dir(), reason=f"corpus not found at {CORPUS}")
def test_corpus_request_lines_and_response_bodies():
    request_blocks = request_ok = bodies = bodies_ok = 0
    for page in sorted((CORPUS / "api").glob("*.md")):
        text = page.read_text(encoding="utf-8", errors="replace")
        for heading, language, line, content, before in fenced_blocks(text):
            if re.match(r"##\s+HTTP request", heading, re.IGNORECASE):
                request_blocks += 1
                lines, _ = parse_request_lines(content, page.name, line)
                request_ok += any(r.method and r.template for r in lines)
                continue
            previous = "\n".join(before)
            annotation = previous[previous.rfind("<!--") :] if "<!--" in previous else ""
            first = next((x.strip() for x in content.split("\n") if x.strip()), "")
            annotated = language in ("http", "json", "") and RESPONSE_ANNOTATION.search(annotation)
            if annotated or language == "http" and STATUS_START.match(first):
                response, _ = parse_response_example(content, page.name, line)
                if response.body_raw.lstrip()[:1] in ("{", "["):
                    bodies += 1
                    bodies_ok += response.body is not None
    print(
        f"request blocks {request_ok}/{request_blocks}, JSON response bodies {bodies_ok}/{bodies}"
    )
    assert request_blocks > 1500 and bodies > 1000
    assert request_ok >= 0.99 * request_blocks
    assert bodies_ok >= 0.97 * bodies


def _path_end_by_characters(rest: str) -> int:
    """The definition of `_path_end`: each character in turn."""
    depth = 0
    quoted = False
    for index, char in enumerate(rest):
        if char == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif char in "{(":
            depth += 1
        elif char in "})":
            depth = max(depth - 1, 0)
        elif depth:
            continue
        elif char == "?":
            return index
        elif char in '*"\\`' or char.isspace():
            return -1
    return len(rest)


def test_path_end_equals_the_character_scan() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from generator.parse.http import _path_end

    @settings(max_examples=800, deadline=None, database=None)
    @given(st.text(alphabet="a/'{}()?*\"\\` \t\u2028\x85\xa0", max_size=10))
    def check(rest: str) -> None:
        assert _path_end(rest) == _path_end_by_characters(rest)

    check()
