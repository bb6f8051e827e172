"""The generator's own code type-checks (the generated package has its own test)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_mypy_on_the_generator(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "generator", "--cache-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
