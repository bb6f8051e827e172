"""One function per CLI command: read arguments, run the build sequence, print, exit code."""

from __future__ import annotations

import argparse
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
    # `generator.build.load_api`, without importing what only generation needs (caches, hashing)
    from generator.model.build import gc_paused, read_pages
    from generator.parse.discover import discover
    from generator.resolve.export import export_ir
    from generator.resolve.resolve import resolve

    cfg = _config(args)
    found = discover(_paths(args, cfg), cfg.includes)
    with gc_paused():
        api = resolve(read_pages(found, jobs=cfg.jobs))
    with gc_paused():  # the export is a tree of new dicts and lists, no cycles
        text = json.dumps(export_ir(api), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    _write_text(text + "\n", args.output)
    return 0


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
