"""Lenient JSON: strict `json.loads` first, then a tolerant reader for what docs authors write.

Shared by annotations (`<!-- { ... } -->`) and HTTP example bodies. The tolerant reader is one
pass over regex tokens with an explicit stack: no recursion, bounded depth, linear time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any


@dataclass
class LenientJson:
    value: Any  # None when hopeless
    reason: str | None  # None when the text is strict JSON
    line: int = 0  # 1-based line in the text of the first problem; 0 when strict
    # 1-based line of each problem named in `reason` (its first occurrence); may be empty
    lines: dict[str, int] = field(default_factory=dict)

    def line_of_first(self, ignored: frozenset[str] = frozenset()) -> int:
        """The line of the first problem not in `ignored` (`comment`, which a dialect allows)."""
        found = [line for problem, line in self.lines.items() if problem not in ignored]
        return min(found) if found else self.line


# Real examples nest at most ~12 levels. Every later stage walks values recursively (pickling
# the IR, json.dumps of fixtures, FastAPI's encoder in the generated stub), so deeper values
# are refused here, strict JSON included, instead of failing there with a RecursionError.
MAX_DEPTH = 64
_MISSING = object()
_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<str>["“](?:[^"“”\\]++|\\.)*+["”]?)
    |(?P<sq>'(?:[^'\\\n]++|\\.)*+'?)
    |(?P<comment>//[^\n]*+|/\*(?:[^*]++|\*(?!/))*+(?:\*/)?)
    |(?P<ellipsis>\.{3,}|…)
    |(?P<placeholder>\{[ \t]*+[A-Za-z_][\w.| \t-]*+\}|<[^<>\n"]{1,200}>)
    |(?P<punct>[{}\[\]:,;])
    |(?P<word>\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)?(?![\w:])
        |(?:[^\s{}\[\]:,;"'<>/…]|/(?![/*]))+)
    |(?P<junk>.)""",
    re.VERBOSE | re.DOTALL,
)
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}


def parse_json_lenient(text: str) -> tuple[Any, str | None]:
    """(value, None) for strict JSON; else (best-effort value or None, short reason)."""
    reading = read_json(text)
    return reading.value, reading.reason


def read_json(text: str) -> LenientJson:
    """Strict `json.loads` first (the fast path); then tolerate what docs authors write:
    comments, `...` elisions, trailing commas, placeholders, single quotes, unquoted keys,
    stray semicolons, raw newlines in strings, truncation. Never raises."""
    try:
        return _bounded(LenientJson(json.loads(text), None))
    except RecursionError:
        return LenientJson(None, "JSON is nested too deeply", 1)
    except ValueError as error:
        # kept past the `except` without a traceback of its own or of the exception it was
        # raised from: a traceback holds this frame and, through it, every caller's (the page
        # being read), a cycle only the cycle collector would free
        strict_error = error.with_traceback(None)
        strict_error.__context__ = None
    try:  # the common annotation defect: raw newlines inside strings
        value = json.loads(text, strict=False)
        return _bounded(
            LenientJson(value, "raw newline or control character inside a string", _error_line(strict_error))
        )
    except (ValueError, RecursionError):
        pass
    return _TolerantReader(text).read(strict_error)


def _bounded(reading: LenientJson) -> LenientJson:
    """`reading`, or nothing when its value nests deeper than MAX_DEPTH (checked without recursion)."""
    if not isinstance(reading.value, (dict, list)):
        return reading
    stack = [(reading.value, 1)]  # containers only: a scalar at any depth is fine
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return LenientJson(None, f"nested deeper than {MAX_DEPTH} levels", 1)
        for child in value.values() if isinstance(value, dict) else value:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
    return reading


def _error_line(error: ValueError) -> int:
    return getattr(error, "lineno", 1)


class _TolerantReader:
    """One pass over tokens with an explicit stack (no recursion, bounded depth)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.notes: dict[str, int] = {}  # problem -> position of its first occurrence
        self.stack: list[dict[str, Any] | list[Any]] = []
        self.keys: list[str | None] = []  # pending key of each frame (dict frames)
        self.colons: list[bool] = []  # whether that key's colon was seen
        self.root: Any = _MISSING
        self.needs_separator = False

    def note(self, problem: str, position: int) -> None:
        self.notes.setdefault(problem, position)

    def read(self, strict_error: ValueError) -> LenientJson:
        previous = ""
        previous_position = 0
        for match in _TOKEN.finditer(self.text):
            kind, token, position = match.lastgroup, match.group(), match.start()
            if kind == "ws":
                if not token.isascii():
                    self.note("non-ASCII whitespace", position)
                continue
            if kind == "comment":
                self.note("comment", position)
                continue
            if self.root is _MISSING and token not in ("{", "["):
                return LenientJson(None, _strict_reason(strict_error), _error_line(strict_error))
            if self.root is not _MISSING and not self.stack:
                self.note("text after the JSON value", position)
                break
            if token in ("}", "]") and previous == ",":
                self.note("trailing comma", previous_position)
            if kind == "punct":
                if not self.punctuation(token, position):
                    line = self.text.count("\n", 0, position) + 1
                    return LenientJson(None, f"nested deeper than {MAX_DEPTH} levels", line)
            elif kind == "ellipsis":
                self.note("elision", position)
                self.keys[-1] = None
                self.needs_separator = False
            else:
                self.scalar(kind or "junk", token, position)
            previous, previous_position = token, position
        if self.root is _MISSING:
            return LenientJson(None, _strict_reason(strict_error), _error_line(strict_error))
        if self.stack:
            self.note("unclosed brackets (truncated?)", len(self.text))
        if not self.notes:
            return LenientJson(self.root, _strict_reason(strict_error), _error_line(strict_error))
        reason, line = self.reason()
        lines = {problem: self.text.count("\n", 0, position) + 1 for problem, position in self.notes.items()}
        return LenientJson(self.root, reason, line, lines)

    def reason(self) -> tuple[str, int]:
        """Problems in order of appearance, and the line of the first one."""
        ordered = sorted(self.notes, key=self.notes.__getitem__)
        first_line = self.text.count("\n", 0, self.notes[ordered[0]]) + 1
        return ", ".join(ordered), first_line

    def punctuation(self, token: str, position: int) -> bool:
        if token in "{[":
            if len(self.stack) >= MAX_DEPTH:
                return False
            container: dict[str, Any] | list[Any] = {} if token == "{" else []
            self.attach(container, None, position)
            self.stack.append(container)
            self.keys.append(None)
            self.colons.append(False)
            self.needs_separator = False
        elif token in "}]":
            self.close(dict if token == "}" else list, position)
        elif token == ":":
            if self.keys and self.keys[-1] is not None:
                self.colons[-1] = True
        else:
            if token == ";":
                self.note("stray semicolon", position)
            self.keys[-1] = None
            self.needs_separator = False
        return True

    def close(self, kind: type, position: int) -> None:
        depth = next(
            (i for i in range(len(self.stack) - 1, -1, -1) if type(self.stack[i]) is kind), -1
        )
        if depth < 0:
            self.note("stray closing bracket", position)
            return
        if depth != len(self.stack) - 1:
            self.note("unclosed bracket", position)
        del self.stack[depth:], self.keys[depth:], self.colons[depth:]
        self.needs_separator = True

    def scalar(self, kind: str, token: str, position: int) -> None:
        top = self.stack[-1]
        if isinstance(top, dict) and self.keys[-1] is None:
            if kind not in ("str", "sq"):
                self.note("unquoted key", position)
            if self.needs_separator:
                self.note("missing comma", position)
            self.keys[-1] = self.string(kind, token, position)
            self.colons[-1] = self.needs_separator = False
            return
        self.attach(self.value(kind, token, position), token, position)

    def attach(self, value: Any, token: str | None, position: int) -> None:
        if not self.stack:
            self.root = value
            return
        if self.needs_separator:
            self.note("missing comma", position)
        top = self.stack[-1]
        if isinstance(top, list):
            top.append(value)
        elif self.keys[-1] is None:
            self.note("value without a key", position)
        else:
            if not self.colons[-1]:
                self.note("missing colon", position)
            top[self.keys[-1]] = value
            self.keys[-1] = None
        self.needs_separator = token is not None

    def value(self, kind: str, token: str, position: int) -> Any:
        if kind == "word":
            if token in _LITERALS:
                return _LITERALS[token]
            if _NUMBER.fullmatch(token):
                try:
                    return int(token) if token.lstrip("-").isdigit() else float(token)
                except ValueError:  # more digits than int() accepts
                    pass
            self.note("unquoted value", position)
            return token
        if kind == "placeholder":
            self.note("placeholder", position)
            return token
        if kind == "junk":
            self.note("unexpected character", position)
            return token
        return self.string(kind, token, position)

    def string(self, kind: str, token: str, position: int) -> str:
        if kind not in ("str", "sq"):
            return token
        if kind == "sq":
            self.note("single-quoted string", position)
        closers = "'" if kind == "sq" else '"”'
        closed = len(token) > 1 and token[-1] in closers and not _escaped_end(token)
        if not closed:
            self.note("unterminated string", position)
        if token[0] == "“" or closed and token[-1] == "”":
            self.note("typographic quotes", position)
        content = token[1:-1] if closed else token[1:]
        if kind == "sq":
            return content.replace("\\'", "'")
        try:
            return str(json.loads('"' + content + '"', strict=False))
        except ValueError:
            self.note("invalid escape in a string", position)
            return content


def _escaped_end(token: str) -> bool:
    """Whether the final quote of `token` is escaped (odd run of backslashes before it)."""
    run = len(token) - 1 - len(token[:-1].rstrip("\\"))
    return run % 2 == 1


def _strict_reason(error: ValueError) -> str:
    return getattr(error, "msg", None) or str(error)
