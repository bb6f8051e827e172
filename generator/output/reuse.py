"""Reuse formatted text from the user's cache instead of formatting again.

The cache (see `cache`) keeps, per output path, the key of what was formatted (`format_key`:
the formatter, its version and options, and the unformatted text) and the formatted result. A
rendered file whose key is found there needs no formatting. Nothing in the output folder or its
manifest is ever taken as formatted text: a fresh clone, with no cache, formats everything.
`unchanged_tree` reads files back from the output folder only after comparing each with a hash
from a signed run record, so a hand-edited file is a miss, never a reuse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.output import manifest
from generator.output.fingerprint import format_key
from generator.output.tree import read_bytes, scan

# (files to format: path -> text) -> (formatted files, problems as (path, message))
FormatFn = Callable[[dict[str, str]], tuple[dict[str, str], list[tuple[str, str]]]]


@dataclass
class Formatted:
    files: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    formatted: int = 0  # files that went through the formatter
    reused: int = 0
    entries: dict[str, tuple[str, str]] = field(default_factory=dict)  # for the cache


def format_reusing(
    rendered: dict[str, str],
    formatter: str,
    run_format: FormatFn,
    known: dict[str, tuple[str, str]],
) -> Formatted:
    """Formatted text of every rendered file, calling `run_format` only for the unknown ones.

    `known` is path -> (format key, formatted text) from the cache; `entries` of the result is
    the same for this run (files the formatter rejected are left out, so they are tried again).
    """
    result = Formatted(files=dict(rendered))
    todo: dict[str, str] = {}
    keys: dict[str, str] = {}
    for path, text in sorted(rendered.items()):
        if not path.endswith(".py"):
            continue
        keys[path] = key = format_key(formatter, text)
        hit = known.get(path)
        if hit is not None and hit[0] == key:
            result.files[path] = hit[1]
            result.reused += 1
        else:
            todo[path] = text
    if todo:
        formatted, problems = run_format(todo)
        result.files.update(formatted)
        result.problems = sorted(problems)
        result.formatted = len(todo)
    failed = {path for path, _ in result.problems}
    result.entries = {p: (k, result.files[p]) for p, k in keys.items() if p not in failed}
    return result


def unchanged_tree(out: Path, expected: dict[str, str]) -> dict[str, str] | None:
    """The texts of `expected` (path -> sha256) read from `out`, or None if any differs.

    Only regular files reached without a symlink are read (a link to `/dev/zero` or out of the
    folder is never opened); anything else is a difference."""
    root = out  # never a staging folder: one can be committed next to it
    files = scan(root).files
    texts: dict[str, str] = {}
    for path, sha in expected.items():
        data = read_bytes(root, path) if path in files else None
        if data is None or manifest.digest(data) != sha:
            return None
        try:
            texts[path] = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return texts
