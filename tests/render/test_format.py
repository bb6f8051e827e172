"""format_files / format_tree: black in-process (parallel for many files) or ruff's formatter;
a file that cannot be formatted is returned as it was and reported."""

from __future__ import annotations

import pytest

from generator.output import format as fmt

UGLY = "x = {  'a':1 }\ndef f( a ):\n  return a\n"
PRETTY = 'x = {"a": 1}\n\n\ndef f(a):\n    return a\n'


@pytest.mark.parametrize("formatter", ["black", "ruff"])
def test_formats_python_and_leaves_other_files(formatter: str) -> None:
    result = fmt.format_tree(
        {"p/a.py": UGLY, "p/b.json": "{ }\n", "p/bad.py": "def (:\n"}, formatter
    )
    assert result.files["p/a.py"] == PRETTY
    assert result.files["p/b.json"] == "{ }\n"
    assert result.files["p/bad.py"] == "def (:\n"  # unformatted, not lost
    assert [path for path, _ in result.problems] == ["p/bad.py"]
    assert fmt.format_files({"p/a.py": UGLY}, formatter) == {"p/a.py": PRETTY}


def test_parallel_black_gives_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"m{i}.py": UGLY.replace("f(", f"f{i}(") for i in range(12)}
    serial = fmt.format_tree(files, "black", jobs=1).files
    monkeypatch.setattr(fmt, "_PARALLEL_THRESHOLD", 0)
    assert fmt.format_tree(files, "black", jobs=2).files == serial


def test_unknown_formatter_is_refused() -> None:
    with pytest.raises(ValueError):
        fmt.format_files({"a.py": "x=1\n"}, "yapf")
