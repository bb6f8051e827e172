"""One writer at a time per output folder: an advisory `flock` on the folder's parent.

The parent is locked (not a lock file) because the output folder itself is swapped for a new
one on every write, and a lock file would be debris in the user's repository. Writers take the
lock exclusively, the drift check takes it shared so it never reads half of a swap. A waiter
gives up after `timeout` seconds with `OutputBusy`.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEFAULT_TIMEOUT = float(os.environ.get("DOC2CODE_LOCK_TIMEOUT", "120"))


class OutputBusy(Exception):
    """Another doc2code run held the output folder's lock for longer than the timeout."""


@contextmanager
def output_lock(out: Path, exclusive: bool = True, timeout: float | None = None) -> Iterator[None]:
    parent = out.absolute().parent
    wait = DEFAULT_TIMEOUT if timeout is None else timeout
    fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputBusy(
                        f"{out}: another doc2code run is writing this folder "
                        f"(waited {wait:g} s; set DOC2CODE_LOCK_TIMEOUT to wait longer)"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
