"""`make bench`'s helpers: the larger doc set it builds, one measured run, rows that never fail."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench


def _docset(root: Path) -> Path:
    for name in ("a.md", "b.md", "sub/c.md", "sub/d.md", "includes/fragment.md"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"# {name}\n", encoding="utf-8")
    return root


def test_scaled_docset_copies_pages_into_sibling_folders(tmp_path: Path) -> None:
    corpus = _docset(tmp_path / "pages")
    count = bench.scaled_docset(corpus, 2.5, tmp_path / "big")
    assert count == 10  # 4 pages x 2, then the first half (2 pages) once more; includes not counted
    pages = sorted(p.relative_to(tmp_path / "big").as_posix() for p in (tmp_path / "big").rglob("*.md"))
    assert [p for p in pages if p.startswith("copy-3/")] == ["copy-3/a.md", "copy-3/b.md"]
    assert "copy-2/sub/d.md" in pages and "copy-1/includes/fragment.md" in pages


def test_run_measures_its_own_child(tmp_path: Path) -> None:
    r = bench.run([sys.executable, "-c", "import sys; x = bytearray(64 << 20); print('ok'); sys.exit(3)"], cwd=tmp_path)
    assert (r.code, r.out.strip()) == (3, "ok")
    assert r.peak >= 64 and r.wall > 0 and r.cpu >= 0


def test_rows_print_missing_peers_instead_of_failing(capsys: pytest.CaptureFixture[str]) -> None:
    bench.row("datamodel-code-generator", None, goal="peer missing: not installed")
    bench.row("generate", bench.Run(2.0, 1.5, 100.0, 0, "", ""), None, "<= 1.00x peer")
    lines = capsys.readouterr().out.splitlines()
    assert "n/a" in lines[0] and "peer missing" in lines[0]
    assert lines[1].split()[1:4] == ["2.00", "1.50", "n/a"] and lines[1].rstrip().endswith("100")


def test_missing_docset_is_reported_not_raised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main([str(tmp_path / "absent")]) == 0
    assert "doc set not found" in capsys.readouterr().out


def test_met_column_reads_the_goal() -> None:
    assert bench.met("<= 1 s", 0.53, 0.53) == "yes"
    assert bench.met("<= 2 s", 2.82, 1.41) == "NO"
    assert bench.met("<= 1.00x datamodel-code-generator", 12.5, 0.91) == "yes"
    assert bench.met("<= 0.50x markdown-it full parse", 2.36, 0.67) == "NO"
    assert bench.met("<= 0.50x markdown-it full parse", 2.36, None) == ""
    assert bench.met("reference", 3.0, None) == ""


def test_seconds_goals_print_no_ratio(capsys: pytest.CaptureFixture[str]) -> None:
    bench.row("generate, no change", bench.Run(0.5, 0.5, 100, 0, "", ""), 0.5, "<= 1 s")
    line = capsys.readouterr().out
    assert "0.50x" not in line and " - " in line and "yes" in line
