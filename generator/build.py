"""The build sequence, flat and in order: discover, parse, model, resolve, render, format, write.

Each stage lives in its own sub-package and imports only from the stages before it:
`parse` (markdown to blocks) -> `model` (blocks to a per-page IR) -> `resolve` (cross-page
links, inheritance, checks) -> `render` (IR to text via templates) -> `output` (format, write,
drift check). This module is the only place that calls them all.
"""

from __future__ import annotations

from pathlib import Path

from generator.config import Config
from generator.model.ir import Api


def load_api(paths: list[Path], jobs: int = 0) -> Api:
    """Read every page under `paths` and resolve them into one Api (never raises on bad input)."""
    from generator.model.build import read_pages
    from generator.parse.discover import discover
    from generator.resolve.resolve import resolve

    found = discover(paths)
    pages = read_pages(found, jobs=jobs)
    return resolve(pages)


def generate(cfg: Config, quiet: bool = False, verbose: bool = False) -> int:
    raise NotImplementedError("owned by the generation issue")


def check(cfg: Config, show_diff: bool = True, quiet: bool = False, verbose: bool = False) -> int:
    raise NotImplementedError("owned by the drift-check issue")
