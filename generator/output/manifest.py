"""The manifest inside the output folder: which files doc2code wrote, and from what.

Only files listed here are ever overwritten or removed by a later run. The format is one line
per file, sorted, no timestamps, so it is byte-identical for the same tree and merges like any
text file:

    # doc2code manifest 1
    <sha256 of the file> <sha256 it was formatted from, or -> <path>

Reading is lenient on purpose: a merge conflict in the manifest (marker lines, an entry on both
sides) must not make doc2code forget which files it owns, so unreadable lines are skipped and
an entry listed twice with different hashes is kept, with its hashes marked unknown.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from generator.output.paths import MANIFEST_NAME, path_error

HEADER = "# doc2code manifest 1"
UNKNOWN = "-"
_HASH = re.compile(r"^[0-9a-f]{64}$")
_LINE = re.compile(r"^([0-9a-f]{64}|-) ([0-9a-f]{64}|-) (.+)$")


@dataclass(frozen=True)
class Entry:
    sha256: str  # of the bytes on disk
    formatted_from: str = UNKNOWN  # hash of the unformatted text + formatter (see format cache)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entry(data: bytes, formatted_from: str | None) -> Entry:
    """The entry of a file with bytes `data`; `formatted_from` is kept only if it is a hash."""
    if formatted_from is None or not _HASH.match(formatted_from):
        formatted_from = UNKNOWN
    return Entry(digest(data), formatted_from)


def dumps(entries: dict[str, Entry]) -> bytes:
    lines = [HEADER]
    lines += [f"{e.sha256} {e.formatted_from} {p}" for p, e in sorted(entries.items())]
    return ("\n".join(lines) + "\n").encode("utf-8")


def loads(data: bytes) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for line in data.decode("utf-8", errors="replace").splitlines():
        match = _LINE.match(line)
        if not match or path_error(match[3]):
            continue
        entry = Entry(match[1], match[2])
        path = match[3]
        if path in entries and entries[path] != entry:
            entry = Entry(UNKNOWN, UNKNOWN)  # both sides of a merge: owned, content unknown
        entries[path] = entry
    return entries


def read(folder: Path) -> dict[str, Entry]:
    """The manifest in `folder` ({} when there is none or it cannot be read)."""
    try:
        return loads((folder / MANIFEST_NAME).read_bytes())
    except OSError:
        return {}
