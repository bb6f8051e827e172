"""HTTP blocks: request lines, example requests and responses, and lenient JSON bodies.

Pure functions over the text of one fenced block. `line` is the page line (1-based) of the
block's first line, so every diagnostic points into the page. The parse stage must not import
the model, so results are parse-level dataclasses that the model stage copies into the IR
(`RequestLine` -> `PathTemplate`, `ParsedRequest` -> `HttpRequest`, `ParsedResponse` ->
`HttpResponse`; the annotation-derived response fields are the model's to add).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from generator.diagnostics import Diagnostic, make
from generator.parse.lenient_json import parse_json_lenient, read_json

__all__ = [
    "METHODS",
    "ParsedRequest",
    "ParsedResponse",
    "RequestLine",
    "header",
    "normalise_path",
    "parse_json_lenient",
    "parse_request_example",
    "parse_request_lines",
    "parse_response_example",
]

METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})


@dataclass
class RequestLine:
    """`METHOD URL [HTTP/1.1]`: `template` is the normalised path (see `normalise_path`)."""

    method: str
    url: str  # as written, without a trailing `HTTP/1.1`
    template: str
    params: list[str] = field(default_factory=list)  # `{...}` names in order, de-duplicated
    query: dict[str, str] = field(default_factory=dict)
    raw: str = ""  # the whole line as documented
    line: int = 0


@dataclass
class ParsedRequest:
    method: str
    url: str  # as written
    path: str  # normalised template; "" when the URL is unusable (D306 reported)
    params: list[str] = field(default_factory=list)
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # names as written
    body_raw: str = ""
    body: Any = None  # parsed JSON (best effort), None when absent or not JSON
    body_is_json: bool = False  # True only when body_raw is strict JSON
    line: int = 0
    body_line: int = 0  # page line of the body's first line; 0 without a body


@dataclass
class ParsedResponse:
    status: int | None  # None without a status line
    status_text: str = ""  # reason phrase as written (`Created`, `Accpted`, ...)
    headers: dict[str, str] = field(default_factory=dict)
    body_raw: str = ""
    body: Any = None
    body_is_json: bool = False
    line: int = 0
    body_line: int = 0


_REQUEST = re.compile(r"([A-Za-z]+)(?:\s+(.*))?")
_URL_WITHOUT_METHOD = re.compile(r"(?:https?://|/)[^\s/*]", re.IGNORECASE)
_HTTP_VERSION = re.compile(r"HTTP/\d(?:\.\d)?", re.IGNORECASE)
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#\s]*")
_PATH_START = re.compile(r"[/\w$.{(<~@-]")
_VERSION_PREFIX = re.compile(r"/(?:v1\.0|beta|v1)(?=/|$)", re.IGNORECASE)
_ANGLE_PLACEHOLDER = re.compile(r"<([^<>{}\s]+)>")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_NOT_IN_PATH = frozenset('*"\\`')
_PATH_SPECIAL = re.compile(r"""[\s'{}()?*"\\`]""")  # `_path_end` acts on these (`\s`: str.isspace)
_HEADER = re.compile(r"([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:(?!//)[ \t]*(.*)")
_STATUS = re.compile(r"HTTP(?:/\d(?:\.\d)?)?[ \t]+(\d{3})(?:[ \t]+(.*))?", re.IGNORECASE)
_PROSE_PLACEHOLDER = re.compile(r"[\[{][ \t]*[A-Za-z][^\[\]{}\"':,\n]*[\]}]")
_STATUS_LIKE = re.compile(r"HTTP(?:/|[ \t]|$)", re.IGNORECASE)


def parse_request_lines(
    text: str, path: str, line: int
) -> tuple[list[RequestLine], list[Diagnostic]]:
    """Every request line of a `## HTTP request` block; other lines are skipped."""
    found: list[RequestLine] = []
    diagnostics: list[Diagnostic] = []
    for offset, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        if not stripped:
            continue
        request, diagnostic = _read_request_line(stripped, path, line + offset)
        if request is not None:
            found.append(request)
        elif diagnostic is not None:
            diagnostics.append(diagnostic)
    return found, diagnostics


def parse_request_example(
    text: str, path: str, line: int
) -> tuple[ParsedRequest | None, list[Diagnostic]]:
    """An example request: request line, headers, then a body (blank line before it optional)."""
    lines = _lines(text)
    first = _skip_blank(lines, 0)
    if first == len(lines):
        return None, [make(path, line, "D305", "request example is empty")]
    lineno = line + first
    stripped = lines[first].strip()
    method, url = _split_method(stripped)
    if method is None:
        return None, [
            make(path, lineno, "D305", f"request line is not `METHOD URL`: {_short(stripped)}")
        ]
    diagnostics: list[Diagnostic] = []
    parts = _analyse_url(url)
    if parts is None:
        diagnostics.append(_bad_url(path, lineno, url))
        parts = ("", [], {})
    headers, after = _read_headers(lines, first + 1)
    if not headers and after == first + 2:  # a blank line before the headers (common in pages)
        more, rest = _read_headers(lines, _skip_blank(lines, after))
        if more and (rest == len(lines) or not lines[rest - 1].strip()):
            headers, after = more, rest
    request = ParsedRequest(method, url, *parts, headers=headers, line=lineno)
    _read_body(request, lines, after, path, line, diagnostics)
    return request, diagnostics


def parse_response_example(
    text: str, path: str, line: int
) -> tuple[ParsedResponse, list[Diagnostic]]:
    """An example response: optional status line, headers, body. Also takes body-only blocks."""
    lines = _lines(text)
    first = _skip_blank(lines, 0)
    response = ParsedResponse(None, line=line + first if first < len(lines) else line)
    diagnostics: list[Diagnostic] = []
    start = first
    if first < len(lines):
        stripped = lines[first].strip()
        status = _STATUS.fullmatch(stripped)
        if status:
            response.status = int(status.group(1))
            response.status_text = (status.group(2) or "").strip()
            start += 1
        elif _STATUS_LIKE.match(stripped):
            message = f"response status line is malformed: {_short(stripped)}"
            diagnostics.append(make(path, line + first, "D308", message))
            start += 1
    response.headers, after = _read_headers(lines, start)
    _read_body(response, lines, after, path, line, diagnostics)
    return response, diagnostics


def _read_request_line(
    stripped: str, path: str, lineno: int
) -> tuple[RequestLine | None, Diagnostic | None]:
    method, url = _split_method(stripped)
    if method is None:
        if _URL_WITHOUT_METHOD.match(stripped):
            message = f"request line has no method: {_short(stripped)}"
            return None, make(path, lineno, "D305", message)
        return None, None  # a header, prose or a comment between request lines
    parts = _analyse_url(url)
    if parts is None:
        return None, _bad_url(path, lineno, url)
    template, params, query = parts
    return RequestLine(method, url, template, params, query, stripped, lineno), None


def _split_method(stripped: str) -> tuple[str | None, str]:
    """(METHOD, URL without `HTTP/1.1`), or (None, "") when the line starts with no method."""
    match = _REQUEST.fullmatch(stripped)
    if not match or match.group(1).upper() not in METHODS:
        return None, ""
    url = (match.group(2) or "").strip()
    words = url.rsplit(None, 1)
    if len(words) == 2 and _HTTP_VERSION.fullmatch(words[1]):
        url = words[0].rstrip()
    if not match.group(1).isupper() and not url.lower().startswith(("/", "http")):
        return None, ""  # prose such as "Get the events of ..."
    return match.group(1).upper(), url


def _bad_url(path: str, lineno: int, url: str) -> Diagnostic:
    if not url:
        return make(path, lineno, "D305", "request line has a method but no URL")
    return make(path, lineno, "D306", f"request URL is not a URL or path: {_short(url)}")


def _analyse_url(url: str) -> tuple[str, list[str], dict[str, str]] | None:
    """(template, params, query) of a URL as written, or None when it is not a URL or path."""
    absolute = _ABSOLUTE.match(url)
    rest = url[absolute.end() :] if absolute else url
    if not absolute and not _PATH_START.match(rest):
        return None
    cut = _path_end(rest)
    if cut < 0:
        return None
    raw_path, query = rest[:cut], rest[cut + 1 :]
    if raw_path.endswith("[") and query.endswith("]"):  # `content[?includeIDs=true]`
        raw_path, query = raw_path[:-1], query[:-1]
    template = normalise_path(raw_path)
    params = list(dict.fromkeys(name for name in _PLACEHOLDER.findall(template) if name))
    return template, params, _parse_query(query) if cut < len(rest) else {}


def _path_end(rest: str) -> int:
    """Index of the `?` that starts the query (len(rest) without one); -1 when the path holds
    spaces or characters no path has, outside `{...}`, `(...)` and quotes."""
    first = _PATH_SPECIAL.search(rest)  # up to the first character the loop below acts on, it passes
    if first is None:
        return len(rest)
    if first.group() == "?":
        return first.start()
    if first.group() not in "'{}()":
        return -1
    depth = 0
    quoted = False
    special: re.Match[str] | None = first
    while special is not None:  # every other character leaves the state as it is: skipped
        index, char = special.start(), special.group()
        special = _PATH_SPECIAL.search(rest, index + 1)
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
        elif char in _NOT_IN_PATH or char.isspace():
            return -1
    return len(rest)


def normalise_path(raw_path: str) -> str:
    """Leading slash, no version prefix, `{id | userPrincipalName}` -> `{id}`, `<x>` -> `{x}`,
    no trailing slash; key segments and function arguments stay as written."""
    path = "/" + raw_path.lstrip("/")
    version = _VERSION_PREFIX.match(path)
    path = path[version.end() :] if version else path
    path = _ANGLE_PLACEHOLDER.sub(r"{\1}", path)
    path = _PLACEHOLDER.sub(lambda m: "{" + m.group(1).split("|", 1)[0].strip() + "}", path)
    return path.rstrip("/") or "/"


def _parse_query(query: str) -> dict[str, str]:
    """`a=1&$filter=x eq 'y'` -> dict; `&` inside parentheses does not split."""
    result: dict[str, str] = {}
    depth = start = 0
    for index, char in enumerate(query + "&"):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "&" and not depth:
            name, _, value = query[start:index].partition("=")
            if name.strip():
                result[unquote(name.strip())] = unquote(value.strip())
            start = index + 1
    return result


def _lines(text: str) -> list[str]:
    return [raw.rstrip("\r") for raw in text.split("\n")]


def _skip_blank(lines: list[str], index: int) -> int:
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index


def _read_headers(lines: list[str], index: int) -> tuple[dict[str, str], int]:
    """`Name: value` lines up to a blank line (consumed) or the first line that is not one."""
    headers: dict[str, str] = {}
    while index < len(lines):
        stripped = lines[index].strip()
        if not stripped:
            return headers, index + 1
        match = _HEADER.fullmatch(stripped)
        if stripped[0] in "{[" or not match:
            break
        headers[match.group(1)] = match.group(2).strip()
        index += 1
    return headers, index


def header(headers: dict[str, str], name: str) -> str | None:
    """Case-insensitive header lookup (names are stored as written)."""
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)


def _read_body(
    target: ParsedRequest | ParsedResponse,
    lines: list[str],
    index: int,
    path: str,
    line: int,
    diagnostics: list[Diagnostic],
) -> None:
    index = _skip_blank(lines, index)
    if index == len(lines):
        return
    target.body_raw = "\n".join(lines[index:]).rstrip()
    target.body_line = line + index
    content_type = (header(target.headers, "Content-Type") or "").lower()
    stripped = target.body_raw.strip()
    if _PROSE_PLACEHOLDER.fullmatch(stripped):
        return  # `{Raw bytes of the file}`, `[Zip file containing ...]`
    reading = read_json(target.body_raw)
    declared_json = "json" in content_type
    if reading.reason and not declared_json and (content_type or stripped[:1] not in "{["):
        return  # declared or evidently not JSON (text, binary, XML, multipart): kept raw only
    target.body = reading.value
    target.body_is_json = reading.reason is None
    if reading.reason is not None:
        message = f"example body is not strict JSON: {reading.reason}"
        diagnostics.append(make(path, target.body_line + max(reading.line, 1) - 1, "D307", message))


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
