"""The whole Graph v1.0 corpus: every page read, no internal error, figures as floors."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import load_api
from generator.model.ir import Api

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def api(corpus_dir: Path) -> Api:
    return load_api([corpus_dir])


def test_every_page_read_without_internal_error(api: Api) -> None:
    assert len(api.pages) >= 2460
    assert [d for d in api.diagnostics if d.code == "D901"] == []


def test_request_blocks_give_method_and_path(api: Api) -> None:
    ops = [o for o in api.operations if o.source.path.startswith("api/")]
    with_path = [o for o in ops if o.method and o.paths]
    assert len(with_path) / len(ops) >= 0.99


def test_json_response_bodies_parsed(api: Api) -> None:
    responses = [e.response for o in api.operations for e in o.examples if e.response and e.response.body_raw.strip().startswith(("{", "["))]
    parsed = [r for r in responses if r.body is not None]
    assert len(responses) > 1000
    assert len(parsed) / len(responses) >= 0.97


def test_types_and_enums(api: Api) -> None:
    kinds = [t.kind for t in api.types.values()]
    assert kinds.count("entity") + kinds.count("complex") >= 700
    assert kinds.count("enum") >= 180
    assert kinds.count("placeholder") <= 20
    assert len(api.types["user"].properties) >= 50


def test_operation_ids_unique(api: Api) -> None:
    ids = [o.id for o in api.operations]
    assert len(ids) == len(set(ids))
