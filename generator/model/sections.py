"""Blocks placed in their sections, and annotations attached to the code blocks they describe."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostic, make
from generator.parse.annotations import parse_annotation
from generator.parse.blocks import Block
from generator.parse.inline import plain

KNOWN_BLOCK_TYPES = frozenset(
    {"resource", "request", "response", "example", "ignored", "simulatedresponse", "permissions", "enum", "property"}
)


@dataclass
class Placed:
    block: Block
    section: str  # lower-cased plain text of the H2 above ("" before the first H2)
    subsection: str  # lower-cased H3+ heading text under that H2 ("" when none)
    heading: str = ""  # the nearest heading above, as written (plain text)
    annotation: dict[str, Any] | None = None  # for code blocks: the annotation that precedes them
    section_title: str = ""  # the H2 above, as written (plain text)
    section_line: int = 0  # page line of that H2 (0 before the first H2)


@dataclass
class PageLayout:
    title: str = ""
    title_line: int = 0
    intro: list[Block] = field(default_factory=list)  # paragraphs between H1 and the first H2
    placed: list[Placed] = field(default_factory=list)
    page_annotations: list[dict[str, Any]] = field(default_factory=list)


def layout(blocks: list[Block], path: str, diags: list[Diagnostic]) -> PageLayout:
    """Walk blocks once: title, intro prose, sections, annotations on their fences."""
    result = PageLayout()
    section = subsection = heading = section_title = ""
    section_line = 0
    pending: tuple[dict[str, Any], Block] | None = None
    gap = 0  # prose blocks since the pending annotation
    for block in blocks:
        if block.kind == "heading":
            if pending is not None and pending[0].get("blockType") in ("request", "response", "resource"):
                diags.append(make(pending[1].path, pending[1].line, "D304", "annotation is not followed by a code block"))
            pending = None
            heading = plain(block.text)
            text = heading.lower()
            if block.level == 1 and not result.title:
                result.title, result.title_line = plain(block.text), block.line
            elif block.level <= 2:
                section, subsection, section_title, section_line = text, "", heading, block.line
            else:
                subsection = text
            continue
        if block.kind == "comment":
            data, more = parse_annotation(block.text, block.path, block.line)
            diags.extend(more)
            if data is None:
                continue
            if str(data.get("type", "")).startswith("#page.annotation"):
                result.page_annotations.append(data)
                continue
            kind = str(data.get("blockType", "")).lower()
            if kind and kind not in KNOWN_BLOCK_TYPES:
                diags.append(make(block.path, block.line, "D303", f"unknown blockType {data.get('blockType')!r}"))
            pending, gap = (data, block), 0
            continue
        annotation = None
        if block.kind == "code":
            if pending is not None:
                annotation = pending[0]
            pending = None
        elif block.kind in ("paragraph", "other") and pending is not None:
            gap += 1
            if gap > 2:
                pending = None
        elif block.kind == "table" and pending is not None and pending[0].get("blockType") != "permissions":
            pending = None
        if not section and block.kind in ("paragraph", "other"):
            result.intro.append(block)
        result.placed.append(Placed(block, section, subsection, heading, annotation, section_title, section_line))
    return result
