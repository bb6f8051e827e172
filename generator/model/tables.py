"""Where a table header is recognised: header signature -> table kind and column positions.

Real pages spell headers many ways (`Property`, `Property name`, `Name`; `Return type`,
`Return Type`; `Member`, `Value`, `#`; permissions "least to most privileged" or split into
"Least privileged" / "Higher privileged" columns), so a header is matched by the words in its
cells, and the section it stands in decides between look-alikes (a `Name|Type|Description`
table is request headers under "Request headers", query parameters under "Query parameters").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from generator.parse.inline import plain

PROPERTIES = "properties"
RELATIONSHIPS = "relationships"
METHODS = "methods"
MEMBERS = "members"
PERMISSIONS = "permissions"
HEADERS = "headers"
PARAMETERS = "parameters"

_WORD = re.compile(r"[a-z#]+")


@dataclass(frozen=True)
class Columns:
    kind: str
    name: int
    type: int | None = None
    value: int | None = None
    description: int | None = None
    extra: tuple[int, ...] = ()  # further permission columns


def _find(cells: list[str], *words: str, skip: tuple[int, ...] = ()) -> int | None:
    for i, cell in enumerate(cells):
        if i not in skip and any(w in cell for w in words):
            return i
    return None


def classify(header: list[str], section: str, subsection: str) -> Columns | None:
    """The kind of a table from its header cells and the (lower-cased) headings above it."""
    return _classify(tuple(header), section, subsection)


@functools.lru_cache(maxsize=4096)  # a page's tables are classified several times; headers repeat
def _classify(header: tuple[str, ...], section: str, subsection: str) -> Columns | None:
    cells = [" ".join(_WORD.findall(plain(c).lower())) for c in header]
    if not cells or not cells[0]:
        return None
    first = cells[0]
    context = f"{section} {subsection}"
    description = _find(cells, "description", "notes", "comment")
    if "permission" in first or (first == "type" and "permission" in context):
        return Columns(PERMISSIONS, 0, extra=tuple(range(1, len(cells))))
    if first.startswith("method"):
        return Columns(METHODS, 0, type=_find(cells, "return", "type", skip=(0,)), description=description)
    if first.startswith("relationship"):
        return Columns(RELATIONSHIPS, 0, type=_find(cells, "type", skip=(0,)), description=description)
    if first in ("member", "members", "enum member", "enum value", "member name") or (
        first in ("value", "name", "values") and ("value" in context or "member" in context or "enum" in context)
        and _find(cells, "type", skip=(0,)) is None
    ):
        value = _find(cells, "value", "#", skip=(0,))
        return Columns(MEMBERS, 0, value=value, description=description)
    type_col = _find(cells, "type", skip=(0,))
    if type_col is None and first.startswith("property") and ("propert" in context or "resource" in context):
        type_col = _find(cells, "value", skip=(0,))  # `Property name | Value | Description`: older dialect
    if "header" in first or ("header" in context and first in ("name", "request header")):
        return Columns(HEADERS, 0, type=type_col, value=_find(cells, "value", skip=(0,)), description=description)
    if first.startswith(("property", "name", "parameter", "field", "argument", "key")) and type_col is not None:
        if "relationship" in context:
            return Columns(RELATIONSHIPS, 0, type=type_col, description=description)
        if "propert" in context or "resource" in context:
            return Columns(PROPERTIES, 0, type=type_col, description=description)
        return Columns(PARAMETERS, 0, type=type_col, description=description)
    if first.startswith(("name", "parameter", "query")) and ("parameter" in context or "option" in context):
        return Columns(PARAMETERS, 0, type=type_col, value=_find(cells, "value", skip=(0,)), description=description)
    return None


def cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def is_group_label(cells: list[str]) -> bool:
    """Bold rows like `| **Calendar** |||` group other rows; they are not entries."""
    first = cells[0].strip() if cells else ""
    return first.startswith("**") and all(not c.strip() for c in cells[1:])
