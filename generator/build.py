"""The build sequence, flat and in order: discover, parse, model, resolve, render, format, write.

Each stage lives in its own sub-package and imports only from the stages before it:
`parse` (markdown to blocks) -> `model` (blocks to a per-page IR) -> `resolve` (cross-page
links, inheritance, checks) -> `render` (IR to text via templates) -> `output` (format, write,
drift check). This module is the only place that calls them all.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.config import Config, ConfigError
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


def expected_files(cfg: Config) -> tuple[dict[str, str], Api]:
    """The complete output tree (path -> formatted text) the pages, templates and config produce.

    `generate` writes exactly this and `check` compares against exactly this.
    """
    from generator.output.format import format_files
    from generator.render.render import render_files

    if not cfg.specs.is_dir():
        raise ConfigError(f"specs folder {cfg.specs} does not exist")
    if cfg.templates is not None and not cfg.templates.is_dir():
        raise ConfigError(f"templates folder {cfg.templates} does not exist")
    api = load_api([cfg.specs], jobs=cfg.jobs)
    rendered = render_files(api, cfg.package, cfg.templates)
    files = format_files({path: r.text for path, r in rendered.items()}, cfg.formatter, cfg.jobs)
    return files, api


def check(cfg: Config, show_diff: bool = True, quiet: bool = False, verbose: bool = False) -> int:
    """Exit 0 when `cfg.out` is exactly `expected_files(cfg)`, 1 (with a listing) when not."""
    from generator.output.drift import compare_tree
    from generator.output.lock import OutputBusy

    files, api = expected_files(cfg)
    if verbose:
        for d in api.diagnostics:
            print(d.format(), file=sys.stderr)
    try:
        report = compare_tree(cfg.out, files)
    except OutputBusy as exc:
        raise ConfigError(str(exc)) from exc
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{cfg.out}: cannot read: {exc}") from exc
    label = cfg.out.as_posix()
    if report.clean:
        if not quiet:
            print(f"{label}: up to date ({len(files)} files)")
        return 0
    print("\n".join(report.listing(label)))
    if show_diff and not quiet and report.changed:
        print("\n".join(report.diff(label)))
    counts = f"{len(report.missing)} missing, {len(report.changed)} changed, {len(report.extra)} extra"
    print(f"{label} is stale ({counts}); run `doc2code generate`", file=sys.stderr)
    return 1
