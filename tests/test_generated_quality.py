"""The generated package passes `ruff check` and `mypy --strict`, like hand-written code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "generated" / "graph_client"


def test_ruff_check_passes() -> None:
    from ruff.__main__ import find_ruff_bin

    out = subprocess.run(
        [
            str(find_ruff_bin()),
            "check",
            "--isolated",
            "--line-length",
            "100",
            "--target-version",
            "py311",
            str(PACKAGE),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy_strict_passes(tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path),
            "graph_client",
        ],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Success" in out.stdout
