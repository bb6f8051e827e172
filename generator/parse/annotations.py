"""Annotations: the `<!-- { "blockType": ..., ... } -->` JSON that precedes a code block.

Read strictly when possible, otherwise leniently (trailing commas, stray semicolons, raw
newlines in strings, unquoted keys, single quotes) with a D301 pointing at the offending line.
`//` and `/* */` comments are part of the dialect and reported nowhere. Values are normalised
so consumers see one spelling: `@odata.type` (also written `@type`), `@odata.type.aka` (also
`@type.aka`), booleans, `baseType` None.
"""

from __future__ import annotations

import re
from typing import Any

from generator.diagnostics import Diagnostic, make
from generator.parse.lenient_json import read_json

# Keys whose value is a boolean, though some pages write it as the string "true" / "false".
BOOLEAN_KEYS = ("truncated", "isCollection", "openType", "isEmpty", "expectError", "abstract")

# An annotation opens with `{` then a quoted key, a bare `key:`, `}` or nothing; plain comments
# that merely start with a placeholder (`{start}-{end} ...`) are not annotations.
_ANNOTATION_START = re.compile(r"\{\s*+(?:[\"'}]|[\w@$.-]++\s*+:|$)")


def parse_annotation(
    comment: str, path: str, line: int
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """The annotation object of an HTML comment whose first line is page line `line`.

    Returns (None, []) for comments that are not annotations; never raises.
    """
    opening = comment.find("<!--")
    start = opening + 4 if opening >= 0 else 0
    closing = comment.find("-->", start)
    inner = comment[start : closing if closing >= 0 else len(comment)]
    if not _ANNOTATION_START.match(inner.lstrip()):
        return None, []
    first_line = line + comment.count("\n", 0, start)
    reading = read_json(inner)
    problem_line = first_line + max(reading.line, 1) - 1
    if not isinstance(reading.value, dict) or not reading.value and reading.reason:
        reason = reading.reason or "not a JSON object"
        return None, [make(path, problem_line, "D302", f"annotation could not be read: {reason}")]
    diagnostics = []
    lenient = dialect_reason(reading.reason)
    # `#page.annotation` blocks are page metadata nothing here reads: their spelling is no defect.
    if lenient is not None and str(reading.value.get("type", "")) != "#page.annotation":
        message = f"annotation is not strict JSON: {lenient}"
        diagnostics.append(make(path, problem_line, "D301", message))
    return normalise_annotation(reading.value), diagnostics


def dialect_reason(reason: str | None) -> str | None:
    """A lenient reading's reason without what the dialect allows (`//` and `/* */` comments):
    None when nothing else was wrong."""
    if reason is None:
        return None
    rest = [r.strip() for r in reason.split(",") if r.strip() and r.strip() != "comment"]
    return ", ".join(rest) if rest else None


def normalise_annotation(data: dict[str, Any]) -> dict[str, Any]:
    """`@type` -> `@odata.type`, "true"/"false" -> bool, empty `baseType` -> None.

    Page annotations (`"type": "#page.annotation"`) carry page metadata and stay as written.
    """
    if data.get("type") == "#page.annotation":
        return data
    if "@type" in data:
        odata_type = data.pop("@type")
        data.setdefault("@odata.type", odata_type)
    if "@type.aka" in data:  # the older name of the type (`oneDrive.item`): an alias, kept
        data.setdefault("@odata.type.aka", data.pop("@type.aka"))
    for key in BOOLEAN_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            data[key] = value.strip().lower() == "true"
    base_type = data.get("baseType", 0)
    if base_type is None or isinstance(base_type, str) and not base_type.strip():
        data["baseType"] = None
    return data
