"""The manifest inside the output folder: which files doc2code wrote.

Only files listed here are ever overwritten or removed by a later run. It is a record of
ownership, never a proof of freshness: `check` compares every file with what the inputs produce
now, the manifest included (it is a function of the tree), and never skips work because of what
the manifest says. The format is one line per file, sorted, no timestamps, so it is
byte-identical for the same tree and merges like any text file:

    # doc2code manifest 2
    <sha256 of the file> <path>

Version 1 lines (`<sha256> <formatted-from hash> <path>`) are still read, for ownership only.
Reading is lenient on purpose: a merge conflict in the manifest (marker lines, an entry on both
sides) must not make doc2code forget which files it owns, so unreadable lines are skipped and
an entry listed twice with different hashes is kept, with its hash marked unknown.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from generator.output.paths import MANIFEST_NAME, path_error

HEADER = "# doc2code manifest 2"
HEADER_V1 = "# doc2code manifest 1"
UNKNOWN = "-"
_LINE = re.compile(r"^([0-9a-f]{64}|-) (.+)$")
_LINE_V1 = re.compile(r"^([0-9a-f]{64}|-) (?:[0-9a-f]{64}|-) (.+)$")


@dataclass(frozen=True)
class Entry:
    sha256: str  # of the bytes on disk when doc2code wrote them


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entry(data: bytes) -> Entry:
    return Entry(digest(data))


def dumps(entries: dict[str, Entry]) -> bytes:
    lines = [HEADER]
    lines += [f"{e.sha256} {p}" for p, e in sorted(entries.items())]
    return ("\n".join(lines) + "\n").encode("utf-8")


def for_files(files: dict[str, str]) -> bytes:
    """The manifest doc2code writes beside the tree `files` (path -> text)."""
    return dumps({path: entry(text.encode("utf-8")) for path, text in files.items()})


def loads(data: bytes) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    lines = data.decode("utf-8", errors="replace").splitlines()
    pattern = _LINE_V1 if lines and lines[0] == HEADER_V1 else _LINE
    for line in lines:
        match = pattern.match(line)
        if not match or path_error(match[2]):
            continue
        entry = Entry(match[1])
        path = match[2]
        if path in entries and entries[path] != entry:
            entry = Entry(UNKNOWN)  # both sides of a merge: owned, content unknown
        entries[path] = entry
    return entries


def read(folder: Path) -> dict[str, Entry]:
    """The manifest in `folder` ({} when there is none or it cannot be read)."""
    try:
        return loads((folder / MANIFEST_NAME).read_bytes())
    except OSError:
        return {}
