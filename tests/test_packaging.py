"""The wheel `pip install` and pre-commit make holds the whole tool: every module and template."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_the_wheel_ships_every_module_and_builtin_template(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
         str(tmp_path), str(ROOT)],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = tmp_path.glob("doc2code-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "generator").rglob("*.py")}
    templates = {f"generator/_templates/{p.name}" for p in (ROOT / "templates").glob("*.jinja")}
    assert templates and not (templates - names), sorted(templates - names)
    assert not (modules - names), f"add the package to [tool.setuptools] packages: {sorted(modules - names)}"
