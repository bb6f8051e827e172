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


class ReusingFormatter:
    """`format_reusing` fed file by file: `add` each rendered file as soon as it is made (a
    file the cache lacks goes to `submit` at once), then `finish` with the formatter's answer."""

    def __init__(
        self,
        formatter: str,
        known: dict[str, tuple[str, str]],
        submit: Callable[[str, str], None] = lambda path, text: None,
    ) -> None:
        self.formatter = formatter
        self.known = known
        self.submit = submit
        self.result = Formatted()
        self.todo: dict[str, str] = {}
        self.keys: dict[str, str] = {}

    def add(self, path: str, text: str) -> None:
        self.result.files[path] = text
        if not path.endswith(".py"):
            return
        self.keys[path] = key = format_key(self.formatter, text)
        hit = self.known.get(path)
        if hit is not None and hit[0] == key:
            self.result.files[path] = hit[1]
            self.result.reused += 1
        else:
            self.todo[path] = text
            self.submit(path, text)

    def finish(self, run_format: FormatFn) -> Formatted:
        """The result, `run_format(files added to be formatted)` giving their formatted text
        (called only when there are any)."""
        result = self.result
        result.files = dict(sorted(result.files.items()))
        if self.todo:
            formatted, problems = run_format(dict(sorted(self.todo.items())))
            result.files.update(formatted)
            result.problems = sorted(problems)
            result.formatted = len(self.todo)
        failed = {path for path, _ in result.problems}
        result.entries = {
            p: (k, result.files[p]) for p, k in sorted(self.keys.items()) if p not in failed
        }
        return result


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
    reuser = ReusingFormatter(formatter, known)
    for path, text in sorted(rendered.items()):
        reuser.add(path, text)
    return reuser.finish(run_format)


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
