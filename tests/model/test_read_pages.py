"""`read_pages` over worker processes: the same pages, in the order given, as in one process,
whichever side (a worker or the calling process) reads a batch."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.model import build
from generator.model.build import read_pages
from generator.parse.discover import discover

SPECS = Path(__file__).resolve().parents[2] / "specs"


def _docset(tmp_path: Path, copies: int) -> Path:
    """`copies` copies of the seed pages, each in its own folder: enough pages to spread."""
    for i in range(copies):
        shutil.copytree(SPECS, tmp_path / f"copy-{i:02d}", ignore=shutil.ignore_patterns("includes"))
    return tmp_path


def test_parallel_read_equals_serial_read(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    files = discover([_docset(tmp_path, 14)])
    assert len(files) >= build._PARALLEL_FROM
    monkeypatch.setattr(build, "_BATCH", 5)  # many batches: both sides read some
    serial = read_pages(files, jobs=1)
    parallel = read_pages(files, jobs=2)
    assert [p.path for p in parallel] == [f.rel for f in files]
    assert parallel == serial
    assert any(p.operations for p in parallel) and any(p.types for p in parallel)


def test_batches_cover_every_page_once(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    files = discover([_docset(tmp_path, 14)])
    monkeypatch.setattr(build, "_BATCH", 8)  # the last batch shorter than the others
    assert len(files) % 8 != 0
    pages = read_pages(files, jobs=3)
    assert [p.path for p in pages] == [f.rel for f in files]
