"""Split YAML front matter off a page before markdown-it sees it.

Front matter must go first: to CommonMark, `---` + `title: x` + `---` is a thematic break
and a setext heading. Loading is safe-only (the C loader when PyYAML has it, ~10x faster),
and the result is reduced to plain JSON data under a node budget, so aliases that expand
exponentially ("billion laughs") end as a diagnostic instead of a hang.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, make

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_NODE_BUDGET = 5_000
_MAX_DEPTH = 32  # the IR is pickled and walked recursively downstream: keep it shallow


@dataclass
class FrontMatter:
    data: dict[str, Any] = field(default_factory=dict)
    body: str = ""  # the page text after the front matter
    body_line: int = 1  # 1-based page line where `body` starts
    diagnostics: list[Diagnostic] = field(default_factory=list)


class _TooLarge(Exception):
    pass


# A line that closes front matter: `---` or `...`, then blanks (`\s` is what str.rstrip strips).
_CLOSE = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)


def split_front_matter(text: str, path: str) -> FrontMatter:
    """Front matter: the lines between a first line `---` and the next line `---` or `...`
    (blanks after either allowed); the body is the text after that line. Found by slicing,
    without splitting the page into lines."""
    newline = text.find("\n")
    if (text if newline == -1 else text[:newline]).strip() != "---":
        return FrontMatter(body=text, diagnostics=[make(path, 1, "D101", "page has no YAML front matter")])
    close = _CLOSE.search(text, newline + 1) if newline != -1 else None
    if close is None:
        diag = make(path, 1, "D102", "front matter opened on line 1 is never closed by `---`")
        return FrontMatter(body=text[newline + 1 :] if newline != -1 else "", body_line=2, diagnostics=[diag])
    after = text.find("\n", close.end())
    end = text.count("\n", 0, close.start())  # the closing line's index
    result = FrontMatter(body=text[after + 1 :] if after != -1 else "", body_line=end + 2)
    result.data, result.diagnostics = load_yaml(text[newline + 1 : max(close.start() - 1, newline + 1)], path)
    return result


def load_yaml(source: str, path: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    try:
        loaded = yaml.load(source, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return {}, [make(path, line, "D103", f"front matter is not valid YAML: {problem}")]
    except (ValueError, RecursionError) as exc:
        return {}, [make(path, 1, "D103", f"front matter could not be loaded: {exc}")]
    if loaded is None:
        return {}, []
    if not isinstance(loaded, dict):
        kind = type(loaded).__name__
        return {}, [make(path, 2, "D103", f"front matter is a {kind}, not a mapping")]
    try:
        data = _plain(loaded, [0])
    except (_TooLarge, RecursionError):
        limits = f"more than {_NODE_BUDGET} values or {_MAX_DEPTH} levels"
        return {}, [make(path, 2, "D103", f"front matter expands to {limits}")]
    diags = []
    for key in ("title", "description", "doc_type"):
        if key in data and not isinstance(data[key], str):
            diags.append(make(path, 2, "D104", f"front matter `{key}` should be text, not {type(data[key]).__name__}"))
            data[key] = "" if data[key] is None else str(data[key])
    return data, diags


def _plain(value: Any, budget: list[int], depth: int = 0) -> Any:
    """Copy YAML data into JSON-safe values, counting nodes (aliases are counted every time)."""
    budget[0] += 1
    if budget[0] > _NODE_BUDGET or depth > _MAX_DEPTH:
        raise _TooLarge
    if isinstance(value, dict):
        return {str(k): _plain(v, budget, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, budget, depth + 1) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
