"""The OneDrive API reference (`../shared/corpus/onedrive`, the older dialect: no `doc_type`,
`@type`, reference-style links, JSON comments, several operations per page): every API page
yields its operations, every resource page its type, nothing fails; figures as floors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build import load_api
from generator.model.ir import Api

pytestmark = pytest.mark.corpus

ONEDRIVE = Path(os.environ.get("DOC2CODE_ONEDRIVE", Path(__file__).resolve().parents[3] / "shared" / "corpus" / "onedrive"))
# Pages that define no type: an index of the resources and the description of the Timestamp format.
CONCEPTUAL = {"resources/index.md", "resources/timestamp.md"}


@pytest.fixture(scope="module")
def api() -> Api:
    if not (ONEDRIVE / "api").is_dir():
        pytest.skip(f"OneDrive corpus not found at {ONEDRIVE} (set DOC2CODE_ONEDRIVE to its folder)")
    return load_api([ONEDRIVE], jobs=1)


def test_every_api_page_yields_operations_and_every_resource_page_its_type(api: Api) -> None:
    assert len(api.pages) >= 138
    assert [d for d in api.diagnostics if d.code == "D901"] == []
    with_ops = {op.source.path for op in api.operations}
    with_types = {t.source.path for t in api.types.values() if t.kind != "placeholder"}
    api_pages = [p.path for p in api.pages if p.path.startswith("api/")]
    resource_pages = [p.path for p in api.pages if p.path.startswith("resources/") and p.path not in CONCEPTUAL]
    assert [p for p in api_pages if p not in with_ops] == []
    assert [p for p in resource_pages if p not in with_types] == []
    assert all(op.paths for op in api.operations)


def test_pages_with_several_operations_yield_one_per_section(api: Api) -> None:
    by_page: dict[str, list[str]] = {}
    for op in api.operations:
        by_page.setdefault(op.source.path, []).extend(p.template for p in op.paths)
    assert sum(1 for op in api.operations if op.source.path == "api/drive_get.md") == 5
    assert sorted(by_page["api/drive_list.md"]) == ["/groups/{groupId}/drives", "/me/drives", "/sites/{siteId}/drives", "/users/{userId}/drives"]


def test_figures(api: Api) -> None:
    types = [t for t in api.types.values() if t.kind in ("entity", "complex")]
    assert len(types) >= 78
    assert sum(len(t.properties) for t in types) >= 360
    assert sum(len(t.navigation) for t in types) >= 35
    assert sum(1 for t in types if t.kind == "entity") >= 18
    assert len(api.operations) >= 63
    noisy = [d for d in api.diagnostics if d.code in ("D109", "D205", "D301", "D401")]
    assert noisy == [], noisy
