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


@pytest.fixture(autouse=True, scope="session")
def _private_user_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every doc2code run of the tests (and their subprocesses) caches in a temporary folder,
    never in the real user cache; `DOC2CODE_CACHE` from the caller's shell is ignored."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    os.environ.pop("DOC2CODE_CACHE", None)
