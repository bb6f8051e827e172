"""compare_tree: missing, extra and changed files, what is ignored, bounded diffs, no writes."""

from __future__ import annotations

import os
from pathlib import Path

from treeutil import snapshot

from generator.output import swap
from generator.output.drift import compare_tree
from generator.output.paths import MANIFEST_NAME
from generator.output.write import write_tree

TREE = {"pkg/__init__.py": "", "pkg/user.py": "a = 1\nb = 2\n", "openapi.json": "{}\n"}


def mtimes(root: Path) -> dict[str, int]:
    return {str(p): p.lstat().st_mtime_ns for p in root.rglob("*")}


def test_a_fresh_tree_is_clean(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree(out, TREE)
    assert compare_tree(out, TREE).clean


def test_reports_missing_extra_and_changed(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree(out, TREE)
    (out / "pkg/user.py").write_text("a = 1\nb = 3\n")  # hand-edited
    (out / "openapi.json").unlink()  # deleted by hand
    (out / "stray.py").write_text("")  # added by hand
    os.symlink("stray.py", out / "link.py")
    report = compare_tree(out, {**TREE, "pkg/new.py": "x\n"})  # + a new page's output
    assert report.missing == ["openapi.json", "pkg/new.py"]
    assert report.changed == ["pkg/user.py"]
    assert report.extra == ["link.py", "stray.py"]
    assert report.diff("gen") == [
        "--- gen/pkg/user.py (on disk)",
        "+++ gen/pkg/user.py (expected)",
        "@@ -1,2 +1,2 @@",
        " a = 1",
        "-b = 3",
        "+b = 2",
    ]
    assert report.listing("gen") == [
        "missing: gen/openapi.json",
        "missing: gen/pkg/new.py",
        "changed: gen/pkg/user.py",
        "extra: gen/link.py",
        "extra: gen/stray.py",
    ]


def test_outputs_of_a_deleted_page_are_extra(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree(out, TREE)
    report = compare_tree(out, {k: v for k, v in TREE.items() if k != "pkg/user.py"})
    assert report.extra == ["pkg/user.py"] and not report.clean


def test_caches_manifest_and_staging_leftovers_are_not_drift(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree(out, TREE)
    for cache in [
        "pkg/__pycache__/user.cpython-311.pyc",
        ".pytest_cache/v/x",
        ".mypy_cache/x.json",
    ]:
        (out / cache).parent.mkdir(parents=True, exist_ok=True)
        (out / cache).write_text("cache")
    swap.sibling(out, "tmp").mkdir()  # a killed run's debris next to the folder
    (swap.sibling(out, "tmp") / "half.py").write_text("")
    assert compare_tree(out, TREE).clean
    (out / "pkg/cache_notes.py").write_text("")  # a look-alike is still reported
    assert compare_tree(out, TREE).extra == ["pkg/cache_notes.py"]


def _pyc(flags: int) -> bytes:
    """A .pyc header (magic, PEP 552 flags, 8 more bytes) and a body."""
    import importlib.util

    return importlib.util.MAGIC_NUMBER + flags.to_bytes(4, "little") + bytes(8) + b"body"


def test_bytecode_that_python_could_run_in_place_of_the_source_is_extra(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree(out, TREE)
    (out / "pkg/__pycache__").mkdir()
    (out / "pkg/__pycache__/user.cpython-311.pyc").write_bytes(_pyc(0))  # checked by mtime
    (out / "pkg/__pycache__/user.cpython-312.pyc").write_bytes(_pyc(0b11))  # checked by hash
    assert compare_tree(out, TREE).clean
    (out / "pkg/__pycache__/user.cpython-313.pyc").write_bytes(_pyc(0b01))  # never checked
    (out / "pkg/evil.pyc").write_bytes(_pyc(0))  # sourceless: importable as pkg.evil
    (out / "pkg/__pycache__/notes.txt").write_text("")
    assert compare_tree(out, TREE).extra == [
        "pkg/__pycache__/notes.txt",
        "pkg/__pycache__/user.cpython-313.pyc",
        "pkg/evil.pyc",
    ]


def test_the_manifest_is_compared_too(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree(out, TREE)
    text = (out / MANIFEST_NAME).read_text()
    (out / MANIFEST_NAME).write_text(text + f"{'ab' * 32} pkg/other.py\n")
    assert compare_tree(out, TREE).changed == [MANIFEST_NAME]
    (out / MANIFEST_NAME).unlink()
    assert compare_tree(out, TREE).missing == [MANIFEST_NAME]


def test_a_folder_or_symlink_where_a_file_belongs_is_changed(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree(out, TREE)
    (out / "openapi.json").unlink()
    (out / "openapi.json").mkdir()
    (out / "pkg/user.py").unlink()
    os.symlink("__init__.py", out / "pkg/user.py")
    report = compare_tree(out, TREE)
    assert report.changed == ["openapi.json", "pkg/user.py"] and report.missing == []
    assert "not a regular file" in report.diff("gen")[0]


def test_diff_is_capped_with_a_note(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    big = {f"m{i}.py": "".join(f"v{j} = {i}\n" for j in range(100)) for i in range(5)}
    write_tree(out, big)
    edited = {path: text.replace(" = ", " == ") for path, text in big.items()}
    report = compare_tree(out, edited)
    full = report.diff("gen", max_lines=10_000)
    assert len(full) == 5 * (3 + 200)
    capped = report.diff("gen", max_lines=50)
    assert capped[:50] == full[:50]
    assert capped[50:] == ["... 153 more lines and 4 more changed files (diff capped at 50 lines)"]
    assert len(report.diff("gen")) == 401


def test_non_text_on_disk_is_reported_without_decoding(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree(out, TREE)
    (out / "openapi.json").write_bytes(b"\xff\xfe\x00")
    report = compare_tree(out, TREE)
    assert report.changed == ["openapi.json"]
    assert report.diff("gen") == [
        "Binary file gen/openapi.json differs (on disk is not UTF-8 text)"
    ]


def test_missing_output_folder_is_all_missing_and_comparing_writes_nothing(tmp_path: Path) -> None:
    assert compare_tree(tmp_path / "gen", TREE).missing == sorted(TREE)
    assert not (tmp_path / "gen").exists()
    out = tmp_path / "gen"
    write_tree(out, TREE)
    (out / "pkg/user.py").write_text("edited\n")
    before, times = snapshot(tmp_path), mtimes(tmp_path)
    compare_tree(out, {"other.py": ""})
    assert snapshot(tmp_path) == before and mtimes(tmp_path) == times


def test_invalid_expected_paths_are_errors(tmp_path: Path) -> None:
    (tmp_path / "x.py").write_text("")
    report = compare_tree(tmp_path / "gen", {"../x.py": "", "ok.py": ""})
    assert not report.clean and "'../x.py'" in report.errors[0]
    assert report.missing == ["ok.py"] and report.changed == []  # never looked outside
