"""`discover` finds what `rglob("*.md")` with the original filters found: the definition is
kept here and compared on a tree holding every case the walk must decide."""

from __future__ import annotations

import os
from pathlib import Path

from generator.parse.discover import SKIPPED_DIRS, PageFile, discover


def _by_rglob(given: Path) -> list[tuple[str, Path]]:
    """The definition: every `*.md` under `given`, outside SKIPPED_DIRS, that is a file."""
    out = []
    for file in sorted(given.rglob("*.md")):
        rel = file.relative_to(given)
        if any(part in SKIPPED_DIRS for part in rel.parts[:-1]) or not file.is_file():
            continue
        out.append((rel.as_posix(), file))
    return out


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "specs"
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "o.md").write_text("# o\n")
    (outside / "file.md").write_text("# f\n")
    for rel in ("a.md", "B.MD", "notes.txt", ".hidden.md", "api/x.md", "api/y.markdown", "api/sub/z.md",
                ".git/h.md", "includes/i.md", "api/includes/j.md", "node_modules/n.md", "x/__pycache__/p.md",
                "dir.md/inner.md", "Includes/k.md", ".md", "deep/er/still/q.md"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("# page\n")
    (root / "linked-folder").symlink_to(outside / "deep")  # not walked into
    (root / "linked-folder.md").symlink_to(outside / "deep")  # a link to a folder: not a page
    (root / "linked-file.md").symlink_to(outside / "file.md")  # a page (`inside` decides later)
    (root / "broken.md").symlink_to(tmp_path / "nowhere.md")  # not a file
    (root / "api" / "loop.md").symlink_to(root / "api" / "loop.md")  # a link loop
    return root


def test_walk_finds_what_rglob_finds(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    found = discover([root])
    assert [(f.rel, f.file) for f in found] == _by_rglob(root)
    assert [f.rel for f in found] == [
        ".hidden.md", ".md", "Includes/k.md", "a.md", "api/sub/z.md", "api/x.md",
        "deep/er/still/q.md", "dir.md/inner.md", "linked-file.md",
    ]
    assert all(isinstance(f, PageFile) and f.root == root for f in found)


def test_relative_folder_and_several_paths(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        found = discover([Path("specs"), Path("specs/api")])
        # the first path that names a relative path wins; files keep the spelling they were found by
        assert [(f.rel, str(f.file)) for f in found][:3] == [(".hidden.md", "specs/.hidden.md"), (".md", "specs/.md"), ("Includes/k.md", "specs/Includes/k.md")]
        assert ("sub/z.md", Path("specs/api/sub/z.md")) in [(f.rel, f.file) for f in found]
        assert [(f.rel, f.file) for f in discover([Path("specs")])] == _by_rglob(Path("specs"))
    finally:
        os.chdir(here)
    assert [f.rel for f in discover([root / "a.md"])] == ["a.md"]  # a file named by the user
