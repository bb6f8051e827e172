"""Run one function in a forked child process while the caller goes on; collect its answer later.

`Background(fn).result()` is `fn()`. Where `fork` is available (Linux), the child starts at once
from a copy of the caller's memory (nothing is pickled to start it) and sends its answer back
through a pipe in memory, pickled; so `fn` must not depend on anything the caller changes after
the start, and its answer must pickle. Anywhere else, or when the child fails in any way
(an exception, a crash, an answer that does not pickle), `result()` simply calls `fn()` in the
caller, so errors surface exactly as they would without a child.

Used to build and dump `openapi.json` on a second core while the package is rendered.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """Whether `fork` is there and safe to use (macOS system libraries are not fork-safe)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _child(fn: Callable[[], Any], conn: Connection) -> None:
    gc.freeze()  # the inherited objects stay untouched (not copied); the child is short-lived
    gc.disable()
    try:
        answer = ("ok", fn())
    except BaseException:  # noqa: BLE001 - the caller computes it again and sees the error
        answer = ("failed", None)
    try:
        conn.send(answer)
    except BaseException:  # noqa: BLE001 - e.g. does not pickle: the caller computes it again
        conn.send(("failed", None))
    finally:
        conn.close()


class Background(Generic[T]):
    """`fn()` computed in a forked child (when `enabled` and possible), in the caller otherwise."""

    def __init__(self, fn: Callable[[], T], enabled: bool = True) -> None:
        self.fn = fn
        self._conn: Connection | None = None
        self._process: Any = None
        if not (enabled and can_fork()):
            return
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        try:
            process = context.Process(target=_child, args=(fn, sender), daemon=True)
            process.start()
        except OSError:
            receiver.close()
            return
        finally:
            sender.close()
        self._conn, self._process = receiver, process

    @property
    def forked(self) -> bool:
        return self._process is not None

    def result(self) -> T:
        if self._conn is None:
            return self.fn()
        try:
            status, value = self._conn.recv()
        except (EOFError, OSError):  # the child died without answering
            status, value = "failed", None
        finally:
            self._conn.close()
            self._conn = None
            self._process.join()
        return value if status == "ok" else self.fn()  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop the child if its answer is no longer wanted (`result` was not called)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            self._process.terminate()
            self._process.join()
