"""Format generated Python with black (in-process, pinned mode) or ruff's formatter.

`format_tree` formats every `.py` file and leaves the others as they are. A file the formatter
rejects is returned unformatted and reported in `FormatResult.problems`, so one bad file never
stops a run; `format_files` returns just the texts. Many files are formatted in parallel worker processes (black runs at roughly
70 KB/s per core); ruff formats a whole folder in one call of its binary.

`FormatStream` takes the files one by one while they are being rendered: with black and more
than one job, each goes at once to an idle worker process (started early, importing black while
the pages are still read), so formatting runs on the other cores while the rest is rendered.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
from collections import deque
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from generator.render.layout import LINE_LENGTH  # one line length for layout and formatter

_SCRATCH_NAME = re.compile(r"\bf(\d+)\.py\b")
# Below this much Python, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 400_000
_RUFF_OPTIONS = [
    "--isolated",
    "--line-length",
    str(LINE_LENGTH),
    "--target-version",
    "py311",
    "--config",
    "format.quote-style='double'",
    "--config",
    "format.skip-magic-trailing-comma=false",
]


@dataclass
class FormatResult:
    files: dict[str, str] = field(default_factory=dict)  # every input path, formatted or not
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, error), sorted


def _black_mode() -> object:
    import black

    return black.Mode(
        target_versions={black.TargetVersion.PY311},
        line_length=LINE_LENGTH,
        string_normalization=True,
        magic_trailing_comma=True,
        preview=False,
    )


def _format_black_batch(batch: list[tuple[str, str]]) -> list[tuple[str, str, str | None]]:
    import black

    mode = _black_mode()
    out: list[tuple[str, str, str | None]] = []
    for path, text in batch:
        try:
            out.append((path, black.format_str(text, mode=mode), None))  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 (black raises many kinds; one file must not stop the run)
            out.append(
                (
                    path,
                    text,
                    f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                )
            )
    return out


def _batches(items: list[tuple[str, str]], count: int) -> list[list[tuple[str, str]]]:
    """Split into `count` batches of similar size (largest first, each to the lightest batch)."""
    batches: list[list[tuple[str, str]]] = [[] for _ in range(count)]
    sizes = [0] * count
    for path, text in sorted(items, key=lambda item: (-len(item[1]), item[0])):
        i = sizes.index(min(sizes))
        batches[i].append((path, text))
        sizes[i] += len(text)
    return [b for b in batches if b]


def _with_black(items: list[tuple[str, str]], jobs: int) -> list[tuple[str, str, str | None]]:
    total = sum(len(text) for _, text in items)
    if jobs <= 1 or total < _PARALLEL_THRESHOLD or len(items) < 2:
        return _format_black_batch(items)
    _black_mode()  # import black before forking, so workers start warm
    batches = _batches(items, jobs * 4)
    results: list[tuple[str, str, str | None]] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for chunk in pool.map(_format_black_batch, batches):
            results.extend(chunk)
    return results


def _ruff_binary() -> str:
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

    return str(find_ruff_bin())


def _with_ruff(items: list[tuple[str, str]]) -> list[tuple[str, str, str | None]]:
    """One `ruff format` call over a scratch copy of the files (ruff parallelises itself)."""
    with tempfile.TemporaryDirectory(prefix="doc2code-format-") as scratch:
        root = Path(scratch)
        for index, (_, text) in enumerate(items):
            (root / f"f{index}.py").write_text(text, encoding="utf-8")
        proc = subprocess.run(
            [_ruff_binary(), "format", *_RUFF_OPTIONS, "."],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        errors: dict[int, str] = {}
        for line in proc.stderr.splitlines():
            named = _SCRATCH_NAME.search(line)
            if named and int(named.group(1)) < len(items):
                errors.setdefault(int(named.group(1)), line.strip())
        out: list[tuple[str, str, str | None]] = []
        for index, (path, text) in enumerate(items):
            if index in errors:
                out.append((path, text, errors[index]))
            else:
                out.append((path, (root / f"f{index}.py").read_text(encoding="utf-8"), None))
        if proc.returncode not in (0, 2) or (proc.returncode == 2 and not errors):
            message = (proc.stderr.strip().splitlines() or ["ruff format failed"])[-1]
            return [(path, text, message) for path, text in items]
        return out


def format_files(files: dict[str, str], formatter: str = "black", jobs: int = 0) -> dict[str, str]:
    """Format the `.py` files of `files` (path -> text); see `format_tree` for the problems."""
    return format_tree(files, formatter, jobs).files


def format_tree(files: dict[str, str], formatter: str = "black", jobs: int = 0) -> FormatResult:
    """Format the `.py` files of `files` (path -> text); other files pass through unchanged."""
    jobs = jobs or os.cpu_count() or 1
    python = [(path, text) for path, text in sorted(files.items()) if path.endswith(".py")]
    if formatter == "black":
        formatted = _with_black(python, jobs)
    elif formatter == "ruff":
        formatted = _with_ruff(python) if python else []
    else:
        raise ValueError(f"unknown formatter {formatter!r}: use black or ruff")
    result = FormatResult(files=dict(files))
    for path, text, problem in formatted:
        result.files[path] = text
        if problem is not None:
            result.problems.append((path, problem))
    result.problems.sort()
    return result


def _black_worker(conn: Connection) -> None:
    """A worker process: formats each `(path, text)` received until it gets None."""
    gc.freeze()  # objects inherited from the parent stay untouched by the collector (not copied)
    _black_mode()  # import black before the first file
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        conn.send(_format_black_batch([item])[0])


class _Worker:
    def __init__(self, context: Any) -> None:
        self.conn, child = context.Pipe(duplex=True)
        self.process = context.Process(target=_black_worker, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self.busy: tuple[str, str] | None = None  # the file it is formatting


class FormatStream:
    """`format_tree` for files handed over one at a time (`add`), collected by `finish`.

    With black and `jobs` > 1, `jobs` worker processes are started at once (`start`, before
    the caller renders anything: they import black meanwhile) and each file goes to an idle
    worker as soon as it is added, so files are formatted while the caller goes on rendering.
    The pool has no threads (files are handed out whenever `add` or `finish` runs), so the
    caller may still fork. Otherwise (ruff, or one job) the files are formatted together in
    `finish`. The result is the same either way; a worker that dies is replaced by formatting
    its file in the caller.
    """

    def __init__(self, formatter: str = "black", jobs: int = 0) -> None:
        if formatter not in ("black", "ruff"):
            raise ValueError(f"unknown formatter {formatter!r}: use black or ruff")
        self.formatter = formatter
        self.jobs = jobs or os.cpu_count() or 1
        self.files: dict[str, str] = {}
        self._queue: deque[tuple[str, str]] = deque()
        self._done: list[tuple[str, str, str | None]] = []
        self._workers: list[_Worker] = []
        self._advance: Callable[[int], None] = lambda n: None

    @property
    def streaming(self) -> bool:
        return self.formatter == "black" and self.jobs > 1

    def start(self) -> FormatStream:
        """Start the workers now (else on the first file); nothing to do without streaming."""
        if self.streaming and not self._workers:
            methods = multiprocessing.get_all_start_methods()
            method = "fork" if sys.platform.startswith("linux") and "fork" in methods else "spawn"
            context = multiprocessing.get_context(method)
            self._workers = [_Worker(context) for _ in range(self.jobs)]
        return self

    def add(self, path: str, text: str) -> None:
        self.files[path] = text
        if self.streaming and path.endswith(".py"):
            self.start()
            self._queue.append((path, text))
            self._pump(block=False)

    def _pump(self, block: bool) -> None:
        """Collect finished files and hand queued ones to idle workers (waiting for one to
        finish when `block`)."""
        busy = [w for w in self._workers if w.busy is not None]
        if busy:
            ready = wait([w.conn for w in busy], timeout=None if block else 0)
            for worker in busy:
                if worker.conn in ready:
                    self._collect(worker)
        for worker in self._workers:
            if worker.busy is None and self._queue:
                item = self._queue.popleft()
                try:
                    worker.conn.send(item)
                except OSError:  # the worker is gone: format it here
                    self._done.extend(_format_black_batch([item]))
                    continue
                worker.busy = item

    def _collect(self, worker: _Worker) -> None:
        assert worker.busy is not None
        try:
            self._done.append(worker.conn.recv())
        except (EOFError, OSError):  # the worker died: format its file here, stop using it
            self._done.extend(_format_black_batch([worker.busy]))
            self._workers.remove(worker)
        worker.busy = None
        self._advance(1)

    def finish(self, advance: Callable[[int], None] | None = None) -> FormatResult:
        """Every added file, formatted; `advance(n)` is called as n more files are done."""
        if not self.streaming:
            return format_tree(self.files, self.formatter, self.jobs)
        result = FormatResult(files=dict(self.files))
        if advance is not None:
            advance(len(self._done))
            self._advance = advance
        try:
            while self._queue or any(w.busy is not None for w in self._workers):
                if not self._workers:  # every worker died: the rest here
                    self._done.extend(_format_black_batch(list(self._queue)))
                    self._queue.clear()
                    break
                self._pump(block=True)
        finally:
            self.close()
        for path, text, problem in self._done:
            result.files[path] = text
            if problem is not None:
                result.problems.append((path, problem))
        result.problems.sort()
        return result

    def close(self) -> None:
        """Stop the workers (files not yet formatted are dropped); `finish` does this."""
        workers, self._workers = self._workers, []
        for worker in workers:
            try:
                if worker.busy is None:
                    worker.conn.send(None)
                else:
                    worker.process.terminate()
            except OSError:
                pass
        for worker in workers:
            worker.process.join()
            worker.conn.close()
