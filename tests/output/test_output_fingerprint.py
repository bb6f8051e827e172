"""Content hashes: the stat-skipping digest table, page keys, input keys, reuse of formatting."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from generator.config import Config
from generator.output import fingerprint
from generator.output.fingerprint import file_digests, format_key, input_key
from generator.output.pagecache import page_keys
from generator.output.reuse import format_reusing
from generator.output.write import write_tree
from generator.parse.discover import discover


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_stat_table_skips_reading_but_never_misses_an_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fingerprint, "_RACY_NS", 0)
    page = tmp_path / "a.md"
    page.write_text("one")
    known: dict[str, list[object]] = {}
    assert file_digests(tmp_path, known=known) == {"a.md": sha(b"one")}
    known["a.md"][4] = "f" * 64  # same stat: the table is trusted, the file not read
    assert file_digests(tmp_path, known=known)["a.md"] == "f" * 64
    time.sleep(0.05)
    before = page.stat()
    page.write_text("two")  # same size, and the mtime put back: only ctime tells
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert file_digests(tmp_path, known=known)["a.md"] == sha(b"two")
    page.unlink()
    assert file_digests(tmp_path, known=known) == {} and known == {}


def test_files_changed_just_now_are_not_remembered(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("x")
    known: dict[str, list[object]] = {}
    file_digests(tmp_path, known=known)
    assert known == {}  # younger than the ctime tick margin: read again next time


def test_input_key_follows_pages_templates_and_config(tmp_path: Path) -> None:
    specs, templates = tmp_path / "specs", tmp_path / "templates"
    specs.mkdir()
    templates.mkdir()
    (specs / "a.md").write_text("# a\n")
    (templates / "model.py.jinja").write_text("x")
    cfg = Config(specs=specs, templates=templates)
    key = input_key(cfg)
    assert input_key(cfg) == key
    (specs / "a.md").write_text("# b\n")
    assert input_key(cfg) != key
    key = input_key(cfg)
    (templates / "model.py.jinja").write_text("y")
    assert input_key(cfg) != key
    key = input_key(cfg)
    assert input_key(Config(specs=specs, templates=templates, package="other")) != key
    assert input_key(Config(specs=specs, templates=templates, formatter="ruff")) != key
    assert input_key(Config(specs=specs, templates=templates, jobs=3)) == key  # no output effect


def test_page_keys_change_with_the_page_its_fragments_or_included_pages(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    (specs / "api").mkdir(parents=True)
    (specs / "includes").mkdir()
    (specs / "api/a.md").write_text("# a\n")
    (specs / "api/b.md").write_text("# b\n[!INCLUDE [x](../api/c.md)]\n")  # includes a page
    (specs / "api/c.md").write_text("# c\n")
    (specs / "includes/frag.md").write_text("fragment\n")

    def keys() -> dict[str, str]:
        return page_keys(discover([specs]), specs, file_digests(specs))

    first = keys()
    (specs / "api/a.md").write_text("# a2\n")
    second = keys()
    assert second["api/a.md"] != first["api/a.md"]
    assert second["api/c.md"] == first["api/c.md"]
    assert second["api/b.md"] != first["api/b.md"]  # b may depend on any page
    (specs / "api/c.md").write_text("# c2\n")
    third = keys()
    assert third["api/b.md"] != second["api/b.md"] and third["api/a.md"] == second["api/a.md"]
    (specs / "includes/frag.md").write_text("changed\n")
    assert all(v != third[k] for k, v in keys().items())


def test_formatting_is_reused_only_from_the_cache_never_from_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    rendered = {"a.py": "x=1\n", "b.py": "y=2\n", "c.json": "{}\n"}
    formatted = {"a.py": "x = 1\n", "b.py": "y = 2\n", "c.json": "{}\n"}
    write_tree(out, formatted)  # what is on disk is never taken as formatted text
    asked: list[str] = []

    def run_format(todo: dict[str, str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
        asked.extend(todo)
        return {p: t.replace("=", " = ") for p, t in todo.items()}, []

    result = format_reusing(rendered, "black", run_format, {})
    assert sorted(asked) == ["a.py", "b.py"] and result.reused == 0  # no cache: all formatted
    assert result.files == formatted
    assert result.entries["a.py"] == (format_key("black", "x=1\n"), "x = 1\n")
    asked.clear()
    known = dict(result.entries)
    known["b.py"] = (format_key("black", "y=0\n"), "y = 0\n")  # made from other text
    result = format_reusing({**rendered, "d.py": "z=3\n"}, "black", run_format, known)
    assert sorted(asked) == ["b.py", "d.py"]  # a.py reused, c.json not Python
    assert result.files == {**formatted, "d.py": "z = 3\n"} and result.reused == 1
    asked.clear()
    format_reusing(rendered, "ruff", run_format, known)  # another formatter: nothing reusable
    assert sorted(asked) == ["a.py", "b.py"]


def test_rejected_files_are_formatted_again_next_time(tmp_path: Path) -> None:
    def failing(todo: dict[str, str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
        return dict(todo), [(p, "InvalidInput") for p in todo]

    result = format_reusing({"bad.py": "def (:\n"}, "black", failing, {})
    assert result.problems == [("bad.py", "InvalidInput")]
    assert "bad.py" not in result.entries  # not cached: tried (and reported) again next run
