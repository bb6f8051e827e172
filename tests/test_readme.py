"""The README documents what the tool does: every diagnostic code, the set-up commands."""

from __future__ import annotations

from generator.diagnostics import CODES
from tests.conftest import ROOT


def test_every_code_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code, (severity, text) in CODES.items():
        assert f"| `{code}` | {severity} | {text} |" in readme, code


def test_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "    make generate" in readme and "    make test" in readme
