"""Path validation: anything that could leave the output folder is refused before writing."""

from __future__ import annotations

import pytest

from generator.output.paths import MANIFEST_NAME, path_error, tree_errors


@pytest.mark.parametrize(
    "path",
    [
        "",
        "/etc/passwd",
        "C:/x.py",
        "../x.py",
        "a/../../x.py",
        "a/..",
        "..",
        "a\\b.py",
        "a/\x00b.py",
        "a/b\n.py",
        "./a.py",
        "a//b.py",
        "a/",
        MANIFEST_NAME,
        f"{MANIFEST_NAME}/x",
    ],
)
def test_bad_paths_are_refused(path: str) -> None:
    assert path_error(path) is not None


@pytest.mark.parametrize(
    "path", ["a.py", "pkg/models/user.py", ".gitignore", "a b/c-d.json", "x..y.py"]
)
def test_good_paths_pass(path: str) -> None:
    assert path_error(path) is None


def test_tree_errors_name_each_bad_path_and_conflict() -> None:
    errors = tree_errors(["ok.py", "../up.py", "pkg", "pkg/x.py", "Readme.md", "README.md"])
    assert len(errors) == 3
    assert any("'../up.py'" in e and ".." in e for e in errors)
    assert any("'pkg/x.py'" in e and "'pkg' is also a file" in e for e in errors)
    assert any("only by case" in e for e in errors)
    assert tree_errors(["a.py", "pkg/b.py", "pkg/c/d.py"]) == []
