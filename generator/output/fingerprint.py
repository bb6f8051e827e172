"""Content hashes that decide what a run may skip: the tool, the formatter, the inputs.

A run whose `input_key` was seen before produces the same tree, so it need not parse, render or
format anything. Everything that can change a byte of output is hashed, by content (never by
mtime, which a fresh clone does not keep): the generator's own source and built-in templates,
the formatter and its version, the output-affecting config keys, override templates, and every
file under the specs folder (pages and the fragments they include).
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import time
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import generator
from generator.config import Config
from generator.parse.discover import inside
from generator.render.jinja import BUILTIN_TEMPLATES

_LIBRARIES = ("markdown-it-py", "PyYAML", "Jinja2", "MarkupSafe")
GENERATOR_DIR = Path(generator.__file__).resolve().parent
FORMAT_MODULE = GENERATOR_DIR / "output" / "format.py"
# Nothing under the specs folder is skipped: an `[!INCLUDE]` may read any file there (even in
# `node_modules` or `.git`), so any file may decide output and must be part of the key.
_RACY_NS = 2_000_000_000  # a file changed this recently may change again within one ctime tick


def _files(folder: Path, suffixes: tuple[str, ...] = ()) -> list[tuple[str, str, os.stat_result]]:
    """(relative POSIX path, path, stat) of the regular files and symlinks under `folder`, sorted.

    Symlinks are listed, never followed: a link to a folder (or a loop) is not walked.
    """
    found: list[tuple[str, str, os.stat_result]] = []
    stack = [(str(folder), "")]
    while stack:
        path, prefix = stack.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, rel + "/"))
                elif entry.name.endswith(suffixes or ("",)) and (entry.is_file(follow_symlinks=False) or entry.is_symlink()):
                    found.append((rel, entry.path, entry.stat(follow_symlinks=False)))
    return sorted(found, key=lambda item: item[0])


def file_digests(
    folder: Path | None, suffixes: tuple[str, ...] = (), known: dict[str, list[Any]] | None = None
) -> dict[str, str]:
    """Relative POSIX path -> sha256 of the bytes, for the files under `folder` ({} when absent).

    `known` (path -> [size, mtime, ctime, inode, sha256], updated in place) skips reading files
    whose stat is unchanged, as git's index does. ctime changes with every write and cannot be
    set back, and entries younger than `_RACY_NS` are not kept, so an edit is never missed.
    """
    if folder is None or not folder.is_dir():
        return {}
    digests = {}
    now = time.time_ns()
    seen = {}
    for rel, path, st in _files(folder, suffixes):
        signature = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        entry = (known or {}).get(rel)
        if entry is not None and entry[:4] == signature:
            digests[rel] = entry[4]
            seen[rel] = entry
            continue
        try:
            if stat.S_ISLNK(st.st_mode) and not (os.path.isfile(path) and inside(folder, Path(path))):
                # a link to a folder or out of `folder`: its target is not an input, never read
                digests[rel] = hashlib.sha256(f"link:{os.readlink(path)}".encode()).hexdigest()
                continue
            with open(path, "rb") as handle:
                digests[rel] = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError:
            digests[rel] = "unreadable"
            continue
        if now - st.st_ctime_ns > _RACY_NS and not stat.S_ISLNK(st.st_mode):  # a link's target may change
            seen[rel] = [*signature, digests[rel]]
    if known is not None:
        known.clear()
        known.update(seen)
    return digests


def combine(digests: dict[str, str]) -> str:
    """One hash over names and content hashes."""
    h = hashlib.sha256()
    for rel, sha in sorted(digests.items()):
        h.update(f"{rel}\0{sha}\n".encode())
    return h.hexdigest()


def folder_digest(folder: Path | None, suffixes: tuple[str, ...] = ()) -> str:
    return combine(file_digests(folder, suffixes)) if folder is not None and folder.is_dir() else ""


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "absent"


@cache
def formatter_id(formatter: str) -> str:
    """What formatting depends on: the formatter, its version, and our options (format.py)."""
    options = FORMAT_MODULE.read_bytes() if FORMAT_MODULE.is_file() else b""
    digest = hashlib.sha256(options).hexdigest()[:16]
    return f"{formatter} {_version(formatter)} {digest}"


@cache
def runtime_id() -> str:
    """The Python version and the libraries that read pages and render text."""
    parts = [sys.version.split()[0], *(f"{p} {_version(p)}" for p in _LIBRARIES)]
    return "; ".join(parts)


@cache
def tool_digest() -> str:
    """The generator's code and built-in templates: a change to either may change any output."""
    h = hashlib.sha256(generator.__version__.encode())
    h.update(runtime_id().encode())
    h.update(folder_digest(GENERATOR_DIR, (".py",)).encode())
    h.update(folder_digest(BUILTIN_TEMPLATES).encode())
    return h.hexdigest()


@cache
def parser_digest() -> str:
    """The code that turns one page into its IR: what the cached per-page IR depends on."""
    h = hashlib.sha256(generator.__version__.encode())
    h.update(runtime_id().encode())
    for part in ("parse", "model"):
        h.update(folder_digest(GENERATOR_DIR / part, (".py",)).encode())
    h.update((GENERATOR_DIR / "diagnostics.py").read_bytes())
    return h.hexdigest()


def input_key(cfg: Config, specs: dict[str, str] | None = None) -> str:
    """Equal for two runs exactly when they must produce the same output tree.

    `specs` is `file_digests(cfg.specs)` when the caller has it already.
    """
    parts = [
        "doc2code-run-1",
        tool_digest(),
        formatter_id(cfg.formatter),
        repr(sorted(cfg.describe().items())),
        folder_digest(cfg.templates),
        combine(file_digests(cfg.specs) if specs is None else specs),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def format_key(formatter: str, text: str) -> str:
    """What a formatted file was formatted from: recorded in the manifest, looked up later."""
    return hashlib.sha256(f"{formatter_id(formatter)}\n{text}".encode()).hexdigest()
