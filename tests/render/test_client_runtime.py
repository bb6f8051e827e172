"""The generated transport as a Graph developer uses it: retries, errors, auth, clouds,
redirects, keyword checks and bodies that cannot be read.

Each test drives the generated `Client` / `AsyncClient` (or the retry transports) against an
`httpx.MockTransport`; waits are recorded by an injected `sleep`, so nothing really waits.
"""

from __future__ import annotations

import asyncio
import copy
import datetime
import email.utils
import importlib
import pickle
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.render.test_models_runtime import models_api

Reply = httpx.Response | Callable[[httpx.Request], httpx.Response]


@pytest.fixture(scope="module")
def pkg(build_package) -> ModuleType:  # type: ignore[no-untyped-def]
    package = build_package(models_api(), "models_runtime_pkg")
    for module in ("models", "client", "_http", "_base"):
        importlib.import_module(f"models_runtime_pkg.{module}")
    return package


class Server:
    """A MockTransport handler answering with `replies` in turn, recording what it got."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []
        self.attempts: list[str | None] = []  # the Retry-Attempt header of each request

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.attempts.append(request.headers.get("Retry-Attempt"))
        reply = self.replies.pop(0)
        return reply(request) if callable(reply) else reply

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def _retrying(pkg: ModuleType, server: Server, **kw: Any) -> tuple[Any, list[float]]:
    """A client whose http client retries through the generated RetryTransport, sleeps recorded."""
    waits: list[float] = []
    transport = pkg.RetryTransport(server.transport, sleep=waits.append, **kw)  # package export
    client = pkg.client.Client("https://graph.test/v1.0", http=httpx.Client(transport=transport))
    return client, waits


def _http_date(seconds_from_now: float) -> str:
    when = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=seconds_from_now)
    return email.utils.format_datetime(when, usegmt=True)


# -- retries ----------------------------------------------------------------------------------


def test_429_then_success_waits_retry_after_seconds(pkg: ModuleType) -> None:
    server = Server(
        httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json={"id": "1"})
    )
    client, waits = _retrying(pkg, server)
    response = client._send("GET", "/me")
    assert response.json() == {"id": "1"} and waits == [7.0]
    assert server.attempts == [None, "1"]


def test_503_then_success_honours_an_http_date(pkg: ModuleType) -> None:
    server = Server(
        httpx.Response(503, headers={"Retry-After": _http_date(30)}),
        httpx.Response(503, headers={"Retry-After": _http_date(-30)}),  # in the past: at once
        httpx.Response(204),
    )
    client, waits = _retrying(pkg, server)
    assert client._send("POST", "/me/sendMail", body={"a": 1}, has_body=True).status_code == 204
    assert 25 < waits[0] <= 30 and waits[1] == 0.0
    assert [r.content for r in server.requests] == [b'{"a":1}'] * 3  # the body is re-sent


def test_504_without_retry_after_backs_off_exponentially_with_jitter(pkg: ModuleType) -> None:
    server = Server(*[httpx.Response(504)] * 3, httpx.Response(200))
    client, waits = _retrying(pkg, server, backoff=1.0)
    client._send("GET", "/me")
    assert len(waits) == 3
    for attempt, wait in enumerate(waits):
        assert 2**attempt / 2 <= wait <= 2**attempt  # half fixed, half random


def test_retries_exhausted_raise_the_last_error(pkg: ModuleType) -> None:
    throttled = httpx.Response(
        429,
        headers={"Retry-After": "1"},
        json={"error": {"code": "TooManyRequests", "message": "Slow down"}},
    )
    server = Server(*[throttled] * 3)
    client, waits = _retrying(pkg, server, max_retries=2)
    with pytest.raises(pkg._http.GraphError) as caught:
        client._send("GET", "/me")
    assert waits == [1.0, 1.0] and len(server.requests) == 3
    assert caught.value.status_code == 429 and caught.value.retry_after == 1.0
    assert caught.value.code == "TooManyRequests"


def test_a_retry_after_longer_than_max_delay_is_not_waited_for(pkg: ModuleType) -> None:
    server = Server(httpx.Response(429, headers={"Retry-After": "3600"}))
    client, waits = _retrying(pkg, server)
    with pytest.raises(pkg._http.GraphError) as caught:
        client._send("GET", "/me")
    assert waits == [] and caught.value.retry_after == 3600.0


def test_client_max_retries_default_three_and_zero_disables(pkg: ModuleType) -> None:
    # Retry-After: 0 keeps the real sleep instant; the client builds its own RetryTransport.
    busy = httpx.Response(503, headers={"Retry-After": "0"})
    server = Server(*[busy] * 4)
    graph = pkg.client.Client("https://graph.test/v1.0", transport=server.transport)
    with graph, pytest.raises(pkg._http.GraphError):
        graph._send("GET", "/me")
    assert len(server.requests) == 4  # 1 + max_retries=3
    server = Server(busy)
    graph = pkg.client.Client("https://g.test", transport=server.transport, max_retries=0)
    with graph, pytest.raises(pkg._http.GraphError):
        graph._send("GET", "/me")
    assert len(server.requests) == 1
    with pytest.raises(ValueError, match="not negative"):
        pkg.client.Client(max_retries=-1)


def test_one_shot_stream_bodies_are_not_retried(pkg: ModuleType) -> None:
    server = Server(httpx.Response(503, headers={"Retry-After": "0"}))
    client, waits = _retrying(pkg, server)

    def chunks() -> Iterator[bytes]:
        yield b"abc"

    with pytest.raises(pkg._http.GraphError):
        client._send("PUT", "/me/photo/$value", body=chunks(), has_body=True)
    assert len(server.requests) == 1 and waits == []


def test_async_client_retries(pkg: ModuleType) -> None:
    server = Server(httpx.Response(429, headers={"Retry-After": "2"}), httpx.Response(200, json={}))
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def run() -> int:
        transport = pkg._http.AsyncRetryTransport(server.transport, sleep=sleep)
        async with httpx.AsyncClient(transport=transport) as http:
            graph = pkg.client.AsyncClient("https://graph.test/v1.0", http=http)
            return (await graph._send("GET", "/me")).status_code

    assert asyncio.run(run()) == 200 and waits == [2.0]


# -- errors -----------------------------------------------------------------------------------


def test_404_with_graph_error_body_and_request_id(pkg: ModuleType) -> None:
    body = {
        "error": {
            "code": "Request_ResourceNotFound",
            "message": "Resource 'x' does not exist\nor one of its queried references.",
            "innerError": {
                "date": "2024-05-01T10:00:00",
                "request-id": "inner-rid",
                "client-request-id": "client-rid",
            },
        }
    }
    server = Server(httpx.Response(404, json=body, headers={"request-id": "header-rid"}))
    graph = pkg.client.Client("https://graph.test/v1.0", transport=server.transport)
    with graph, pytest.raises(pkg._http.GraphError) as caught:
        graph._send("GET", "/users/x")
    error = caught.value
    assert error.status_code == 404 and error.code == "Request_ResourceNotFound"
    assert error.request_id == "header-rid" and error.client_request_id == "client-rid"
    assert (
        error.inner_error.request_id == "inner-rid"
        and error.inner_error.date == "2024-05-01T10:00:00"
    )
    assert error.inner_error.raw == body["error"]["innerError"]
    assert error.body == body and error.response.status_code == 404 and error.retry_after is None
    assert str(error) == (
        "404 Request_ResourceNotFound: Resource 'x' does not exist or one of its queried "
        "references. (request-id header-rid)"
    )


def test_error_request_id_from_inner_error_and_plain_text_bodies(pkg: ModuleType) -> None:
    GraphError = pkg._http.GraphError
    sent = Server(httpx.Response(500))
    graph = pkg.client.Client(transport=sent.transport, max_retries=0)
    with graph, pytest.raises(GraphError) as caught:
        graph._send("GET", "/me")
    first = sent.requests[0].headers["client-request-id"]
    assert caught.value.client_request_id == first and len(first) == 36  # a fresh GUID
    inner_only = httpx.Response(
        400,
        json={"error": {"code": "BadRequest", "message": "m", "innererror": {"request-id": "r2"}}},
    )
    assert GraphError(inner_only).request_id == "r2"
    text = GraphError(httpx.Response(502, text="Bad gateway"))
    assert (
        text.body == "Bad gateway" and text.code == "Bad Gateway" and str(text) == "502 Bad Gateway"
    )
    assert text.inner_error is None and text.request_id is None


# -- auth and clouds --------------------------------------------------------------------------


def test_token_string_and_sync_callable(pkg: ModuleType) -> None:
    server = Server(httpx.Response(200), httpx.Response(200), httpx.Response(200))
    with pkg.client.Client(token="abc", transport=server.transport) as graph:
        graph._send("GET", "/me")
    tokens = iter(["t1", "t2"])
    with pkg.client.Client(token=lambda: next(tokens), transport=server.transport) as graph:
        graph._send("GET", "/me")
        graph._send("GET", "/me")  # called per request: a refreshed token is used
    assert [r.headers["Authorization"] for r in server.requests] == [
        "Bearer abc",
        "Bearer t1",
        "Bearer t2",
    ]


def test_async_token_callable_and_any_httpx_auth(pkg: ModuleType) -> None:
    server = Server(httpx.Response(200), httpx.Response(200))

    async def token() -> str:
        return "async-token"

    async def run() -> None:
        async with pkg.client.AsyncClient(token=token, transport=server.transport) as graph:
            await graph._send("GET", "/me")
        async with pkg.client.AsyncClient(
            auth=httpx.BasicAuth("u", "p"), transport=server.transport
        ) as graph:
            await graph._send("GET", "/me")

    asyncio.run(run())
    assert server.requests[0].headers["Authorization"] == "Bearer async-token"
    assert server.requests[1].headers["Authorization"].startswith("Basic ")
    graph = pkg.client.Client(token=token, transport=Server(httpx.Response(200)).transport)
    with graph, pytest.raises(TypeError, match="AsyncClient"):
        graph._send("GET", "/me")
    with pytest.raises(TypeError, match="not both"):
        pkg.client.Client(token="a", auth=httpx.BasicAuth("u", "p"))


def test_national_clouds_and_versions(pkg: ModuleType) -> None:
    _http = pkg._http
    server = Server(*[httpx.Response(200)] * 4)
    for options, url in [
        ({}, "https://graph.microsoft.com/v1.0/me"),
        ({"cloud": "us_gov", "version": "beta"}, "https://graph.microsoft.us/beta/me"),
        ({"cloud": "us_gov_dod"}, "https://dod-graph.microsoft.us/v1.0/me"),
        ({"cloud": "china"}, "https://microsoftgraph.chinacloudapi.cn/v1.0/me"),
    ]:
        with pkg.client.Client(transport=server.transport, **options) as graph:
            graph._send("GET", "/me")
        assert str(server.requests[-1].url) == url
    assert pkg.NATIONAL_CLOUDS["us_gov"] == "https://graph.microsoft.us"
    assert _http.base_url_for("china", "beta") == "https://microsoftgraph.chinacloudapi.cn/beta"
    with pytest.raises(ValueError, match="unknown cloud"):
        pkg.client.Client(cloud="mars")
    with pytest.raises(TypeError, match="not both"):
        pkg.client.Client("https://graph.microsoft.com/v1.0", cloud="china")


def test_absolute_urls_are_sent_verbatim(pkg: ModuleType) -> None:
    server = Server(httpx.Response(200))
    next_link = "https://graph.microsoft.com/v1.0/users?$top=2&$skiptoken=X%27Y"
    with pkg.client.Client(transport=server.transport) as graph:
        graph._send("GET", next_link)
    assert str(server.requests[0].url) == next_link


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.test/v1.0/users?$skiptoken=x",
        "http://graph.microsoft.com/v1.0/users",  # a downgrade to plain HTTP
        "https://graph.microsoft.com:8443/v1.0/users",
    ],
)
def test_links_to_another_origin_are_refused_before_sending(pkg: ModuleType, link: str) -> None:
    """A next link from a response never carries the token to another host (RFC 6454 origin)."""
    server = Server(httpx.Response(200))
    with pkg.client.Client(token="secret", transport=server.transport) as graph:
        with pytest.raises(ValueError, match="refusing to send"):
            graph._send("GET", link)
    assert server.requests == []


# -- bodies that cannot be read ---------------------------------------------------------------

DEEP = b"[" * 100000 + b"]" * 100000


@pytest.mark.parametrize("status", [400, 404, 500, 503])
def test_deeply_nested_error_body_gives_graph_error(pkg: ModuleType, status: int) -> None:
    server = Server(httpx.Response(status, content=DEEP))
    graph = pkg.client.Client(transport=server.transport, max_retries=0)
    with graph, pytest.raises(pkg._http.GraphError) as caught:
        graph._send("GET", "/me")
    assert caught.value.status_code == status and caught.value.body == DEEP.decode()
    assert len(str(caught.value)) < 100


def test_deeply_nested_success_body_gives_a_decode_error(pkg: ModuleType) -> None:
    _http, models = pkg._http, pkg.models
    response = httpx.Response(200, content=DEEP)
    for decode in (
        lambda: _http.decode_model(response, models.User),
        lambda: _http.decode_collection(response, models.User),
    ):
        with pytest.raises(ValueError, match="200 response body is not readable JSON: .*nested"):
            decode()
    assert _http.decode_raw(response) == DEEP.decode()  # a raw result keeps the text
    with pytest.raises(ValueError, match="nested too deeply"):
        pkg._base.loads(DEEP)


# -- auth edge cases --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "error", "message"),
    [
        ("", ValueError, "empty access token"),
        ("abc\r\nX-Injected: 1", ValueError, "not a bearer token"),
        ("two words", ValueError, "not a bearer token"),
        (b"x", TypeError, r"token= must be an access token \(str\), not bytes"),
        (42, TypeError, "not int"),
    ],
)
def test_bad_token_values_are_refused_at_construction(
    pkg: ModuleType, token: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        pkg.client.Client(token=token)
    with pytest.raises(error, match=message):
        pkg.client.AsyncClient(token=token)


@pytest.mark.parametrize(
    ("result", "error", "message"),
    [
        (None, TypeError, r"token callable's result must be an access token \(str\), not NoneType"),
        (b"x", TypeError, "not bytes"),
        ("", ValueError, "empty access token"),
    ],
)
def test_bad_token_callable_results_fail_at_request_time(
    pkg: ModuleType, result: Any, error: type[Exception], message: str
) -> None:
    server = Server(httpx.Response(200))
    with pkg.client.Client(token=lambda: result, transport=server.transport) as graph:
        with pytest.raises(error, match=message):
            graph._send("GET", "/me")

    async def token() -> Any:
        return result

    async def run() -> None:
        async with pkg.client.AsyncClient(token=token, transport=server.transport) as graph:
            await graph._send("GET", "/me")

    with pytest.raises(error, match=message):
        asyncio.run(run())
    assert server.requests == []  # nothing was sent with a bad Authorization header


def test_a_retried_request_reuses_the_token_it_was_first_sent_with(pkg: ModuleType) -> None:
    tokens = iter(["first", "second"])
    server = Server(httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(200))
    graph = pkg.client.Client(token=lambda: next(tokens), transport=server.transport)
    with graph:
        graph._send("GET", "/me")
    assert [r.headers["Authorization"] for r in server.requests] == ["Bearer first"] * 2


# -- keyword checks ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["3", 2.5, 3.0, True])
def test_max_retries_must_be_an_int(pkg: ModuleType, value: Any) -> None:
    with pytest.raises(TypeError, match="max_retries must be an int >= 0"):
        pkg.client.Client(max_retries=value)
    with pytest.raises(TypeError, match="max_retries must be an int >= 0"):
        pkg.RetryTransport(max_retries=value)
    with pytest.raises(ValueError, match="not negative"):
        pkg.client.AsyncClient(max_retries=-1)


def test_timeout_is_checked_and_applied(pkg: ModuleType) -> None:
    with pkg.client.Client() as graph:
        assert graph._http.timeout == httpx.Timeout(30.0)
        assert graph._http.follow_redirects and graph._http.max_redirects == 5
    with pkg.client.Client(timeout=5) as graph:
        assert graph._http.timeout == httpx.Timeout(5)
    with pkg.client.Client(timeout=httpx.Timeout(None)) as graph:
        assert graph._http.timeout == httpx.Timeout(None)
    for bad, error in [("5", TypeError), (True, TypeError), (0, ValueError), (-1, ValueError)]:
        with pytest.raises(error, match="timeout"):
            pkg.client.Client(timeout=bad)


def test_own_client_keywords_with_http_are_type_errors(pkg: ModuleType) -> None:
    for keywords in ({"timeout": 5}, {"max_retries": 2}, {"transport": httpx.MockTransport(Server())}):
        with httpx.Client() as http, pytest.raises(TypeError, match="with http=, set them on it"):
            pkg.client.Client(http=http, **keywords)
    with pytest.raises(TypeError, match="http= must be an httpx.Client, not AsyncClient"):
        pkg.client.Client(http=httpx.AsyncClient())
    with httpx.Client() as http, pytest.raises(
        TypeError, match="http= must be an httpx.AsyncClient, not Client"
    ):
        pkg.client.AsyncClient(http=http)
    with pytest.raises(TypeError, match="transport= must be an httpx.BaseTransport"):
        pkg.client.Client(transport=httpx.AsyncHTTPTransport())
    with pytest.raises(TypeError, match="transport= must be an httpx.AsyncBaseTransport"):
        pkg.client.AsyncClient(transport=httpx.HTTPTransport())


# -- redirects --------------------------------------------------------------------------------


def _moved(location: str, status: int = 302) -> httpx.Response:
    return httpx.Response(status, headers={"Location": location})


def test_undocumented_redirects_are_followed_up_to_five(pkg: ModuleType) -> None:
    server = Server(_moved("/v1.0/elsewhere"), httpx.Response(200, json={"id": "1"}))
    with pkg.client.Client("https://graph.test/v1.0", transport=server.transport) as graph:
        response = graph._send("GET", "/me")
        assert response.json() == {"id": "1"}
        assert pkg._http.decode_model(response, pkg.models.User).id == "1"
    assert [r.url.path for r in server.requests] == ["/v1.0/me", "/v1.0/elsewhere"]
    server = Server(*[_moved("/again")] * 6)
    with pkg.client.Client("https://graph.test/v1.0", transport=server.transport) as graph:
        with pytest.raises(httpx.TooManyRedirects):
            graph._send("GET", "/me")
    assert len(server.requests) == 6  # the request and 5 redirects


def test_redirects_to_another_host_drop_the_token(pkg: ModuleType) -> None:
    server = Server(_moved("https://download.test/file"), httpx.Response(200, content=b"data"))
    with pkg.client.Client(
        "https://graph.test/v1.0", token="secret", transport=server.transport
    ) as graph:
        assert graph._send("GET", "/reports/x").content == b"data"
    assert server.requests[0].headers["Authorization"] == "Bearer secret"
    assert "Authorization" not in server.requests[1].headers


def test_documented_redirect_returns_its_location(pkg: ModuleType) -> None:
    server = Server(_moved("https://reports.test/r.csv"))
    with pkg.client.Client("https://graph.test/v1.0", transport=server.transport) as graph:
        response = graph._send("GET", "/reports/x", follow_redirects=False)
    assert pkg._http.decode_redirect(response) == "https://reports.test/r.csv"
    assert len(server.requests) == 1


@pytest.mark.parametrize("status", [304, 300])
def test_a_3xx_that_is_not_followed_is_a_graph_error(pkg: ModuleType, status: int) -> None:
    server = Server(httpx.Response(status), httpx.Response(status))
    with pkg.client.Client("https://graph.test/v1.0", transport=server.transport) as graph:
        with pytest.raises(pkg._http.GraphError) as caught:
            graph._send("GET", "/me", headers={"If-None-Match": "W/1"})
        assert caught.value.status_code == status
        with pytest.raises(pkg._http.GraphError):
            graph._send("GET", "/report", follow_redirects=False)  # no Location: no redirect


# -- GraphError -------------------------------------------------------------------------------


def test_graph_error_line_escapes_control_characters(pkg: ModuleType) -> None:
    body = {"error": {"code": "Bad\x1b[31mCode", "message": "red\x1b[0m\x00 tab\there \u202eevil"}}
    error = pkg._http.GraphError(httpx.Response(400, json=body, headers={"request-id": "r\x07"}))
    assert str(error) == "400 Bad\\x1b[31mCode: red\\x1b[0m\\x00 tab here \\u202eevil (request-id r\\x07)"
    assert str(error).isprintable() and error.message == body["error"]["message"]


def test_graph_error_pickles_without_credentials(pkg: ModuleType) -> None:
    body = {"error": {"code": "NotFound", "message": "m", "innerError": {"request-id": "i"}}}
    server = Server(httpx.Response(404, json=body, headers={"request-id": "r", "Retry-After": "3"}))
    with pkg.client.Client(token="secret", transport=server.transport) as graph:
        with pytest.raises(pkg._http.GraphError) as caught:
            graph._send("POST", "/me/x", body={"a": 1}, has_body=True)
    error = caught.value
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error) and str(again) == str(error) and again.args == error.args
    for name in ("status_code", "code", "message", "request_id", "client_request_id", "retry_after", "body", "details"):
        assert getattr(again, name) == getattr(error, name), name
    assert again.inner_error == error.inner_error
    assert again.response.status_code == 404 and again.response.json() == body
    assert again.response.request.url == error.response.request.url
    assert "authorization" not in again.response.request.headers
    assert error.response.request.headers["authorization"] == "Bearer secret"  # untouched
    assert b"secret" not in pickle.dumps(error)
    copied = copy.copy(error)
    assert copied.status_code == 404
    # after a redirect, the earlier response's request loses its token too
    server = Server(_moved("/v1.0/other"), httpx.Response(500))
    with pkg.client.Client(token="secret", transport=server.transport, max_retries=0) as graph:
        with pytest.raises(pkg._http.GraphError) as caught:
            graph._send("GET", "/me")
    assert len(caught.value.response.history) == 1 and b"secret" not in pickle.dumps(caught.value)
    assert pickle.loads(pickle.dumps(caught.value)).response.history[0].status_code == 302
