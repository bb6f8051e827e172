"""The little inline markdown the model needs: links, and cell text as plain text.

markdown-it's inline phase is off (see blocks.py); table cells and prose only ever need link
targets and readable text, which these few precompiled patterns give at a fraction of the cost.

Every pattern runs in linear time on any line (issue 6): a span cannot contain what would start
or end another one (a link target no `[`, an emphasis no second delimiter), so a hostile line
of 50,000 `[` or `*a ` cannot make a scan restart at every position.
"""

from __future__ import annotations

import functools
import html
import re

_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*+<?([^)\s>\[\]]*+)>?(?:\s++[^)\[\]]*)?\)")
_REF_LINK = re.compile(r"\[([^\[\]]+)\]\[([^\[\]]*)\]")
_BR = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_EMPHASIS = re.compile(r"(\*\*|__|\*)(?=\S)((?:(?!\1).)+?)(?<=\S)\1")
_CODE = re.compile(r"(?<!`)(`++)((?:(?!\1).)+?)\1")
_SPACES = re.compile(r"\s+")
_MARKUP = re.compile(r"[\[<*_`&\\]")


def links(text: str) -> list[tuple[str, str]]:
    """`[label](target)` pairs in order; reference links `[x][]` give (x, "")."""
    found = [(m.start(), plain(m.group(1)), m.group(2)) for m in _LINK.finditer(text)]
    found += [(m.start(), plain(m.group(1)), "") for m in _REF_LINK.finditer(text)]
    return [(label, target) for _, label, target in sorted(found)]


@functools.lru_cache(maxsize=16384)  # headers, types and permission names repeat on every page
def plain(text: str) -> str:
    """Readable text: links to their labels, no emphasis/code markers/tags, entities decoded."""
    if not text:
        return ""
    if not _MARKUP.search(text):  # most cells and headings: nothing to strip
        return _SPACES.sub(" ", text).strip() if "  " in text or "\n" in text or "\t" in text else text.strip()
    out = _BR.sub(" ", text) if "<" in text else text
    if "[" in out:
        out = _LINK.sub(lambda m: m.group(1), out)
        out = _REF_LINK.sub(lambda m: m.group(1), out)
    if "`" in out:
        out = _CODE.sub(lambda m: m.group(2).strip(), out)
    if "*" in out or "_" in out:
        out = _EMPHASIS.sub(lambda m: m.group(2), out)
        out = _EMPHASIS.sub(lambda m: m.group(2), out)
    if "<" in out:
        out = _TAG.sub(" ", out)
    if "\\" in out:
        out = out.replace("\\|", "|").replace("\\_", "_").replace("\\*", "*")
    if "&" in out:
        out = html.unescape(out)
    return _SPACES.sub(" ", out).strip()


def code_spans(text: str) -> list[str]:
    return [m.group(2).strip() for m in _CODE.finditer(text)]
