"""Hostile and broken pages reach the model as diagnostics, never as exceptions or hangs."""

from __future__ import annotations

import time

import pytest

from generator.model.build import build_page
from generator.resolve.resolve import resolve

PROPS = "# x resource type\n\n## Properties\n|Property|Type|Description|\n|-|-|-|\n"


def codes(data: bytes, path: str = "resources/x.md") -> list[str]:
    api = resolve([build_page(data, path)])
    assert not [d for d in api.diagnostics if d.code == "D901"], api.diagnostics
    return [d.code for d in api.diagnostics]


@pytest.mark.parametrize(
    "front_matter",
    [
        "title: !!python/object/apply:os.system ['echo pwned > /tmp/doc2code-pwned']",
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
        "- a list\n- not a mapping",
        "title: [unclosed",
        "title: [1, 2]\ndoc_type: {a: b}",
    ],
)
def test_front_matter_never_executes_or_hangs(front_matter: str) -> None:
    start = time.perf_counter()
    found = codes(f"---\n{front_matter}\n---\n{PROPS}|a|String|A.|\n".encode())
    assert time.perf_counter() - start < 5
    assert {"D103", "D104"} & set(found)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        bytes(range(256)) * 40,
        b"\xff\xfe\x00\x00 not utf-8 \xc3\x28",
        "\ufeff---\r\ntitle: x\r\ndoc_type: resourcePageType\r\n---\r\n# x resource type\r\n".encode(),
        b"---\ntitle: x\n" + b"a\x00b\n" * 10,
        ("```http\n" + "[" * 100_000 + "\n```\n").encode(),
        ("## Example\n<!-- { \"blockType\": \"request\" } -->\n```http\nPOST /x\n\n" + "[" * 100_000 + "\n```\n").encode(),
    ],
)
def test_broken_bytes_give_diagnostics(data: bytes) -> None:
    codes(data)


def test_huge_table_and_page_stay_fast() -> None:
    rows = "".join(f"|p{i}|String|Property {i}.|\n" for i in range(30_000))
    page = f"---\ntitle: x resource type\ndoc_type: resourcePageType\n---\n{PROPS}{rows}".encode()
    assert len(page) > 800_000
    start = time.perf_counter()
    api = resolve([build_page(page, "resources/x.md")])
    assert time.perf_counter() - start < 30
    assert len(api.types["x"].properties) == 30_000


def test_invalid_utf8_is_reported_with_its_line() -> None:
    found = resolve([build_page(b"---\ntitle: t\n---\n# t\nok\n\xff\xfe\n", "api/t.md")]).diagnostics
    assert any(d.code == "D108" and d.line == 6 for d in found)


def test_inheritance_cycle_is_cut_and_reported() -> None:
    def page(name: str, base: str) -> bytes:
        return f"---\ntitle: {name} resource type\ndoc_type: resourcePageType\n---\n# {name} resource type\n\nInherits from [{base}]({base}.md).\n\n## Properties\n|Property|Type|Description|\n|-|-|-|\n|{name}Prop|[{base}]({base}.md)|Self reference.|\n".encode()

    api = resolve([build_page(page("a", "b"), "resources/a.md"), build_page(page("b", "a"), "resources/b.md")])
    assert [d.code for d in api.diagnostics].count("D402") == 1
    assert api.types["a"].base_type is None or api.types["b"].base_type is None
