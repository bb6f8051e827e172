"""A progress bar on standard error when it is a terminal; nothing at all otherwise.

Work is split into a few batches only when the bar is shown (each batch may start its own
worker pool, so splitting costs a little); without a terminal it runs in one call.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO, TypeVar

T = TypeVar("T")
R = TypeVar("R")
BATCHES = 10
MIN_ITEMS = 100  # below this, a bar would only flicker
WIDTH = 30


class Progress:
    def __init__(self, enabled: bool, stream: TextIO | None = None) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr

    @classmethod
    def for_terminal(cls, quiet: bool) -> Progress:
        return cls(enabled=not quiet and sys.stderr.isatty())

    def map(self, label: str, items: Sequence[T], work: Callable[[list[T]], list[R]]) -> list[R]:
        """`work(items)`, in batches with a bar when enabled; results in the order of `items`."""
        if not self.enabled or len(items) < MIN_ITEMS:
            return work(list(items))
        size = -(-len(items) // BATCHES)
        results: list[R] = []
        for start in range(0, len(items), size):
            self._draw(label, start, len(items))
            results.extend(work(list(items[start : start + size])))
        self._draw(label, len(items), len(items))
        self.stream.write("\r\x1b[K")  # clear the line: the bar leaves nothing behind
        self.stream.flush()
        return results

    @contextmanager
    def counter(self, label: str, total: int) -> Iterator[Callable[[int], None]]:
        """A bar for `total` items, moved on by calling the function given with a count."""
        if not self.enabled or total < MIN_ITEMS:
            yield lambda n: None
            return
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            if done == total or done % max(total // 100, 1) == 0:
                self._draw(label, done, total)

        self._draw(label, 0, total)
        try:
            yield advance
        finally:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

    def _draw(self, label: str, done: int, total: int) -> None:
        filled = WIDTH * done // total
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r{label} [{bar}] {done}/{total}")
        self.stream.flush()
