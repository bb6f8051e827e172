"""Markdown to a flat list of blocks, each with its page path and 1-based source line.

markdown-it-py finds the block structure (headings, tables, fences, HTML comments); its inline
phase is switched off because nothing here needs it, which halves the parse time. Table rows
are found by this module inside paragraphs (markdown-it's own table rule is tried at every line
of every page and was a quarter of the parse time) and split from the source lines, so that a
`|` inside a code span or escaped as `\\|` stays in its cell and rows with more cells than the
header are seen. Setext headings are off too: in this dialect a `---` under text closes a
language tab, it does not underline a heading.

Language tabs (`# [C#](#tab/csharp)` ... `---`) are H1 headings to CommonMark: they are kept as
`tab` state on the blocks inside them instead of being mistaken for page titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

_TAB_MARKER = re.compile(r"^\[([^\]]*)\]\(#tab/([^)\s]+)\)\s*$")
_INCLUDE = re.compile(r"^\[!INCLUDE\s*\[[^\]]*\]\(([^)\s]+)\)\s*\]$", re.IGNORECASE)


@dataclass
class Row:
    cells: list[str]
    line: int


@dataclass
class Block:
    kind: str  # heading | paragraph | table | code | comment | hr | include | other
    line: int  # 1-based line in `path`
    path: str  # the page (or included file) the block comes from, specs-relative
    text: str = ""  # heading/paragraph text, code content, comment source, include target
    level: int = 0  # heading level
    info: str = ""  # code fence language, lower-cased, e.g. "http", "json", "msgraph-interactive"
    closed: bool = True  # code fence closed before the end of the page
    header: list[str] = field(default_factory=list)  # table header cells (raw markdown)
    rows: list[Row] = field(default_factory=list)  # table body rows
    tab: str = ""  # language tab in effect ("" outside tabs), e.g. "http", "csharp"


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark")
    md.disable(["inline", "text_join", "lheading"])
    return md


def _block_tokens(text: str) -> list[Token]:
    """markdown-it's block tokens of `text`: its block parser run directly, without the core
    chain, whose only other enabled rule folds CR/CRLF and replaces NUL (what `decode` did to
    every page already); text that still holds either goes through the whole chain."""
    md = _markdown()
    if "\r" in text or "\0" in text:
        return md.parse(text)
    tokens: list[Token] = []
    md.block.parse(text, md, {}, tokens)
    return tokens


_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")


_ROW_SPECIAL = re.compile(r"[`\\|]")


def split_row(line: str) -> list[str]:
    """Split one table source line into cells: `\\|` and pipes inside code spans stay."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    if "`" not in text and "\\" not in text:
        return [c.strip() for c in text.split("|")]
    cells: list[str] = []
    current: list[str] = []
    i, n = 0, len(text)
    while True:  # from one `\\`, backtick or `|` to the next; the text between is kept as it is
        found = _ROW_SPECIAL.search(text, i)
        if found is None:
            current.append(text[i:])
            break
        k = found.start()
        current.append(text[i:k])
        ch = text[k]
        if ch == "\\":
            if k + 1 < n and text[k + 1] == "|":
                current.append("|")
                i = k + 2
            else:
                current.append(ch)
                i = k + 1
            continue
        if ch == "`":
            run = 1
            while k + run < n and text[k + run] == "`":
                run += 1
            ticks = text[k : k + run]
            close = text.find(ticks, k + run)
            if close != -1:
                current.append(text[k : close + run])
                i = close + run
                continue
            current.append(ticks)
            i = k + run
            continue
        cells.append("".join(current).strip())
        current = []
        i = k + 1
    cells.append("".join(current).strip())
    return cells


_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$", re.MULTILINE)


@lru_cache(maxsize=64)
def _fence_close(char: str, length: int) -> re.Pattern[str]:
    """A closing fence line: up to 3 spaces, `length` or more `char`, blanks (never a newline)."""
    return re.compile(rf"^ {{0,3}}{re.escape(char)}{{{length},}}[^\S\n]*$", re.MULTILINE)


_FENCE_CHARS = re.compile(r"```|~~~")


@lru_cache(maxsize=64)
def _fence_chars(char: str, length: int) -> re.Pattern[str]:
    return re.compile(re.escape(char * length))


def _next_line(text: str, line: re.Pattern[str], needle: re.Pattern[str], start: int) -> re.Match[str] | None:
    """The first line at or after `start` (a line start) that the multi-line pattern `line`
    matches from its beginning, where that pattern can only match a line holding `needle`:
    only those lines are tried (a pattern anchored at every line start is tried at every
    position of the text)."""
    while True:
        found = needle.search(text, start)
        if found is None:
            return None
        begin = text.rfind("\n", start, found.start()) + 1 or start
        match = line.match(text, begin)
        if match is not None:
            return match
        end = text.find("\n", found.end())
        if end == -1:
            return None
        start = end + 1


@dataclass
class _Fence:
    content: str
    closed: bool


def _cut_fences(text: str) -> tuple[list[str], list[int], dict[int, _Fence]]:
    """`_cut` with the shortened text as lines."""
    shortened, where, fences = _cut(text)
    return shortened.split("\n"), where, fences


def _cut(text: str) -> tuple[str, list[int], dict[int, _Fence]]:
    """Replace the body of every top-level fenced block by nothing before markdown-it runs.

    A third of markdown-it's time went into walking the lines of JSON and HTTP samples that
    it only hands back verbatim. Each fence keeps its opening line and gets a closing line, so
    markdown-it still sees a fence in the same place; the body is kept here, keyed by the
    fence's line in the shortened text. Returns the shortened text, the original line index
    of every shortened line, and the cut bodies.

    Works on `text` with multi-line patterns (fence openers and closers are found at C speed;
    a body is one slice), with the answer of a line-by-line scan: an opener is a line of up
    to 3 spaces and 3+ backticks or tildes (backticks: no backtick after them), its body runs
    to the first line of up to 3 spaces, at least as many of the same character and blanks,
    or to the end of the text.
    """
    pieces: list[str] = []  # runs of whole shortened lines, to be joined by newlines
    where: list[int] = []
    fences: dict[int, _Fence] = {}
    size = len(text)
    pos = 0  # start of the first line not yet copied
    line = 0  # its index in `text`
    search = 0
    while True:
        match = _next_line(text, _FENCE_OPEN, _FENCE_CHARS, search)
        if match is None:
            break
        marker = match.group(2)
        if marker[0] == "`" and "`" in match.group(3):  # an inline code span, not a fence
            search = match.end() + 1
            if search > size:
                break
            continue
        opener = line + text.count("\n", pos, match.start())
        pieces.append(text[pos : match.end()])  # the lines before the fence and its opening line
        where.extend(range(line, opener + 1))
        indent = len(match.group(1))
        fences[len(where) - 1] = fence = _Fence("", False)
        pieces.append(" " * indent + marker)
        if match.end() >= size:  # the opening line is the last line
            where.append(opener)
            pos = size + 1
            break
        begin = match.end() + 1
        close = _next_line(text, _fence_close(marker[0], len(marker)), _fence_chars(marker[0], len(marker)), begin)
        if close is None:
            closer, body, after = opener + 1 + text.count("\n", begin), text[begin:] + "\n", size + 1
        else:
            closer, body = opener + 1 + text.count("\n", begin, close.start()), text[begin : close.start()]
            newline = text.find("\n", close.end())
            after = size + 1 if newline == -1 else newline + 1
        fence.closed = close is not None
        if indent and body:
            lines = body.split("\n")[:-1]
            fence.content = "".join(l[min(indent, len(l) - len(l.lstrip(" "))) :] + "\n" for l in lines)
        else:
            fence.content = body
        where.append(closer)
        pos = search = after
        line = closer + 1
        if pos > size:
            break
    if pos <= size:
        pieces.append(text[pos:])
        where.extend(range(line, line + text.count("\n", pos) + 1))
    return "\n".join(pieces), where, fences


def parse_blocks(body: str, path: str, first_line: int = 1) -> list[Block]:
    """Blocks of `body`, whose first line is line `first_line` of the page."""
    shortened, where, fences = _cut(body)
    lines = shortened.split("\n")
    tokens = _block_tokens(shortened)
    lmap = [w + first_line for w in where]  # shortened line index -> page line
    blocks: list[Block] = []
    tab = ""
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        start = lmap[tok.map[0]] if tok.map and tok.map[0] < len(lmap) else first_line
        kind = tok.type
        if kind == "heading_open":
            text = tokens[i + 1].content.strip()
            level = int(tok.tag[1])
            marker = _TAB_MARKER.match(text) if level == 1 else None
            if marker:
                tab = marker.group(2).lower()
            else:
                if level <= 3:
                    tab = ""
                blocks.append(Block("heading", start, path, text=text, level=level))
            i += 3
            continue
        if kind == "paragraph_open":
            text = tokens[i + 1].content.strip()
            if "|" in text and tok.map is not None:
                blocks.extend(_paragraph_with_tables(lines, tok.map[0], tok.map[1], path, lmap, tab))
                i += 3
                continue
            include = _INCLUDE.match(text)
            if include:
                blocks.append(Block("include", start, path, text=include.group(1), tab=tab))
            else:
                blocks.append(Block("paragraph", start, path, text=text, tab=tab))
            i += 3
            continue
        if kind == "fence" or kind == "code_block":
            assert tok.map is not None
            cut = fences.get(tok.map[0]) if kind == "fence" else None
            words = tok.info.split(None, 1)
            info = words[0].lower() if words else ""
            content = cut.content if cut is not None else tok.content
            closed = cut.closed if cut is not None else True
            if len(words) == 2 and not content.strip():  # ```http GET /education/schools
                content = words[1] + "\n"
            blocks.append(Block("code", start, path, text=content, info=info, closed=closed, tab=tab))
            i += 1
            continue
        if kind == "html_block":
            content = tok.content.strip()
            if content.startswith("<!--"):
                blocks.append(Block("comment", start, path, text=content, tab=tab))
            i += 1
            continue
        if kind == "hr":
            tab = ""
            blocks.append(Block("hr", start, path))
            i += 1
            continue
        if kind in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            # Lists and quotes hold prose (notes, bullets); keep their text for descriptions.
            close = kind.replace("_open", "_close")
            depth, j = 0, i
            while j < n:
                if tokens[j].type == kind:
                    depth += 1
                elif tokens[j].type == close:
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            text = " ".join(t.content.strip() for t in tokens[i:j] if t.type == "inline")
            blocks.append(Block("other", start, path, text=text, tab=tab))
            i = j + 1
            continue
        i += 1
    return blocks


def _paragraph_with_tables(lines: list[str], begin: int, end: int, path: str, lmap: list[int], tab: str) -> list[Block]:
    """A paragraph's source lines as prose and GFM tables (header row + delimiter row + rows)."""
    out: list[Block] = []
    prose_start = k = begin
    while k < end:
        if "|" in lines[k] and k + 1 < end and _DELIMITER_ROW.match(lines[k + 1]) and "-" in lines[k + 1]:
            if prose_start < k:
                text = "\n".join(x.strip() for x in lines[prose_start:k])
                out.append(Block("paragraph", lmap[prose_start], path, text=text, tab=tab))
            stop = k + 2
            while stop < end and "|" in lines[stop]:
                stop += 1
            out.append(_table(lines, k, stop, path, lmap, tab))
            prose_start = k = stop
            continue
        k += 1
    if prose_start < end:
        text = "\n".join(x.strip() for x in lines[prose_start:end])
        out.append(Block("paragraph", lmap[prose_start], path, text=text, tab=tab))
    return out


def _table(lines: list[str], begin: int, end: int, path: str, lmap: list[int], tab: str) -> Block:
    header = split_row(lines[begin])
    rows = [
        Row(split_row(lines[k]), lmap[k])
        for k in range(begin + 2, min(end, len(lines)))
        if lines[k].strip()
    ]
    return Block("table", lmap[begin], path, header=header, rows=rows, tab=tab)
