"""Front matter is split off by slicing the page text (generator/parse/frontmatter.py): the
answer of the line-by-line definition, kept here as the reference."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.parse.frontmatter import load_yaml, split_front_matter


def _by_lines(text: str) -> tuple[dict[str, object], str, int]:
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return {}, text, 1
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return {}, "\n".join(lines[1:]), 2
    return load_yaml("\n".join(lines[1:end]), "p.md")[0], "\n".join(lines[end + 1 :]), end + 2


_LINES = st.sampled_from(
    ["---", "--- ", "...", "... \t", "----", " ---", "title: x", "", "a: [", "---\x85", "---\u2028", "\t", "x: 1", "-- -"]
) | st.text(alphabet="-. :a\t", max_size=5)


@settings(max_examples=800, deadline=None, database=None)
@given(st.lists(_LINES, max_size=8))
def test_split_equals_the_line_by_line_definition(lines: list[str]) -> None:
    text = "\n".join(lines)
    found = split_front_matter(text, "p.md")
    assert (found.data, found.body, found.body_line) == _by_lines(text)
