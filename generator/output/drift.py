"""Compare an output folder with the tree doc2code would write, without writing anything.

Missing: expected but not on disk. Changed: on disk with other bytes (or not as a regular
file); the manifest is compared too, with the manifest the expected tree gets (named only when
every file is right, since it differs whenever one is not). Extra: any file
under the folder that the expected tree does not have - a stray file, a file of a deleted page.
Only what cannot change what the generated code does is left out: `.DS_Store`, tool caches
(`.pytest_cache`, `.mypy_cache`, ...) and the bytecode Python writes in `__pycache__` when the
package is imported. A `.pyc` that Python could run instead of or beside a generated module - a
sourceless `.pyc` next to the modules, or an unchecked-hash `.pyc` in `__pycache__` (PEP 552,
loaded without looking at the source) - is extra, so it fails the check.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from generator.output import manifest
from generator.output.lock import output_lock
from generator.output.paths import MANIFEST_NAME, path_error, tree_errors
from generator.output.swap import real_folder
from generator.output.tree import read_bytes, scan

IGNORED_FOLDERS = frozenset({".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"})
BYTECODE = "__pycache__"
DEFAULT_DIFF_LINES = 400
DEFAULT_DIFF_FILES = 5
_UNCHECKED_HASH = 0b01  # PEP 552 flags: hash-based, source never checked


def ignored(path: str, root: Path | None = None) -> bool:
    """Files under the output folder that are not output and cannot act as code: `.DS_Store`,
    tool caches, and bytecode in `__pycache__` that Python checks against its source."""
    parts = path.split("/")
    if parts[-1] == ".DS_Store" or any(part in IGNORED_FOLDERS for part in parts[:-1]):
        return True
    if BYTECODE not in parts[:-1]:
        return False
    if parts[-2] != BYTECODE or parts.count(BYTECODE) > 1 or not parts[-1].endswith(".pyc"):
        return False  # only bytecode, directly in __pycache__, is Python's own
    return root is None or not _unchecked_pyc(root, path)


def _unchecked_pyc(root: Path, path: str) -> bool:
    """Whether the `.pyc` at `path` would be loaded without checking its source (or is unreadable)."""
    try:
        with open(root / path, "rb") as handle:
            header = handle.read(8)
    except OSError:
        return True
    if len(header) < 8:
        return False  # Python refuses it (bad header) and compiles the source instead
    flags = int.from_bytes(header[4:8], "little")
    return flags & 0b11 == _UNCHECKED_HASH


@dataclass
class DriftReport:
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # expected paths that could never be written
    _pairs: dict[str, tuple[bytes | None, bytes]] = field(default_factory=dict, repr=False)

    @property
    def clean(self) -> bool:
        return not (self.missing or self.extra or self.changed or self.errors)

    def listing(self, label: str) -> list[str]:
        lines = [f"invalid path: {e}" for e in self.errors]
        for title, paths in (
            ("missing", self.missing),
            ("changed", self.changed),
            ("extra", self.extra),
        ):
            lines += [f"{title}: {label}/{p}" for p in paths]
        return lines

    def diff(
        self, label: str, max_lines: int = DEFAULT_DIFF_LINES, max_files: int = DEFAULT_DIFF_FILES
    ) -> list[str]:
        """Unified diffs (on disk -> expected) of the first `max_files` changed files, at most
        `max_lines` lines in all."""
        lines: list[str] = []
        for index, path in enumerate(self.changed):
            if index == max_files:
                lines.append(f"... {len(self.changed) - index} more changed files (diffs of the first {max_files} shown)")
                break
            actual, expected = self._pairs[path]
            chunk = _file_diff(f"{label}/{path}", actual, expected)
            room = max_lines - len(lines)
            if len(chunk) > room:
                lines += chunk[:room]
                rest = len(self.changed) - index - 1
                more = f" and {rest} more changed files" if rest else ""
                lines.append(
                    f"... {len(chunk) - room} more lines{more} (diff capped at {max_lines} lines)"
                )
                break
            lines += chunk
        return lines


def _file_diff(name: str, actual: bytes | None, expected: bytes) -> list[str]:
    if actual is None:
        return [f"--- {name} (not a regular file on disk)", f"+++ {name} (expected)"]
    try:
        old = actual.decode("utf-8")
    except UnicodeDecodeError:
        return [f"Binary file {name} differs (on disk is not UTF-8 text)"]
    new = expected.decode("utf-8")
    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            f"{name} (on disk)",
            f"{name} (expected)",
        )
    ]


def compare_tree(out: Path, expected: dict[str, str]) -> DriftReport:
    """What differs between the folder `out` and the tree `expected` (path -> text), with the
    manifest `write_tree` writes for that tree."""
    report = DriftReport(errors=tree_errors(expected))
    out = real_folder(out)
    if not out.absolute().parent.is_dir():
        report.missing = sorted(expected)
        return report
    with output_lock(out, exclusive=False):  # never read half of a concurrent swap
        root = out  # never a staging folder: one can be committed next to it
        listing = scan(root)
        for path in sorted(p for p in expected if path_error(p) is None):  # never look outside
            data = expected[path].encode("utf-8")
            if listing.kind(path) is None:
                report.missing.append(path)
            elif path not in listing.files:
                report.changed.append(path)
                report._pairs[path] = (None, data)
            else:
                actual = read_bytes(root, path)
                if actual != data:
                    report.changed.append(path)
                    report._pairs[path] = (actual, data)
        if expected and not (report.errors or report.missing or report.changed):
            # the manifest follows from the files: only worth naming when they are all right
            data = manifest.for_files(expected)
            actual = read_bytes(root, MANIFEST_NAME) if MANIFEST_NAME in listing.files else None
            if MANIFEST_NAME not in listing.files and listing.kind(MANIFEST_NAME) is None:
                report.missing.append(MANIFEST_NAME)
            elif actual != data:
                report.changed.append(MANIFEST_NAME)
                report._pairs[MANIFEST_NAME] = (actual, data)
        on_disk = listing.files | listing.links | listing.others
        report.extra = sorted(
            p
            for p in on_disk
            if p not in expected and p != MANIFEST_NAME and not ignored(p, root)
        )
    return report
