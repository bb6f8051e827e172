"""Compare an output folder with the tree doc2code would write, without writing anything.

Missing: expected but not on disk. Changed: on disk with other bytes (or not as a regular
file). Extra: any file under the folder that the expected tree does not have - a stray file, a
file of a deleted page - except the manifest and the caches tools drop next to Python code
(`__pycache__`, `.pytest_cache`, ...), which nobody expects a drift check to complain about.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from generator.output.lock import output_lock
from generator.output.paths import MANIFEST_NAME, path_error, tree_errors
from generator.output.swap import current_tree, real_folder
from generator.output.tree import read_bytes, scan

IGNORED_FOLDERS = frozenset(
    {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"}
)
IGNORED_SUFFIXES = (".pyc", ".pyo")
DEFAULT_DIFF_LINES = 400


def ignored(path: str) -> bool:
    """Files under the output folder that are not output: the manifest, caches, bytecode."""
    if path == MANIFEST_NAME:
        return True
    parts = path.split("/")
    return (
        parts[-1] == ".DS_Store"
        or path.endswith(IGNORED_SUFFIXES)
        or any(part in IGNORED_FOLDERS for part in parts[:-1])
    )


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

    def diff(self, label: str, max_lines: int = DEFAULT_DIFF_LINES) -> list[str]:
        """Unified diffs (on disk -> expected) of the changed files, at most `max_lines` lines."""
        lines: list[str] = []
        for index, path in enumerate(self.changed):
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
    """What differs between the folder `out` and the tree `expected` (path -> text)."""
    report = DriftReport(errors=tree_errors(expected))
    out = real_folder(out)
    if not out.absolute().parent.is_dir():
        report.missing = sorted(expected)
        return report
    with output_lock(out, exclusive=False):  # never read half of a concurrent swap
        root = current_tree(out)
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
        on_disk = listing.files | listing.links | listing.others
        report.extra = sorted(p for p in on_disk if p not in expected and not ignored(p))
    return report
