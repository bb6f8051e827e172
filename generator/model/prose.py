"""Facts stated in prose: description flags, possible values, statuses, inheritance."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.parse.inline import code_spans, links, plain

_READ_ONLY = re.compile(r"\bread[- ]?only\b", re.IGNORECASE)
_NOT_NULLABLE = re.compile(r"\bnot\s+nullable\b|\bnon-?nullable\b|\bcannot be null\b", re.IGNORECASE)
_NULLABLE = re.compile(r"\bnullable\b", re.IGNORECASE)
_REQUIRED = re.compile(r"\brequired\b", re.IGNORECASE)
_OPTIONAL = re.compile(r"\boptional\b", re.IGNORECASE)
_FILTER = re.compile(r"supports\s+(?:the\s+)?`?\$filter", re.IGNORECASE)
_VALUES = re.compile(
    r"(?:possible|allowed|supported|valid|accepted)\s+values?\s*(?:are|is|include|for\s+this\s+property\s+are)?\s*:?\s*",
    re.IGNORECASE,
)
_LINE_BREAK_END = re.compile(r"<\s*br\s*/?\s*>\s*$", re.IGNORECASE)
_PLAIN_VALUE = re.compile(r"^[A-Za-z_][\w.-]*$")
_STATUS = re.compile(r"\b([1-5]\d\d)(?:\s+[A-Z][A-Za-z-]*(?:\s+[A-Z][A-Za-z-]*)*)?")
_INHERITS = re.compile(r"\b(?:inherits|derived|derives)\s+from\b", re.IGNORECASE)
_OPEN_TYPE = re.compile(r"\bis an open type\b|\bopen type\b.*\bresource\b", re.IGNORECASE)
TODO = re.compile(r"\bTODO\b")


@dataclass
class Flags:
    read_only: bool = False
    nullable: bool | None = None
    required: bool = False
    filterable: bool = False
    possible_values: list[str] = field(default_factory=list)


def description_flags(markdown: str) -> Flags:
    text = plain(markdown)
    low = text.lower()
    flags = Flags(
        read_only="read" in low and bool(_READ_ONLY.search(text)),
        required="required" in low and not ("optional" in low and _OPTIONAL.search(text)) and bool(_REQUIRED.search(text)),
        filterable="$filter" in markdown and bool(_FILTER.search(markdown)),
        possible_values=possible_values(markdown) if "value" in markdown.lower() else [],
    )
    if "null" in low:
        if _NOT_NULLABLE.search(text):
            flags.nullable = False
        elif _NULLABLE.search(text):
            flags.nullable = True
    return flags


def possible_values(markdown: str) -> list[str]:
    """Values after `Possible values are:` (backticked, or plain words up to the sentence end).

    Backticked values are kept verbatim, spaces included (`north east 2`): a documented value is
    part of the API whatever its spelling."""
    match = _VALUES.search(markdown)
    if not match:
        return []
    rest = markdown[match.end() :]
    spans = code_spans(rest)
    if spans:
        # Take the run of code spans joined only by commas, `and`, `or`, spaces and <br>.
        values: list[str] = []
        pos = 0
        for m in re.finditer(r"(`+)(.+?)\1", rest):
            raw_gap = rest[pos : m.start()]
            gap = plain(raw_gap).strip(" ,;").lower()
            # one value per line: "`a` - what a means.<br/>`b` - what b means."
            listed = bool(values) and bool(_LINE_BREAK_END.search(raw_gap)) and (not gap or gap.startswith(("-", ":", "–")))
            if values and not listed and gap not in ("", "and", "or", ", and", ", or", "and,", "or,"):
                break
            if not values and len(gap) > 40:
                break
            values.append(m.group(2).strip())
            pos = m.end()
        return [v for v in values if v]
    sentence = re.split(r"(?<![.\w])\.(?:\s|$)|\.\s|<br\s*/?>|\n", plain(rest), maxsplit=1)[0]
    words = [w.strip(" .'\"*") for w in re.split(r",|\bor\b|\band\b", sentence)]
    result = [w for w in words if w and _PLAIN_VALUE.match(w)]
    return result if len(result) >= 2 else []


def status_codes(markdown: str) -> list[int]:
    """HTTP statuses named in prose, backticked ones first (`201 Created`)."""
    spans = [int(m.group(1)) for s in code_spans(markdown) for m in [_STATUS.search(s)] if m]
    lowered = markdown.lower()  # once, not once per match: quadratic on a line of statuses
    named = "response code" in lowered or "status" in lowered
    bare = [int(m.group(1)) for m in _STATUS.finditer(plain(markdown))] if named else []
    return spans + [c for c in bare if c not in spans]


def inherits_from(markdown: str) -> str | None:
    """`Inherits from [entity](entity.md)` / `Derived from [x](x.md)`: the link label."""
    match = _INHERITS.search(markdown)
    if not match:
        return None
    found = links(markdown[match.end() :])
    if found:
        return found[0][0].strip().strip("*`") or None
    word = re.match(r"\s*\**`?([A-Za-z_][\w.]*)", plain(markdown[match.end() :]))
    return word.group(1) if word else None


def says_open_type(markdown: str) -> bool:
    return bool(_OPEN_TYPE.search(plain(markdown)))
