from __future__ import annotations

import os
from pathlib import Path


def snapshot(root: Path) -> dict[str, bytes]:
    """Every regular file under `root` (relative POSIX path -> bytes), symlinks not followed."""
    found: dict[str, bytes] = {}
    for folder, dirs, files in os.walk(root):
        for name in files:
            path = Path(folder, name)
            if not path.is_symlink():
                found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def siblings(out: Path) -> list[str]:
    """Staging leftovers next to `out`."""
    return sorted(
        p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.doc2code-")
    )
