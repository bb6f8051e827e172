"""write_tree: complete trees, manifest-only removal, kept mtimes, refusals, both swap methods."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from treeutil import siblings, snapshot

from generator.output import manifest, swap
from generator.output.paths import MANIFEST_NAME
from generator.output.write import write_tree

OLD = {"pkg/__init__.py": "", "pkg/models/user.py": "class User: ...\n", "openapi.json": "{}\n"}
NEW = {
    "pkg/__init__.py": "",
    "pkg/models/group.py": "class Group: ...\n",
    "openapi.json": '{"a": 1}\n',
}


def files_of(out: Path) -> dict[str, str]:
    return {p: b.decode() for p, b in snapshot(out).items() if p != MANIFEST_NAME}


@pytest.fixture(params=[True, False], ids=["exchange", "three-renames"])
def use_exchange(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    original = swap.install
    monkeypatch.setattr(
        "generator.output.write.install", lambda s, o: original(s, o, use_exchange=request.param)
    )
    return bool(request.param)


def test_writes_the_tree_and_a_deterministic_manifest(tmp_path: Path, use_exchange: bool) -> None:
    out = tmp_path / "gen"
    result = write_tree(out, OLD)
    assert result.ok and result.written == sorted(OLD) and result.removed == []
    assert files_of(out) == OLD
    text = (out / MANIFEST_NAME).read_text()
    assert text.splitlines()[0] == manifest.HEADER
    assert [line.split(" ", 1)[1] for line in text.splitlines()[1:]] == sorted(OLD)
    assert manifest.read(out)["openapi.json"].sha256 == manifest.digest(b"{}\n")
    other = tmp_path / "again"
    write_tree(other, dict(reversed(list(OLD.items()))))
    assert (other / MANIFEST_NAME).read_bytes() == (out / MANIFEST_NAME).read_bytes()
    assert siblings(out) == []


def test_replaces_only_what_it_wrote(tmp_path: Path, use_exchange: bool) -> None:
    out = tmp_path / "gen"
    write_tree(out, OLD)
    (out / "NOTES.md").write_text("mine\n")
    (out / "pkg" / "models" / "local.py").write_text("mine = 1\n")
    (out / "pkg" / "__pycache__").mkdir()
    (out / "pkg" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    (out / "keep-empty").mkdir()
    os.symlink("NOTES.md", out / "notes-link")
    result = write_tree(out, NEW)
    assert result.ok
    assert result.written == ["openapi.json", "pkg/models/group.py"]
    assert result.removed == ["pkg/models/user.py"]
    assert result.unchanged == ["pkg/__init__.py"]
    on_disk = files_of(out)
    assert on_disk == {
        **NEW,
        "NOTES.md": "mine\n",
        "pkg/models/local.py": "mine = 1\n",
        "pkg/__pycache__/x.pyc": "\0",
    }
    assert (out / "keep-empty").is_dir()
    assert os.readlink(out / "notes-link") == "NOTES.md"
    assert sorted(manifest.read(out)) == sorted(NEW)
    assert siblings(out) == []


def test_unchanged_files_keep_mtime_and_a_no_change_run_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree(out, OLD)
    past = 1_000_000_000
    for path in [*OLD, MANIFEST_NAME]:
        os.utime(out / path, (past, past))
    inode = out.stat().st_ino
    result = write_tree(out, OLD)
    assert result.ok and not result.changed and result.unchanged == sorted(OLD)
    assert out.stat().st_ino == inode  # not even swapped
    assert all((out / p).stat().st_mtime == past for p in [*OLD, MANIFEST_NAME])
    changed = {**OLD, "openapi.json": "[]\n"}
    assert write_tree(out, changed).written == ["openapi.json"]
    assert (out / "pkg/models/user.py").stat().st_mtime == past
    assert (out / "openapi.json").stat().st_mtime != past


def test_removed_pages_take_their_empty_folders_along(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree(out, {"a.py": "", "sub/deep/b.py": ""})
    assert write_tree(out, {"a.py": ""}).removed == ["sub/deep/b.py"]
    assert not (out / "sub").exists()


@pytest.mark.parametrize("bad", ["../escape.py", "/tmp/abs.py", "a\\b.py", "x/\x00.py", "a/./b.py"])
def test_bad_paths_write_nothing(tmp_path: Path, bad: str) -> None:
    out = tmp_path / "gen"
    write_tree(out, OLD)
    before = snapshot(tmp_path)
    result = write_tree(out, {**NEW, bad: "pwned\n"})
    assert not result.ok and repr(bad) in result.errors[0]
    assert result.written == []
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "escape.py").exists()


def test_files_at_generated_paths_are_repaired_whatever_the_manifest_says(tmp_path: Path) -> None:
    """The manifest is data a pull request can edit: a file at a path doc2code generates is
    rewritten even when its row was removed, so `generate` repairs what `check` reports."""
    out = tmp_path / "gen"
    write_tree(out, OLD)
    (out / "pkg" / "models" / "group.py").write_text("# planted\n")
    (out / MANIFEST_NAME).write_text("")  # every row removed
    result = write_tree(out, NEW)
    assert result.ok, result.errors
    assert files_of(out)["pkg/models/group.py"] == NEW["pkg/models/group.py"]
    assert "pkg/models/group.py" in manifest.read(out)


def test_a_folder_in_the_way_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree(out, OLD)
    (out / "pkg" / "models" / "group.py").mkdir(parents=True)
    (out / "pkg" / "models" / "group.py" / "mine.txt").write_text("keep\n")
    result = write_tree(out, NEW)
    assert not result.ok
    assert "'pkg/models/group.py'" in result.errors[0] and "did not write" in result.errors[0]
    assert (out / "pkg" / "models" / "group.py" / "mine.txt").read_text() == "keep\n"
    assert files_of(out)["pkg/models/user.py"] == OLD["pkg/models/user.py"]  # nothing written


def test_identical_unlisted_files_are_adopted(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    out.mkdir()
    (out / "openapi.json").write_text("{}\n")  # e.g. a tree generated before manifests existed
    result = write_tree(out, OLD)
    assert result.ok and "openapi.json" in result.unchanged
    assert "openapi.json" in manifest.read(out)


def test_never_writes_through_a_symlink(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "gen"
    write_tree(out, OLD)
    os.symlink(outside, out / "models")
    result = write_tree(out, {**OLD, "models/x.py": "pwned\n"})
    assert not result.ok and "symlink" in result.errors[0]
    assert list(outside.iterdir()) == []
    os.symlink(outside / "target.py", out / "link.py")
    result = write_tree(out, {**OLD, "link.py": "pwned\n"})
    assert not result.ok and not (outside / "target.py").exists()


def test_output_folder_given_as_a_symlink_is_written_in_place(tmp_path: Path) -> None:
    real = tmp_path / "real"
    link = tmp_path / "gen"
    write_tree(real, OLD)
    os.symlink(real, link)
    assert write_tree(link, NEW).ok
    assert link.is_symlink() and files_of(real) == NEW


def test_manifest_with_merge_conflict_still_owns_both_sides(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree(out, {"a.py": "1\n", "b.py": "2\n"})
    lines = (out / MANIFEST_NAME).read_text().splitlines()
    conflicted = [
        lines[0],
        "<<<<<<< HEAD",
        lines[1],
        "=======",
        lines[2],
        ">>>>>>> branch",
        lines[1],
    ]
    (out / MANIFEST_NAME).write_text("\n".join(conflicted) + "\n")
    result = write_tree(out, {"c.py": "3\n"})
    assert result.ok and result.removed == ["a.py", "b.py"]
    assert files_of(out) == {"c.py": "3\n"}


@pytest.mark.parametrize("killed_after", ["ready", "old"])
def test_recover_finishes_a_three_rename_swap_killed_midway(
    tmp_path: Path, killed_after: str
) -> None:
    out = tmp_path / "gen"
    write_tree(out, OLD)
    staged = tmp_path / "staged"
    write_tree(staged, NEW)
    os.rename(staged, swap.sibling(out, "ready"))  # killed right after staging was complete
    if killed_after == "old":
        os.rename(out, swap.sibling(out, "old"))  # ... or after the old tree was moved aside
    expected = OLD if killed_after == "ready" else NEW
    swap.recover(out)
    assert files_of(out) == expected and siblings(out) == []


def test_refuses_a_file_as_output_folder(tmp_path: Path) -> None:
    (tmp_path / "gen").write_text("x")
    result = write_tree(tmp_path / "gen", OLD)
    assert not result.ok and "not a folder" in result.errors[0]


def test_manifest_is_one_hash_per_file_and_version_1_is_still_read(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree(out, {"a.py": "", "b.py": "x\n"})
    lines = (out / MANIFEST_NAME).read_text().splitlines()
    empty, x = manifest.digest(b""), manifest.digest(b"x\n")
    assert lines == [manifest.HEADER, f"{empty} a.py", f"{x} b.py"]
    old = f"{manifest.HEADER_V1}\n{'ab' * 32} - a.py\n{'cd' * 32} {'ef' * 32} sub/b.py\n"
    assert manifest.loads(old.encode()) == {
        "a.py": manifest.Entry("ab" * 32),
        "sub/b.py": manifest.Entry("cd" * 32),
    }

