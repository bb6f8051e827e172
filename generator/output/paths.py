"""Output-relative paths: the only shapes `write_tree` accepts, checked before anything is written.

A path is POSIX-style and relative to the output folder: no absolute paths, no `..`/`.`/empty
components, no backslashes (a second separator on Windows), no NUL or control characters (they
would break the line-based manifest and terminals), and not the manifest itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MANIFEST_NAME = ".doc2code-manifest"

_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def path_error(path: str) -> str | None:
    """Why `path` may not be written, or None when it is a valid output-relative path."""
    if not isinstance(path, str) or not path:
        return "empty path"
    if "\x00" in path:
        return "path contains a NUL character"
    if _CONTROL.search(path):
        return "path contains a control character"
    if "\\" in path:
        return "path contains a backslash (use forward slashes)"
    if path.startswith("/") or _DRIVE.match(path):
        return "path is absolute"
    parts = path.split("/")
    if ".." in parts:
        return "path leaves the output folder (`..`)"
    if any(part in ("", ".") for part in parts):
        return "path has an empty or `.` component"
    if parts[0] == MANIFEST_NAME:
        return f"path is reserved for the manifest ({MANIFEST_NAME})"
    return None


def tree_errors(paths: Iterable[str]) -> list[str]:
    """Every reason the set of `paths` cannot be written as one tree, as `path: reason` lines.

    Besides each path's own shape, a path may not also be a folder of another path (`a` and
    `a/b`), and two paths may not differ only by case (they collide on macOS and Windows).
    """
    errors: list[str] = []
    valid: list[str] = []
    for path in sorted(paths):
        reason = path_error(path)
        if reason:
            errors.append(f"{path!r}: {reason}")
        else:
            valid.append(path)
    files = set(valid)
    folded: dict[str, str] = {}
    for path in valid:
        parts = path.split("/")
        for i in range(1, len(parts)):
            folder = "/".join(parts[:i])
            if folder in files:
                errors.append(f"{path!r}: its folder {folder!r} is also a file of the tree")
                break
        other = folded.setdefault(path.casefold(), path)
        if other != path:
            errors.append(f"{path!r}: differs from {other!r} only by case")
    return errors
