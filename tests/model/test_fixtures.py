"""Fixture-file tests, one per parsing rule: `fixtures/X.md` read alone must export an IR that
contains `fixtures/X.json` (a subset: lists match item by item in order, dicts key by key).
`codes` lists diagnostic codes the page must produce, and no others above info level."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.model.build import build_page
from generator.resolve.export import export_ir
from generator.resolve.resolve import resolve

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p.stem for p in FIXTURES.glob("*.md"))


def contains(actual: Any, expected: Any, where: str = "$") -> list[str]:
    """Where `expected` is not a subset of `actual` (empty when it is)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {actual!r}"]
        problems = []
        for key, value in expected.items():
            if key not in actual:
                problems.append(f"{where}.{key}: missing")
            else:
                problems.extend(contains(actual[key], value, f"{where}.{key}"))
        return problems
    if isinstance(expected, list) and expected and isinstance(expected[0], dict):
        if not isinstance(actual, list) or len(actual) < len(expected):
            return [f"{where}: expected at least {len(expected)} items, got {actual!r}"]
        return [p for i, item in enumerate(expected) for p in contains(actual[i], item, f"{where}[{i}]")]
    return [] if actual == expected else [f"{where}: expected {expected!r}, got {actual!r}"]


def export_page(name: str) -> dict[str, Any]:
    path = f"{'api' if name.startswith(('api', 'relative')) else 'resources'}/{name}.md"
    page = build_page((FIXTURES / f"{name}.md").read_bytes(), path)
    return export_ir(resolve([page]))


@pytest.mark.parametrize("name", CASES)
def test_fixture(name: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.json").read_text())
    codes = expected.pop("codes", None)
    actual = export_page(name)
    if "types" in expected:
        by_name = {t["name"]: t for t in actual["types"]}
        for want in expected.pop("types"):
            assert want["name"] in by_name, f"type {want['name']} missing; have {sorted(by_name)}"
            assert not contains(by_name[want["name"]], want), contains(by_name[want["name"]], want)
    problems = contains(actual, expected)
    assert not problems, problems
    found = sorted({d["code"] for d in actual["diagnostics"] if d["severity"] != "info"} | {d["code"] for d in actual["diagnostics"] if d["code"] in (codes or [])})
    if codes is not None:
        assert found == sorted(codes), [d for d in actual["diagnostics"]]
    assert not [d for d in actual["diagnostics"] if d["code"] == "D901"]
