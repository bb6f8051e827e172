"""`openapi.json` assembled from remembered pieces: one per path item and per component schema.

`json.dumps(doc, indent=2, sort_keys=True)` writes a nested value exactly as it writes that value
alone, with every line after the first indented by its depth. So the document is dumped with
each piece replaced by a placeholder string, and the placeholders are replaced by the pieces'
text, each reused from the last run (generator.render.memo) when the piece did not change.
If a placeholder's text is found anywhere else (doc text that looks like one), the whole
document is dumped at once instead: the result is always `dump_document(doc, "json")`.
"""

from __future__ import annotations

import json
import re
from functools import partial
from typing import Any

from generator.render.memo import RenderMemo
from generator.render.openapi import dump_document

_PLACEHOLDER = re.compile(r'"\\u0000piece (\d+)\\u0000"')


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


def _piece(value: Any, depth: int) -> str:
    return _dumps(value).replace("\n", "\n" + "  " * depth)


def dump_openapi(doc: dict[str, Any], memo: RenderMemo, path: str = "openapi.json") -> str:
    """`dump_document(doc, "json")`, rendering again only the pieces that changed."""
    pieces: list[tuple[str, Any, int]] = []  # (memo path, value, depth)
    skeleton = dict(doc)

    def cut(section: dict[str, Any], label: str, depth: int) -> dict[str, Any]:
        cut_section = {}
        for key, value in section.items():
            cut_section[key] = f"\0piece {len(pieces)}\0"
            pieces.append((f"{path}#{label}/{key}", value, depth))
        return cut_section

    if isinstance(doc.get("paths"), dict):
        skeleton["paths"] = cut(doc["paths"], "paths", 2)
    if isinstance(doc.get("components"), dict) and isinstance(
        doc["components"].get("schemas"), dict
    ):
        skeleton["components"] = {**doc["components"]}
        skeleton["components"]["schemas"] = cut(doc["components"]["schemas"], "schemas", 3)
    text = _dumps(skeleton)
    if len(_PLACEHOLDER.findall(text)) != len(pieces):
        return memo.text(path, doc, partial(dump_document, doc, "json"), whole=True)
    reused = memo.reused
    texts = [memo.text(name, v, partial(_piece, v, depth), whole=True) for name, v, depth in pieces]
    memo.reused = reused + (memo.reused - reused == len(pieces))  # counted as one file
    return _PLACEHOLDER.sub(lambda m: texts[int(m.group(1))], text) + "\n"
