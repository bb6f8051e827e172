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


FILES = {
    **{f"p/m{i}.py": UGLY.replace("f(", f"f{i}(") for i in range(6)},
    "p/bad.py": "def (:\n",
    "p/data.json": "{ }\n",
}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_stream_formats_as_format_tree_does(jobs: int) -> None:
    """Files handed over one by one (to worker processes with 2 jobs) come out as `format_tree`
    makes them, the rejected one reported and left as it was."""
    stream = fmt.FormatStream("black", jobs).start()
    assert stream.streaming == (jobs > 1)
    for path, text in FILES.items():
        stream.add(path, text)
    done: list[int] = []
    result = stream.finish(done.append)
    expected = fmt.format_tree(FILES, "black", jobs=1)
    assert result.files == expected.files and result.problems == expected.problems
    assert result.files["p/m3.py"] == PRETTY.replace("f(", "f3(")
    if jobs > 1:
        assert sum(done) == 7  # every Python file counted once


def test_a_stream_survives_its_workers_dying() -> None:
    import os
    import signal

    stream = fmt.FormatStream("black", 2).start()
    for worker in stream._workers:
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join()
    for path, text in FILES.items():
        stream.add(path, text)
    result = stream.finish()
    assert result.files == fmt.format_tree(FILES, "black", jobs=1).files


def test_ruff_streams_into_one_call() -> None:
    stream = fmt.FormatStream("ruff", 2)
    assert not stream.streaming
    for path, text in FILES.items():
        stream.add(path, text)
    assert stream.finish().files["p/m0.py"] == PRETTY.replace("f(", "f0(")
