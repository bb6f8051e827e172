"""Faster equivalents inside the renderer give exactly the bytes of the slow originals: the
fixture JSON writer (`json.dumps(indent=1, sort_keys=True, ensure_ascii=False)`) and the
remembered docstring filter."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from generator.render import _dump_fixture
from generator.render.jinja import docstring


def reference(content: Any) -> str:
    return json.dumps(content, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(
    "content",
    [
        {},
        {"a": [], "b": {}, "c": [[]], "d": [{}]},
        {"s": "quote \" backslash \\ newline \n nul \x00 sep \u2028 é 😀 lone \ud800"},
        {"n": [0, -3, 10**30, 1.0, 0.1, -0.0, 1e300, 2.5e-8, True, False, None]},
        {"z": 1, "a": {"y": [1, {"b": 2, "a": [3]}]}, "é": 2, "E": 3},
        {"nan": float("nan"), "inf": float("inf")},  # the json module's own spelling
        {"tuple": (1, 2)},  # not JSON data: handed to the json module
        {1: "int key"},
    ],
)
def test_fixture_json_is_written_as_the_json_module_writes_it(content: dict[str, Any]) -> None:
    assert _dump_fixture(content) == reference(content)


def test_fixture_json_matches_on_random_documents() -> None:
    rng = random.Random(13)
    leaves = ["", "x", "ü\n\t", 0, -7, 2.5, 3.0, True, False, None]

    def value(depth: int) -> Any:
        roll = rng.random()
        if depth > 5 or roll < 0.3:
            return rng.choice(leaves)
        if roll < 0.65:
            return {rng.choice("abcéZ_"): value(depth + 1) for _ in range(rng.randint(0, 4))}
        return [value(depth + 1) for _ in range(rng.randint(0, 4))]

    for _ in range(500):
        content = {"_generated": "header", "data": value(0)}
        assert _dump_fixture(content) == reference(content)


def test_a_cycle_is_still_reported_by_the_json_module() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular"):
        _dump_fixture({"loop": loop})


def test_the_docstring_filter_gives_the_same_text_every_time() -> None:
    class Doc(str):
        pass

    text = "First paragraph " * 12 + '\n\nSecond, with """quotes""" and a \\ backslash"'
    first = docstring(text, 8)
    assert docstring(Doc(text), 8) == first and docstring(text, 8) == first
    assert docstring(text, 4) != first  # the indent is part of what is remembered
    assert type(docstring(text, 8)).__name__ == "Code"
