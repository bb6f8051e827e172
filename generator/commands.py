"""One function per CLI command: read arguments, run the build sequence, print, exit code."""

from __future__ import annotations

import argparse
import gc
import json
import sys
from pathlib import Path

from generator import config as config_mod
from generator.diagnostics import CODES
from generator.summary import exit_code, summary_line, threshold


def _config(args: argparse.Namespace) -> config_mod.Config:
    keys = ("specs", "out", "package", "templates", "formatter", "jobs", "fail_on", "includes")
    return config_mod.load({k: getattr(args, k, None) for k in keys})


def _paths(args: argparse.Namespace, cfg: config_mod.Config) -> list[Path]:
    paths = [Path(p) for p in args.paths] or [cfg.specs]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise config_mod.ConfigError(f"no such file or folder: {', '.join(missing)}")
    return paths


def _write_text(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def cmd_ir(args: argparse.Namespace) -> int:
    cfg = _config(args)
    paths = _paths(args, cfg)
    try:
        _write_text(_ir_text(paths, cfg), args.output)
    finally:
        gc.unfreeze()  # the IR is gone by now; in a longer-lived process (tests), collected as usual
    return 0


def _ir_text(paths: list[Path], cfg: config_mod.Config) -> str:
    """The IR JSON of the pages under `paths`, newline-terminated; the objects made on the way
    are left frozen (`gc.freeze`) for the caller to unfreeze once they are gone."""
    # `generator.build.load_api`, without importing what only generation needs (caches, hashing)
    from generator.model.build import gc_paused, read_pages
    from generator.parse.discover import discover
    from generator.resolve.export import export_ir
    from generator.resolve.resolve import resolve

    found = discover(paths, cfg.includes)
    with gc_paused():  # pages, their IR and its export: trees of new objects, no cycles
        api = resolve(read_pages(found, jobs=cfg.jobs))
        text = json.dumps(export_ir(api), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        # The collector would only walk every object made above once more (a tenth of a second
        # on v1.0) to find no cycle; they are freed as usual when their last reference goes.
        gc.freeze()
    return text + "\n"


def cmd_lint(args: argparse.Namespace) -> int:
    if args.list_codes:
        for code, (severity, text) in sorted(CODES.items()):
            print(f"{code}\t{severity}\t{text}")
        return 0
    from generator.build import load_api

    cfg = _config(args)
    api = load_api(_paths(args, cfg), jobs=cfg.jobs, includes=cfg.includes)
    diags = api.diagnostics
    if args.format == "json":
        print(json.dumps([d.to_json() for d in diags], indent=1, ensure_ascii=False))
    else:
        for d in diags:
            print(d.format())
        print(summary_line(diags, len(api.pages)))
    return exit_code(diags, threshold(args.fail_on))


def cmd_generate(args: argparse.Namespace) -> int:
    from generator.build import generate

    return generate(_config(args), quiet=args.quiet, verbose=args.verbose)


def cmd_check(args: argparse.Namespace) -> int:
    from generator.build import check

    cfg = _config(args)
    return check(cfg, show_diff=args.diff, quiet=args.quiet, verbose=args.verbose, use_cache=not args.no_cache)


def cmd_openapi(args: argparse.Namespace) -> int:
    from generator.build import load_api
    from generator.render.openapi import build_document, dump_document

    cfg = _config(args)
    api = load_api(_paths(args, cfg), jobs=cfg.jobs, includes=cfg.includes)
    _write_text(dump_document(build_document(api), args.format), args.output)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from generator.serve import serve

    cfg = _config(args)
    return serve(cfg, host=args.host, port=args.port)
