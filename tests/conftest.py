"""Shared test helpers: where the seeds and the real corpus live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
CORPUS = Path(os.environ.get("DOC2CODE_CORPUS", ROOT.parent / "shared" / "corpus" / "graph-v1.0"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not (CORPUS / "api").is_dir():
        pytest.skip(f"Graph v1.0 corpus not found at {CORPUS} (set DOC2CODE_CORPUS to its folder)")
    return CORPUS
