"""Incremental rendering (generator.render.memo): after edits that reach other files (a type used
as a field and as a base type, a page deleted), the reusing run writes exactly the tree that a
cold run without any cache writes, byte for byte, while rendering only some files again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from treeutil import snapshot

from generator.build import build_output
from generator.cli import main
from generator.config import load

SPECS = Path(__file__).resolve().parents[2] / "specs"
PYPROJECT = '[tool.doc2code]\nspecs = "specs"\nout = "generated"\npackage = "demo_client"\n'


def resource(name: str, rows: list[str], base: str = "") -> str:
    """A small resource page: a property table and its JSON representation."""
    table = "\n".join(f"|{row}" for row in rows)
    return f"""---
title: "{name} resource type"
doc_type: resourcePageType
---

# {name} resource type

Namespace: microsoft.graph

A {name} for the incremental rendering test.

## Properties
|Property|Type|Description|
|:---|:---|:---|
{table}

## JSON representation
<!-- {{
  "blockType": "resource",
  "@odata.type": "microsoft.graph.{name}",
  "baseType": "{base}",
  "openType": false
}}
-->
``` json
{{
  "@odata.type": "#microsoft.graph.{name}"
}}
```
"""


PART = ["label|String|What the part is called.|"]
WIDGET = [
    "id|String|The identifier.|",
    "parts|[widgetPart](widgetpart.md) collection|The parts.|",
]
GIZMO = ["power|Int32|How strong the gizmo is.|"]


def write_pages(specs: Path) -> None:
    shutil.copytree(SPECS, specs)
    (specs / "resources" / "widgetpart.md").write_text(resource("widgetPart", PART))
    (specs / "resources" / "widget.md").write_text(resource("widget", WIDGET))
    gizmo = resource("gizmo", GIZMO, base="microsoft.graph.widget")
    (specs / "resources" / "gizmo.md").write_text(gizmo)


def generate(root: Path, monkeypatch: pytest.MonkeyPatch, cache: bool) -> dict[str, bytes]:
    monkeypatch.chdir(root)
    if cache:
        monkeypatch.delenv("DOC2CODE_CACHE", raising=False)
    else:
        monkeypatch.setenv("DOC2CODE_CACHE", "off")
    assert main(["generate", "-q"]) == 0
    return snapshot(root / "generated")


def cold(specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The tree a first run without any cache makes from the same pages."""
    root = tmp_path / "cold"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(specs, root / "specs")
    (root / "pyproject.toml").write_text(PYPROJECT)
    return generate(root, monkeypatch, cache=False)


def rendered_count(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """(files rendered again, files in the tree) for a build of `root` with its cache."""
    monkeypatch.chdir(root)
    monkeypatch.delenv("DOC2CODE_CACHE", raising=False)
    out = build_output(load(start=root))
    return out.counts["rendered"], len(out.files)


EDITS = {
    # a field type: the part's own module changes, and nothing that only imports it by name
    "field type edited": lambda s: (s / "resources/widgetpart.md").write_text(
        resource("widgetPart", PART + ["weight|Double|How heavy it is.|"])
    ),
    # a base type: its subclass's module reads its fields (overrides, inherited names)
    "base type edited": lambda s: (s / "resources/widget.md").write_text(
        resource("widget", WIDGET + ["power|String|Redefined by gizmo as a number.|"])
    ),
    "seed page edited": lambda s: (s / "resources/synchronization.md").write_text(
        (s / "resources/synchronization.md")
        .read_text()
        .replace("|version|String|", "|displayName|String|The name shown.|\n|version|String|")
    ),
    "field type deleted": lambda s: (s / "resources/widgetpart.md").unlink(),
    "base type deleted": lambda s: (s / "resources/widget.md").unlink(),
}


def test_incremental_render_matches_a_cold_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "project"
    write_pages(root / "specs")
    (root / "pyproject.toml").write_text(PYPROJECT)
    first = generate(root, monkeypatch, cache=True)
    assert first == cold(root / "specs", tmp_path, monkeypatch)
    assert any("models/gizmo.py" in p for p in first)
    for label, edit in EDITS.items():
        edit(root / "specs")
        rendered, total = rendered_count(root, monkeypatch)
        assert 0 < rendered < total, f"{label}: rendered {rendered} of {total} files"
        incremental = generate(root, monkeypatch, cache=True)
        expected = cold(root / "specs", tmp_path, monkeypatch)
        changed = sorted(
            p for p in expected.keys() | incremental.keys() if incremental.get(p) != expected.get(p)
        )
        assert not changed, f"{label}: differs from a cold run: {changed}"
        assert incremental != first
        first = incremental


def test_page_keys_reuse_known_include_targets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The `[!INCLUDE]` targets remembered by content hash give the keys a fresh scan gives,
    without reading the files again; an edited file is scanned again."""
    from generator.output import pagecache
    from generator.output.fingerprint import file_digests
    from generator.parse.discover import discover

    specs = tmp_path / "specs"
    (specs / "includes").mkdir(parents=True)
    (specs / "a.md").write_text("# a\n")
    (specs / "b.md").write_text("# b\n[!INCLUDE [a](a.md)]\n")
    (specs / "c.md").write_text("# c\n[!INCLUDE [note](includes/note.md)]\n")
    (specs / "includes" / "note.md").write_text("a note\n")

    def keys(known: dict[str, list[str]] | None) -> dict[str, str]:
        return pagecache.page_keys(discover([specs]), specs, file_digests(specs), known)

    known: dict[str, list[str]] = {}
    first = keys(known)
    assert first == keys(None)
    assert sorted(t for targets in known.values() for t in targets) == ["a.md", "includes/note.md"]
    with monkeypatch.context() as m:
        m.setattr(pagecache, "_include_targets", lambda root, rel: pytest.fail(f"read {rel}"))
        assert keys(known) == first
    (specs / "b.md").write_text("# b, no include now\n")
    second = keys(known)
    assert second == keys(None)
    assert second["b.md"] != first["b.md"]
    assert ["a.md"] not in known.values()  # entries of old contents are dropped


def test_openapi_from_remembered_pieces_equals_a_full_dump() -> None:
    from generator.render.memo import RenderMemo
    from generator.render.openapi import dump_document
    from generator.render.openapi_dump import dump_openapi

    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "description": "ünïcode ✓"},
        "paths": {
            "/b": {"get": {"responses": {}, "tags": ["b"]}},
            "/a/{id}": {"post": {"parameters": [{"name": "id", "in": "path"}], "x": [[], {}]}},
        },
        "components": {
            "schemas": {"z": {"type": "object", "properties": {}}, "a": {"enum": [1, 2.5, None]}},
            "responses": {"error": {"description": "error"}},
        },
    }
    first = RenderMemo("salt")
    assert dump_openapi(doc, first) == dump_document(doc, "json")
    warm = RenderMemo("salt", first.current)
    assert dump_openapi(doc, warm) == dump_document(doc, "json")
    assert warm.reused == 1  # every piece reused: the file counts as reused
    doc["paths"]["/b"]["get"]["tags"] = ["b", '"\x00piece 0\x00"']  # looks like a placeholder
    edited = RenderMemo("salt", first.current)
    assert dump_openapi(doc, edited) == dump_document(doc, "json")
    assert edited.reused == 0
    assert sum(edited.current[p] == first.current.get(p) for p in edited.current) == 3
    doc["info"]["description"] = "\x00piece 1\x00"  # placeholder text outside the pieces
    assert dump_openapi(doc, RenderMemo("salt", first.current)) == dump_document(doc, "json")
