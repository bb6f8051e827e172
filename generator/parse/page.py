"""One page file to a `ParsedPage`: decoded text, front matter, blocks, included blocks spliced in."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, make
from generator.parse.blocks import Block, parse_blocks
from generator.parse.discover import inside
from generator.parse.frontmatter import split_front_matter

# Tabs whose content is an HTTP sample; every other language tab holds SDK snippets.
HTTP_TABS = frozenset({"", "http"})
_MAX_INCLUDE_DEPTH = 3


@dataclass
class ParsedPage:
    path: str  # specs-relative, forward slashes
    text: str = ""  # the decoded page (BOM dropped, line endings folded)
    front_matter: dict[str, Any] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def decode(data: bytes, path: str) -> tuple[str, list[Diagnostic]]:
    """Bytes to text: BOM dropped, CRLF folded, NUL replaced; bad UTF-8 reported, not fatal."""
    diags: list[Diagnostic] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diags.append(make(path, line, "D108", f"invalid UTF-8 at byte {exc.start}; bad bytes replaced"))
        text = data.decode("utf-8-sig", errors="replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    return text, diags


def parse_page(data: bytes, path: str, root: Path | None = None, includes: tuple[Path, ...] = ()) -> ParsedPage:
    """Parse one page; `root` is the specs folder that confines include reads, `includes` the
    further folders they may read (the `includes` configuration key)."""
    text, diags = decode(data, path)
    fm = split_front_matter(text, path)
    blocks = parse_blocks(fm.body, path, fm.body_line)
    page = ParsedPage(path, text, fm.data, blocks, diags + fm.diagnostics)
    if root is not None and any(b.kind == "include" for b in blocks):
        page.blocks = _splice_includes(blocks, root, page.diagnostics, 0, includes)
    return page


# The page's own spelling first, then where it leads (relative to the specs folder): the run
# reports each refused location once (`once_per_include` groups by RESOLVES_TO and what follows).
RESOLVES_TO = " (it resolves to "
REFUSED_INCLUDE = "included file `{}` is outside the specs folder and the `includes` folders" + RESOLVES_TO + "`{}` from the specs folder); not read"


def _allowed(root: Path, target: str, file: Path, includes: tuple[Path, ...]) -> bool:
    if posixpath.isabs(target) or "\x00" in target:
        return False
    if not (target.startswith("../") or target == "..") and inside(root, file):
        return True
    return any(inside(folder, file) for folder in includes)


def _splice_includes(
    blocks: list[Block], root: Path, diags: list[Diagnostic], depth: int, includes: tuple[Path, ...] = ()
) -> list[Block]:
    """Replace include blocks outside SDK tabs by the blocks of the file they name.

    Reads stay inside `root` and the `includes` folders: a target that leaves them, by `..`, an
    absolute path or a symlink, is never opened (D111, naming the target as the page wrote it and
    the location it resolves to relative to the specs folder, by which the run reports each
    refused target once). Includes inside SDK language
    tabs are code snippets and are not read at all (most includes in real pages).
    """
    out: list[Block] = []
    for i, block in enumerate(blocks):
        if block.kind != "include" or block.tab not in HTTP_TABS:
            out.append(block)
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(block.path), block.text.split("#")[0]))
        matters = i > 0 and blocks[i - 1].kind == "comment" and "permissions" in blocks[i - 1].text
        file = root / target
        if not _allowed(root, target, file, includes):
            diags.append(make(block.path, block.line, "D111", REFUSED_INCLUDE.format(block.text.strip(), target)))
            out.append(block)
            continue
        if depth >= _MAX_INCLUDE_DEPTH or not file.is_file():
            if matters:
                diags.append(make(block.path, block.line, "D107", f"included file `{block.text}` is not found under the specs folder"))
            out.append(block)
            continue
        try:
            data = file.read_bytes()
        except OSError as exc:
            diags.append(make(block.path, block.line, "D107", f"included file `{block.text}` cannot be read: {exc.strerror}"))
            out.append(block)
            continue
        text, more = decode(data, target)
        diags.extend(more)
        fm = split_front_matter(text, target) if text.startswith("---") else None
        body, first = (fm.body, fm.body_line) if fm else (text, 1)
        included = parse_blocks(body, target, first)
        out.extend(_splice_includes(included, root, diags, depth + 1, includes))
    return out
