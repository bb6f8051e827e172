"""Format generated Python with black (in-process, pinned mode) or ruff's formatter.

`format_tree` formats every `.py` file and leaves the others as they are. A file the formatter
rejects is returned unformatted and reported in `FormatResult.problems`, so one bad file never
stops a run; `format_files` returns just the texts. Many files are formatted in parallel worker processes (black runs at roughly
70 KB/s per core); ruff formats a whole folder in one call of its binary.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.render.jinja import LINE_LENGTH  # one line length for layout and formatter

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
