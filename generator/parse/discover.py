"""Find the pages under the given paths: `*.md`, recursively, in sorted order.

Folders named `includes` hold fragments pulled into pages with `[!INCLUDE]`, not pages.
Reads stay inside the folder a page was found in: `inside` is the one rule every reader applies,
so a symlink committed next to the pages cannot make the tool read what it points at.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SKIPPED_DIRS = frozenset({"includes", ".git", "node_modules", "__pycache__"})


@dataclass(frozen=True, order=True)
class PageFile:
    rel: str  # path relative to its root, forward slashes: how diagnostics name the page
    file: Path
    root: Path  # the folder that confines include reads
    includes: tuple[Path, ...] = ()  # further folders includes may be read from (`includes` key)


def discover(paths: list[Path], includes: tuple[Path, ...] = ()) -> list[PageFile]:
    found: dict[str, PageFile] = {}
    for given in paths:
        if given.is_file():  # named by the user: trusted, even when it is a link
            root = given.resolve().parent
            found.setdefault(given.name, PageFile(given.name, given, root, includes))
            continue
        for file in sorted(given.rglob("*.md")):
            rel = file.relative_to(given)
            if any(part in SKIPPED_DIRS for part in rel.parts[:-1]) or not file.is_file():
                continue
            key = rel.as_posix()
            found.setdefault(key, PageFile(key, file, given, includes))
    return [found[k] for k in sorted(found)]


def inside(root: Path, file: Path, resolved_root: Path | None = None) -> bool:
    """True when `file`, with every symlink resolved, lies under `root` (also resolved);
    `resolved_root`: `root.resolve()`, when the caller checks many files under one root."""
    try:
        return file.resolve().is_relative_to(resolved_root or root.resolve())
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the name
        return False
