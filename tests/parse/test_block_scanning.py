"""The scans of generator/parse/blocks.py that jump from match to match give what the
definitions, a scan of each line or character in turn (kept here), give: fence bodies cut
before markdown-it runs (`_cut_fences`), table rows split into cells (`split_row`)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.parse.blocks import _cut_fences, parse_blocks, split_row

_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")


def _by_lines(lines: list[str]) -> tuple[list[str], list[int], dict[int, tuple[str, bool]]]:
    """The definition: each line in turn; a fence's body runs to its closing line or the end."""
    out: list[str] = []
    where: list[int] = []
    fences: dict[int, tuple[str, bool]] = {}
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        match = _OPEN.match(line)
        if match is None or (match.group(2)[0] == "`" and "`" in match.group(3)):
            out.append(line)
            where.append(i)
            i += 1
            continue
        indent, marker = len(match.group(1)), match.group(2)
        close = re.compile(rf"^ {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}\s*$")
        j = i + 1
        while j < n and not close.match(lines[j]):
            j += 1
        body = [l[min(indent, len(l) - len(l.lstrip(" "))) :] for l in lines[i + 1 : j]]
        fences[len(out)] = ("".join(l + "\n" for l in body), j < n)
        out.extend([line, " " * indent + marker])
        where.extend([i, min(j, n - 1)])
        i = j + 1
    return out, where, fences


_LINES = st.sampled_from(
    ["```", "````", "~~~", "```json", "``` `x`", "   ```", "    ```", "  ~~~~", "```  ", "``` \t", "x", "", " ",
     "a```", "~~~ x ~", "\t```", "``", "  a", "\x85", "```\x0b", "  ```http", "~~~~~"]
) | st.text(alphabet="`~ a\t", max_size=6)


@settings(max_examples=800, deadline=None, database=None)
@given(st.lists(_LINES, max_size=12))
def test_cutting_equals_the_line_by_line_scan(lines: list[str]) -> None:
    text = "\n".join(lines)
    shortened, where, fences = _cut_fences(text)
    assert (shortened, where, {k: (f.content, f.closed) for k, f in fences.items()}) == _by_lines(text.split("\n"))


def test_fence_bodies_keep_their_lines_and_indentation() -> None:
    text = "# T\n\n  ```json\n  {\n    \"a\": 1\n  }\n  ```\n\ntext\n~~~\nopen to the end\n"
    blocks = parse_blocks(text, "p.md")
    assert [(b.kind, b.line) for b in blocks] == [("heading", 1), ("code", 3), ("paragraph", 9), ("code", 10)]
    assert blocks[1].text == '{\n  "a": 1\n}\n' and blocks[1].info == "json" and blocks[1].closed
    assert blocks[3].text == "open to the end\n\n" and not blocks[3].closed


def _cells_by_characters(line: str) -> list[str]:
    """The definition: `\\|` is a `|` in the cell; a code span (a backtick run up to the next
    run of as many) keeps its pipes; every other `|` ends a cell."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells: list[str] = []
    current: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] == "|":
            current.append("|")
            i += 2
            continue
        if ch == "`":
            run = 1
            while i + run < n and text[i + run] == "`":
                run += 1
            ticks = text[i : i + run]
            close = text.find(ticks, i + run)
            if close != -1:
                current.append(text[i : close + run])
                i = close + run
                continue
            current.append(ticks)
            i += run
            continue
        if ch == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    cells.append("".join(current).strip())
    return cells


@settings(max_examples=800, deadline=None, database=None)
@given(st.text(alphabet="`\\| ab", max_size=14))
def test_row_split_equals_the_character_scan(line: str) -> None:
    assert split_row(line) == _cells_by_characters(line)


def test_row_cells_keep_escaped_pipes_and_code_spans() -> None:
    assert split_row("| `a|b` | c \\| d | ``x`|`` |") == ["`a|b`", "c | d", "``x`|``"]
