"""Print the fuzzer's counts at the end of the session (pytest captures fixture output)."""

from __future__ import annotations

import sys

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    # the module's name depends on how pytest imported it (rootdir-relative or package-relative)
    fuzz = sys.modules.get("tests.security.test_fuzz") or sys.modules.get("security.test_fuzz")
    if fuzz is not None and fuzz.STATS["examples"]:
        terminalreporter.section("doc2code fuzz")
        for line in fuzz.summary():
            terminalreporter.write_line(line)
