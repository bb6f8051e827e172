"""Reuse what is already on disk instead of formatting (or rendering) again.

The output folder is the formatting cache, on any machine and in a fresh clone: its manifest
records, per file, the hash of its bytes and the hash of the unformatted text plus formatter it
was formatted from. A rendered file whose hash is recorded there, and whose bytes on disk still
have the recorded hash, needs no formatting: its formatted text is what is on disk. Every
reuse is verified by content hash, so a hand-edited file, a stale manifest or a concurrent
write can only make a file be formatted again, never make a wrong text be used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.output import manifest
from generator.output.fingerprint import format_key
from generator.output.swap import current_tree
from generator.output.tree import read_bytes

# (files to format: path -> text) -> (formatted files, problems as (path, message))
FormatFn = Callable[[dict[str, str]], tuple[dict[str, str], list[tuple[str, str]]]]


@dataclass
class Formatted:
    files: dict[str, str] = field(default_factory=dict)
    formatted_from: dict[str, str] = field(default_factory=dict)  # for the manifest
    problems: list[tuple[str, str]] = field(default_factory=list)
    formatted: int = 0  # files that went through the formatter
    reused: int = 0


def _verified(root: Path, path: str, sha: str) -> str | None:
    data = read_bytes(root, path)
    if data is None or manifest.digest(data) != sha:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def format_reusing(
    rendered: dict[str, str], out: Path, formatter: str, run_format: FormatFn
) -> Formatted:
    """Formatted text of every rendered file, calling `run_format` only for the unknown ones."""
    root = current_tree(out)
    known = {e.formatted_from: (p, e.sha256) for p, e in manifest.read(root).items()}
    known.pop(manifest.UNKNOWN, None)
    result = Formatted(files=dict(rendered))
    todo: dict[str, str] = {}
    for path, text in sorted(rendered.items()):
        if not path.endswith(".py"):
            continue
        key = format_key(formatter, text)
        result.formatted_from[path] = key
        hit = known.get(key)
        reused = _verified(root, *hit) if hit else None
        if reused is None:
            todo[path] = text
        else:
            result.files[path] = reused
            result.reused += 1
    if todo:
        formatted, problems = run_format(todo)
        result.files.update(formatted)
        result.problems = sorted(problems)
        result.formatted = len(todo)
        for path, _ in problems:  # not formatted: try again next time (and report it again)
            result.formatted_from[path] = manifest.UNKNOWN
    return result


def unchanged_tree(out: Path, expected: dict[str, str]) -> dict[str, str] | None:
    """The texts of `expected` (path -> sha256) read from `out`, or None if any differs."""
    root = current_tree(out)
    texts: dict[str, str] = {}
    for path, sha in expected.items():
        text = _verified(root, path, sha)
        if text is None:
            return None
        texts[path] = text
    return texts
