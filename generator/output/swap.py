"""Move a fully staged folder into place so that a kill at any moment leaves old or new, never a mix.

The new tree is staged in a sibling folder (same parent, so the same filesystem) and then:
- on Linux, swapped with the output folder in one `renameat2(RENAME_EXCHANGE)` call: `out` is the
  old tree up to that instant and the complete new one after it; the old tree, now in the
  staging folder, is deleted afterwards;
- elsewhere (or if the filesystem refuses the exchange), renamed in three steps
  `staging -> ready`, `out -> old`, `ready -> out`. A kill between the last two leaves no `out`
  but a complete `ready` folder: `recover` (under the lock, at the start of every write) moves it
  into place. Until then the read-only drift check sees no output folder and fails: it never
  reads a sibling, since a sibling folder can be committed by a pull request.
Every leftover sibling is deleted by `recover`.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def sibling(out: Path, role: str) -> Path:
    """The staging sibling of `out` for `role` ("tmp", "ready" or "old")."""
    return out.parent / f".{out.name}.doc2code-{role}"


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders; False when the platform or filesystem cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def real_folder(out: Path) -> Path:
    """`out` with a symlink to a folder resolved (the swap must replace the folder, not the link)."""
    if out.is_symlink():
        out = out.resolve()
    if out.exists() and not out.is_dir():
        raise ValueError("exists and is not a folder")
    if out.absolute().parent == out.absolute():
        raise ValueError("the output folder cannot be a filesystem root")
    return out


def remove(path: Path) -> None:
    """Delete a leftover sibling: a symlink is unlinked, never followed."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def recover(out: Path) -> None:
    """Finish or undo a killed write, then delete every leftover sibling. Call under the lock."""
    ready, old = sibling(out, "ready"), sibling(out, "old")
    if not out.exists() and not out.is_symlink():
        if ready.is_dir():
            os.rename(ready, out)  # killed between `out -> old` and `ready -> out`: roll forward
        elif old.is_dir():
            os.rename(old, out)
    for role in ("tmp", "ready", "old"):
        remove(sibling(out, role))


def install(staged: Path, out: Path, use_exchange: bool = True) -> None:
    """Put the complete tree in `staged` at `out`, atomically as seen by a later run."""
    if not out.exists():
        os.rename(staged, out)
        return
    if use_exchange and _exchange(staged, out):
        remove(staged)  # now holds the previous tree
        return
    ready, old = sibling(out, "ready"), sibling(out, "old")
    os.rename(staged, ready)
    os.rename(out, old)
    os.rename(ready, out)
    remove(old)
