"""Reading a page whose JSON is not strict leaves nothing for the cycle collector: the page's
objects are freed as soon as the last reference goes (`doc2code ir` never needs a collection)."""

from __future__ import annotations

import gc
from collections.abc import Callable

from generator.model.build import build_page
from generator.parse.lenient_json import read_json

PAGE = """---
title: "Create widget"
doc_type: apiPageType
---
# Create widget

## HTTP request
<!-- { "blockType": "ignored" } -->
```http
POST /widgets
```

## Example
### Request
<!-- { "blockType": "request", "name": "create_widget" } -->
```http
POST https://graph.microsoft.com/v1.0/widgets
Content-type: application/json

{ "name": "a", // a comment
  "size": 1, }
```

### Response
<!-- { "blockType": "response", "@odata.type": "microsoft.graph.widget" } -->
```http
HTTP/1.1 201 Created
Content-type: application/json

{ "id": "1", "name": "a", ... }
```
"""


def _left_for_collector(read: Callable[[], object]) -> int:
    """Objects only the cycle collector would free after `read()`'s result is dropped (a first
    call warms up what is made once: compiled patterns, caches)."""
    read()
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        read()  # the result is dropped at once
        return gc.collect()
    finally:
        if was:
            gc.enable()


def test_tolerated_json_keeps_its_reason_and_line() -> None:
    reading = read_json('{\n  "a": 1,\n  "b": 2,\n}')
    assert reading.value == {"a": 1, "b": 2}
    assert reading.reason == "trailing comma"
    assert reading.line == 3


def test_page_with_tolerated_json_leaves_no_cycle() -> None:
    page = build_page(PAGE.encode(), "api/widget-create.md")
    example = page.operations[0].examples[0]
    assert example.request is not None and example.request.body == {"name": "a", "size": 1}
    assert _left_for_collector(lambda: build_page(PAGE.encode(), "api/widget-create.md")) == 0


def test_unreadable_json_leaves_no_cycle() -> None:
    assert read_json("{ not json at all").reason
    assert _left_for_collector(lambda: read_json("{ not json at all")) == 0


def test_reading_and_resolving_the_seeds_leaves_no_cycle() -> None:
    """The whole IR (pages, resolve, routes, export) is freed without the cycle collector: what
    lets `doc2code ir` keep it off for the run."""
    from pathlib import Path

    from generator.model.build import read_pages
    from generator.parse.discover import discover
    from generator.resolve.export import export_ir
    from generator.resolve.resolve import resolve

    specs = Path(__file__).resolve().parents[2] / "specs"

    def run() -> object:
        return export_ir(resolve(read_pages(discover([specs]), jobs=1)))

    assert _left_for_collector(run) == 0
