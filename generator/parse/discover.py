"""Find the pages under the given paths: `*.md`, recursively, in sorted order.

Folders named `includes` hold fragments pulled into pages with `[!INCLUDE]`, not pages.
Reads stay inside the folder a page was found in: `inside` is the one rule every reader applies,
so a symlink committed next to the pages cannot make the tool read what it points at.
"""

from __future__ import annotations

import os
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
        for key, file in _markdown_files(given):
            found.setdefault(key, PageFile(key, file, given, includes))
    return [found[k] for k in sorted(found)]


def _markdown_files(folder: Path) -> list[tuple[str, Path]]:
    """(path relative to `folder` with forward slashes, path) of every `*.md` file under it that
    is a file (a link to one included), outside SKIPPED_DIRS; what `folder.rglob("*.md")` finds,
    filtered so, without a `Path` per directory entry: links to folders are not walked into,
    names match case-sensitively, hidden ones too, a folder that cannot be listed is passed."""
    out: list[tuple[str, Path]] = []
    pending = [("", str(folder))]
    while pending:
        rel, where = pending.pop()
        try:
            with os.scandir(where) as entries:
                listed = list(entries)
        except PermissionError:
            continue
        for entry in listed:
            name = entry.name
            try:
                is_dir = entry.is_dir() and not entry.is_symlink()
            except OSError:
                is_dir = False
            if is_dir:
                if name not in SKIPPED_DIRS:
                    pending.append((rel + name + "/", entry.path))
            elif name.endswith(".md") and _is_file(entry):
                out.append((rel + name, folder / (rel + name)))
    return out


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def inside(root: Path, file: Path, resolved_root: Path | None = None) -> bool:
    """True when `file`, with every symlink resolved, lies under `root` (also resolved);
    `resolved_root`: `root.resolve()`, when the caller checks many files under one root."""
    try:
        return file.resolve().is_relative_to(resolved_root or root.resolve())
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the name
        return False
