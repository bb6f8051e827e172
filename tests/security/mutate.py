"""Page mutations for the fuzzer: seeds, and edits a hypothesis strategy draws and applies.

A mutation is a plain tuple `(kind, a, b, text)`; `a` and `b` pick lines (modulo the page
length), `text` is what an insertion inserts. Plain tuples shrink well and print readably.
"""

from __future__ import annotations

import random
import re

from hypothesis import strategies as st

from tests.conftest import CORPUS, SPECS
from tests.security.harness import HOSTILE_TEXTS

CORPUS_SAMPLE = 30
# Markdown structure worth breaking, besides the hostile strings.
STRUCTURE = [
    "```",
    "```http",
    "```json",
    "<!-- {",
    "} -->",
    '<!-- { "blockType": "request", "name": "x" } -->',
    '<!-- { "blockType": "response", "@odata.type": "../../x" } -->',
    "|",
    "|---|---|",
    "|a|b|c|d|e|",
    "---",
    "# ",
    "## Properties",
    "## HTTP request",
    "## Response",
    "|Property|Type|Description|",
    "[!INCLUDE [x](../../../../etc/passwd)]",
    "[!INCLUDE [x](/etc/passwd)]",
    "[x](../../../../etc/passwd)",
    "Inherits from [entity](entity.md).",
    "HTTP/1.1 200 OK",
    "POST /../../../x/{id}",
    "{",
    "[",
    "\t",
    "!!python/object/apply:os.system ['touch PWNED']",
    "a: &a [*a]",
    "\x00",
    "\ufeff",
    "\r",
    "\r\n",
    # units a `flood` repeats thousands of times on one line: each once made a scan quadratic
    "*a _b ",
    "[x](",
    "[a](b ",
    "<a ",
    "200 OK status ",
    "[!INCLUDE [",
    "**a ",
    "`",
    "{a",
    "\\",
]
INSERTS = HOSTILE_TEXTS + STRUCTURE
KINDS = (
    "delete",
    "duplicate",
    "swap",
    "cut_table",
    "cut_fence",
    "insert_line",
    "insert_inline",
    "replace_word",
    "bad_bytes",
    "flood",
)
_WORD = re.compile(r"[A-Za-z_][\w.@-]*")


def seed_pages() -> list[tuple[str, bytes]]:
    """The seeds, and a fixed sample of the v1.0 corpus when it is present: (rel path, bytes)."""
    seeds = [(p.relative_to(SPECS).as_posix(), p.read_bytes()) for p in sorted(SPECS.rglob("*.md"))]
    if (CORPUS / "api").is_dir():
        pages = sorted(
            p for p in CORPUS.rglob("*.md") if "includes" not in p.relative_to(CORPUS).parts
        )
        for p in random.Random(6).sample(pages, min(CORPUS_SAMPLE, len(pages))):
            seeds.append((p.relative_to(CORPUS).as_posix(), p.read_bytes()))
    return seeds


mutations = st.tuples(
    st.sampled_from(KINDS), st.integers(0, 10_000), st.integers(0, 10_000), st.sampled_from(INSERTS)
)


def _lines_where(lines: list[str], test: re.Pattern[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if test.match(line)]


def mutate(data: bytes, edits: list[tuple[str, int, int, str]]) -> bytes:
    """Apply `edits` in order to a page (as text, then bytes for `bad_bytes`)."""
    lines = data.decode("utf-8", "replace").split("\n")
    raw: list[int] = []
    for kind, a, b, text in edits:
        n = len(lines)
        i, j = a % max(n, 1), b % max(n, 1)
        if kind == "delete" and n:
            del lines[i : i + 1 + b % 4]
        elif kind == "duplicate" and n:
            lines[i:i] = lines[i : i + 1 + b % 4]
        elif kind == "swap" and n:
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "cut_table":
            rows = _lines_where(lines, re.compile(r"\s*\|"))
            if rows:
                start = rows[a % len(rows)]
                del lines[start : start + 1 + b % 3]
        elif kind == "cut_fence":
            fences = _lines_where(lines, re.compile(r"\s*(```|~~~)"))
            if fences:
                del lines[fences[a % len(fences)]]
        elif kind == "insert_line":
            lines.insert(i, text)
        elif kind == "insert_inline" and n:
            k = b % (len(lines[i]) + 1)
            lines[i] = lines[i][:k] + text + lines[i][k:]
        elif kind == "replace_word" and n:
            words = list(_WORD.finditer(lines[i]))
            if words:
                w = words[b % len(words)]
                lines[i] = lines[i][: w.start()] + text + lines[i][w.end() :]
        elif kind == "flood" and n:  # a very long run inside a line (a cell, a heading, a URL):
            k = b % (len(lines[i]) + 1)  # any super-linear scan shows as a timeout
            times = min(200 + (a * 7919 + b) % 40_000, 250_000 // max(len(text), 1))
            lines[i] = lines[i][:k] + text * times + lines[i][k:]
        elif kind == "bad_bytes":
            raw.append(a)
    out = "\n".join(lines).encode("utf-8", "surrogatepass")
    for position in raw:
        k = position % (len(out) + 1)
        out = out[:k] + b"\xc3\x28\xff" + out[k:]
    return out
