"""The checks the security tests rely on can fail: a module that does something on import is
caught by the audit hook, and one that sets the canary is caught by the canary check."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.security.harness import CANARY_ENV, import_all, write_pages


@pytest.mark.parametrize(
    "body",
    [
        "open('written.txt', 'w').close()",
        f"import os\nos.environ['{CANARY_ENV}'] = '1'",
        "import subprocess\nsubprocess.run(['true'])",
        "import os\nos.system('true')",
    ],
)
def test_side_effects_on_import_are_caught(tmp_path: Path, body: str) -> None:
    write_pages(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/models/__init__.py": "", "pkg/models/m.py": body + "\n"},
    )
    with pytest.raises(AssertionError):
        import_all(tmp_path)


def test_a_package_of_definitions_passes(tmp_path: Path) -> None:
    write_pages(tmp_path, {"pkg/__init__.py": "import json\n", "pkg/m.py": "class A:\n    x = 1\n"})
    assert import_all(tmp_path)["modules"] == ["pkg", "pkg.m"]
