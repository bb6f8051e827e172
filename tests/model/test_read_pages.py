"""`read_pages` over worker processes: the same pages, in the order given, as in one process,
whichever side (a worker or the calling process) reads a batch."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.model import build
from generator.model.build import read_pages
from generator.parse.discover import PageFile, discover

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


def test_links_out_of_the_specs_folder_are_not_read(tmp_path: Path) -> None:
    """A page, or a folder of pages, linked from outside the specs folder is reported (D111),
    never opened; links that stay inside are read; one folder's verdict covers its pages."""
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    page = (SPECS / "api" / "educationsynchronizationprofile-post.md").read_text(encoding="utf-8")
    (outside / "secret.md").write_text(page, encoding="utf-8")
    (outside / "folder" / "secret.md").write_text(page, encoding="utf-8")
    specs = tmp_path / "specs"
    (specs / "api").mkdir(parents=True)
    (specs / "api" / "a.md").write_text(page, encoding="utf-8")
    (specs / "api" / "b.md").write_text(page, encoding="utf-8")
    (specs / "api" / "link-out.md").symlink_to(outside / "secret.md")
    (specs / "api" / "link-in.md").symlink_to(specs / "api" / "a.md")
    (specs / "linked-out").symlink_to(outside / "folder")
    (specs / "linked-in").symlink_to(specs / "api")
    files = discover([specs])  # folders behind links are not walked: such pages are named here
    files += [PageFile(f"{folder}/{name}", specs / folder / name, specs) for folder in ("linked-in", "linked-out") for name in os.listdir(specs / folder)]
    pages = {p.path: p for p in read_pages(files, jobs=1)}
    refused = {path for path, p in pages.items() if [d.code for d in p.diagnostics] == ["D111"]}
    assert refused == {"api/link-out.md", "linked-in/link-out.md", "linked-out/secret.md"}
    read = {path for path, p in pages.items() if p.operations}
    assert read == {"api/a.md", "api/b.md", "api/link-in.md", "linked-in/a.md", "linked-in/b.md", "linked-in/link-in.md"}
