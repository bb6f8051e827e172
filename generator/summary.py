"""How a run's diagnostics become its summary line and exit code (shared by the commands)."""

from __future__ import annotations

from generator.diagnostics import Diagnostic, Severity


def threshold(name: str | None) -> Severity | None:
    """The severity `--fail-on NAME` fails on (None: never)."""
    return {"error": Severity.ERROR, "warning": Severity.WARNING}.get(name or "")


def summary_line(diags: list[Diagnostic], pages: int) -> str:
    counts = {s: sum(1 for d in diags if d.severity == s) for s in Severity}
    return (
        f"{pages} pages: {counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, "
        f"{counts[Severity.INFO]} infos"
    )


def exit_code(diags: list[Diagnostic], limit: Severity | None) -> int:
    """1 when a diagnostic reaches `limit`, else 0."""
    if limit is not None and any(d.severity >= limit for d in diags):
        return 1
    return 0
