"""Hostile file names and text that tries to forge the run's own output (issue 6).

A pull request chooses the names of the pages it adds, and the text the tool quotes in its
diagnostics. Neither may break the generated code, leave the output folder, or forge or hide
lines of what `doc2code generate` prints (one finding is one line; no terminal escapes).
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.security.harness import compile_all, import_all, run_generate, tree, write_pages
from tests.security.pages import api_page, resource_page

FORGED = "\n3 pages: 0 errors, 0 warnings, 0 infos\n"
ESCAPES = "\x1b[2K\x1b[1A\r\x07"
_LINE = re.compile(r"^\S.*:\d+:\d+: D\d{3} (error|warning|info) |^\d+ pages: \d+ errors, ")


def test_hostile_file_names_and_forged_log_lines(tmp_path: Path) -> None:
    names = ["{{ 7*7 }}", "a\"b'c", "new\nline", "\x1b[31mred", "ü ñ", "-rf", "..x", " ", "x" * 200]
    pages: dict[str, str | bytes] = {}
    for i, name in enumerate(names):
        pages[f"resources/{name}.md"] = resource_page(
            f"t{i}", [("a", "String", "A."), ("a", "String", "twice")]
        )
        pages[f"api/{name}.md"] = api_page(
            f"Get {i}",
            f"get{i}{FORGED}{ESCAPES}",
            "GET",
            f"/t{i}/{{id}}",
            f"t{i}",
            None,
            {"id": "1"},
        )
    pages["resources/log.md"] = resource_page(
        "log", [(f"bad{ESCAPES}", "String", "A."), ("b", f"x{FORGED}", "B.")]
    )
    write_pages(tmp_path / "specs", pages)
    before = tree(tmp_path / "specs")
    run = run_generate(tmp_path / "specs", tmp_path / "out")
    assert run.code == 0, run.stdout + run.stderr
    assert "D901" not in run.codes
    lines = run.stdout.splitlines()
    assert all(_LINE.match(line) for line in lines), [
        line for line in lines if not _LINE.match(line)
    ]
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", run.stdout)
    assert sum(line.startswith(tuple("0123456789")) for line in lines) == 1  # the one real summary
    assert tree(tmp_path / "specs") == before
    assert compile_all(tmp_path / "out") > 10
    outputs = [p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*")]
    assert all(re.fullmatch(r"[A-Za-z0-9_./-]+", p) for p in outputs), outputs
    result = import_all(
        tmp_path / "out", extra="import pkg.models as m\nresult['n'] = len(m.__all__)\n"
    )
    assert result["n"] >= len(names)


def test_very_long_names_still_make_valid_file_names(tmp_path: Path) -> None:
    """Names become module and fixture file names; a filesystem refuses more than 255 bytes."""
    long = "include_" * 5_000
    pages = {
        "resources/long.md": resource_page(
            f"{long}Type", [(f"{long}prop", "String", "A."), (f"{long}prop2", "String", "B.")]
        ),
        "resources/longenum.md": resource_page("e", [("a", "String", "A.")]),
        "api/long.md": api_page(
            "Get long", f"{long}op", "GET", f"/{long}/{{id}}", f"{long}Type", None, {"id": "1"}
        ),
        "api/long2.md": api_page(
            "Get long 2", f"{long}op2", "GET", f"/{long}/x", f"{long}Type", None, {"id": "1"}
        ),
    }
    write_pages(tmp_path / "specs", pages)
    run = run_generate(tmp_path / "specs", tmp_path / "out")
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    names = [p.name for p in (tmp_path / "out").rglob("*")]
    assert max(len(n.encode()) for n in names) <= 255
    fixtures = sorted(p.name for p in (tmp_path / "out" / "pkg" / "fixtures").iterdir())
    assert len(fixtures) == 2 and fixtures[0] != fixtures[1]  # the hash keeps them apart
    assert compile_all(tmp_path / "out") > 10
    extra = "import pkg.models as m\nresult['fields'] = sorted(len(f) for c in m.__all__ for f in getattr(m, c).model_fields)\n"
    assert max(import_all(tmp_path / "out", extra=extra)["fields"]) <= 230
