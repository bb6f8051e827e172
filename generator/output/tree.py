"""What is on disk under an output folder, read without following symlinks."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Listing:
    """Output-relative POSIX paths found under a folder, by kind."""

    files: set[str] = field(default_factory=set)  # regular files
    links: set[str] = field(default_factory=set)  # symlinks (never followed)
    others: set[str] = field(default_factory=set)  # fifos, sockets, devices
    folders: set[str] = field(default_factory=set)
    empty_folders: set[str] = field(default_factory=set)

    def kind(self, path: str) -> str | None:
        for name, group in (
            ("file", self.files),
            ("symlink", self.links),
            ("folder", self.folders),
        ):
            if path in group:
                return name
        return "special file" if path in self.others else None


def scan(root: Path) -> Listing:
    listing = Listing()
    if not root.is_dir() or root.is_symlink():
        return listing
    stack = [""]
    while stack:
        prefix = stack.pop()
        folder = root / prefix if prefix else root
        empty = True
        with os.scandir(folder) as entries:
            for entry in entries:
                empty = False
                rel = f"{prefix}/{entry.name}" if prefix else entry.name
                if entry.is_symlink():
                    listing.links.add(rel)
                elif entry.is_dir(follow_symlinks=False):
                    listing.folders.add(rel)
                    stack.append(rel)
                elif entry.is_file(follow_symlinks=False):
                    listing.files.add(rel)
                else:
                    listing.others.add(rel)
        if empty and prefix:
            listing.empty_folders.add(prefix)
    return listing


def read_bytes(root: Path, path: str) -> bytes | None:
    """The bytes of a regular file under `root`, or None when unreadable."""
    try:
        return (root / path).read_bytes()
    except OSError:
        return None
