"""Diagnostics: findings about the input, returned as values (never raised).

Every stage appends `Diagnostic`s instead of raising, so one bad page never stops a run.
Codes are stable: tools and users grep for them. `CODES` is the single registry; the README
table is generated from it by `doc2code lint --list-codes`.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

# Doc text quoted in a message must not start a new line or drive the terminal: one finding is
# one line, whatever the page holds (else a page could forge a "0 errors" line or hide one).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class Severity(enum.IntEnum):
    """Ordered so that `severity >= threshold` works for `--fail-on`."""

    INFO = 10
    WARNING = 20
    ERROR = 30

    def __str__(self) -> str:
        return self.name.lower()


# code -> (default severity, one-line explanation). Grouped by hundreds: 1xx page structure,
# 2xx tables and types, 3xx annotations and HTTP blocks, 4xx cross-page resolution,
# 5xx examples versus declarations, 6xx generation, 9xx internal.
CODES: dict[str, tuple[Severity, str]] = {
    "D101": (Severity.WARNING, "front matter is missing"),
    "D102": (Severity.ERROR, "front matter is not terminated by a `---` line"),
    "D103": (Severity.ERROR, "front matter is not valid (safe) YAML or not a mapping"),
    "D104": (Severity.WARNING, "front matter key has an unexpected type or value"),
    "D105": (Severity.WARNING, "page has no H1 title"),
    "D106": (Severity.INFO, "page holds TODO placeholder text"),
    "D107": (Severity.WARNING, "included file does not exist"),
    "D108": (Severity.ERROR, "page could not be decoded as UTF-8 text"),
    "D109": (Severity.INFO, "doc_type is not a known page kind (page read by its content)"),
    "D110": (Severity.WARNING, "code fence is never closed"),
    "D111": (Severity.WARNING, "page or included file leaves the specs folder (not read)"),
    "D201": (Severity.WARNING, "table row has more or fewer cells than its header"),
    "D202": (Severity.WARNING, "type cell could not be read"),
    "D203": (Severity.WARNING, "property is listed twice in one type"),
    "D204": (Severity.INFO, "table header not recognised; table ignored"),
    "D205": (Severity.WARNING, "property name or enum value is empty or prose, not a name"),
    "D301": (Severity.WARNING, "annotation is not strict JSON (read leniently)"),
    "D302": (Severity.ERROR, "annotation could not be read at all"),
    "D303": (Severity.WARNING, "annotation has an unknown blockType"),
    "D304": (Severity.WARNING, "annotation is not followed by a code block"),
    "D305": (Severity.ERROR, "request line is not `METHOD URL`"),
    "D306": (Severity.ERROR, "request URL is not a URL or path"),
    "D307": (Severity.WARNING, "example body is not strict JSON (kept raw, read best-effort)"),
    "D308": (Severity.WARNING, "response status line is missing or malformed"),
    "D309": (Severity.WARNING, "page documents no HTTP request"),
    "D310": (Severity.INFO, "example request has no matching response"),
    "D401": (Severity.WARNING, "type reference does not resolve to any page (placeholder made)"),
    "D402": (Severity.ERROR, "inheritance cycle"),
    "D403": (Severity.WARNING, "type is defined on more than one page (merged)"),
    "D404": (Severity.INFO, "two page operations share one id (renamed; public names come from routes)"),
    "D405": (Severity.WARNING, "base type does not resolve"),
    "D406": (Severity.INFO, "JSON representation lists a property missing from the table"),
    "D407": (Severity.INFO, "several pages document one method and path (merged into one route)"),
    "D408": (Severity.INFO, "type has no page of its own; read from a request body table"),
    "D409": (Severity.INFO, "enum member listed in a `Possible values` text but not in the enum's table"),
    "D501": (Severity.WARNING, "example property is not declared by its type"),
    "D502": (Severity.WARNING, "example value has the wrong JSON type for its property"),
    "D503": (Severity.WARNING, "example value is not a valid value of its format"),
    "D504": (Severity.WARNING, "example value is not a documented enum member"),
    "D505": (Severity.WARNING, "status in the text differs from the example's status line"),
    "D506": (Severity.WARNING, "example @odata.type differs from the documented type"),
    "D507": (Severity.WARNING, "example request path matches none of the operation's paths"),
    "D508": (Severity.INFO, "example request goes to another host than the API's (not replayed)"),
    "D509": (Severity.INFO, "example request uses an alias of a documented path (path added)"),
    "D510": (Severity.WARNING, "example calls another operation's method and path (moved to it)"),
    "D601": (Severity.WARNING, "generated name collides after sanitising (renamed)"),
    "D602": (Severity.INFO, "operation has no usable path and is not generated"),
    "D603": (Severity.WARNING, "example cannot be replayed as documented (expected failure generated)"),
    "D604": (Severity.INFO, "example has no request (its bodies are checked, nothing is replayed)"),
    "D901": (Severity.ERROR, "internal error while reading this page (reported, run goes on)"),
    "D902": (Severity.ERROR, "generated file could not be formatted (written unformatted)"),
}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding, pointing at `path:line:col` (1-based; 0 when unknown)."""

    path: str
    line: int
    col: int
    code: str
    message: str
    severity: Severity = Severity.WARNING

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.code} {self.severity} {self.message}"
        return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
        }


def make(path: str, line: int, code: str, message: str, col: int = 1) -> Diagnostic:
    """Build a diagnostic with the code's registered severity."""
    severity = CODES[code][0]
    return Diagnostic(path, line, col, code, message, severity)


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.path, d.line, d.col, d.code, d.message)
