"""The build sequence, flat and in order: discover, parse, model, resolve, render, format, write.

Each stage lives in its own sub-package and imports only from the stages before it:
`parse` (markdown to blocks) -> `model` (blocks to a per-page IR) -> `resolve` (cross-page
links, inheritance, checks) -> `render` (IR to text via templates) -> `output` (format, write,
drift check). This module is the only place that calls them all.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config import Config, ConfigError
from generator.diagnostics import Diagnostic, Severity, make, sort_key
from generator.model.ir import Api
from generator.output.cache import Cache
from generator.output.progress import Progress
from generator.summary import exit_code, summary_line, threshold

if TYPE_CHECKING:
    from generator.output.format import FormatStream

RENDERED = "rendered"  # cache records (shards): path -> (render key, text)
FORMATTED = "formatted"  # shards: path -> (format key, formatted text)
OPENAPI = "openapi"  # shards: openapi.json piece -> (render key, text)


def load_api(paths: list[Path], jobs: int = 0, includes: tuple[Path, ...] = ()) -> Api:
    """Read every page under `paths` and resolve them into one Api (never raises on bad input).
    `includes`: further folders `[!INCLUDE]` may read (the `includes` configuration key)."""
    from generator.model.build import gc_paused, read_pages
    from generator.parse.discover import discover
    from generator.resolve.resolve import resolve

    found = discover(paths, includes)
    with gc_paused():  # the pages and the Api only grow: see gc_paused
        return resolve(read_pages(found, jobs=jobs))


@dataclass
class Output:
    """Everything one generation produces: the formatted tree and what was found on the way."""

    files: dict[str, str]  # output-relative path -> text, formatted
    api: Api  # empty when nothing had to be parsed (a no-change run)
    diagnostics: list[Diagnostic]  # sorted: the pages', then rendering's and formatting's
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    pages: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # pages parsed, files formatted/reused


def build_output(cfg: Config, progress: Progress | None = None, use_cache: bool = True) -> Output:
    """Load, render (package + `openapi.json`) and format: the tree `generate` writes.

    The answer depends on the pages, templates, configuration and tool alone. Speed-ups come
    only from the user's cache (see generator.output.cache), never from the checkout: a run
    whose inputs were seen before only hashes the output files against the signed record of
    that run (any difference: the full path below); otherwise only changed pages are parsed,
    only files whose template inputs changed are rendered (generator.render.memo) and only
    files whose rendered text changed are formatted. `use_cache=False`: no cache at all.
    """
    from generator.output.cache import RunRecord
    from generator.output.fingerprint import file_digests, input_key
    from generator.output.manifest import digest
    from generator.output.reuse import ReusingFormatter, unchanged_tree

    if not cfg.specs.is_dir():
        raise ConfigError(f"specs folder {cfg.specs} does not exist")
    if cfg.templates is not None and not cfg.templates.is_dir():
        raise ConfigError(f"templates folder {cfg.templates} does not exist")
    progress = progress or Progress(enabled=False)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    cache = Cache.open(cfg.root, cfg.out, enabled=use_cache)
    stats = cache.load_stats(cfg.specs)
    before = dict(stats)
    digests = file_digests(cfg.specs, known=stats if cache.enabled else None)
    if cache.enabled and stats != before:
        cache.save_stats(cfg.specs, stats)
    for folder in cfg.includes:  # the `includes` folders are inputs too: an edit re-parses every page
        digests |= {f"\x00includes/{i}/{k}": v for k, v in file_digests(folder).items() for i in [cfg.includes.index(folder)]}
    key = input_key(cfg, digests)
    record = cache.load_run(key)
    known = unchanged_tree(cfg.out, record.files) if record else None
    timings["hash"] = time.perf_counter() - start
    if record is not None and known is not None:
        counts = {"parsed": 0, "formatted": 0, "reused": len(known)}
        return Output(known, Api(), record.diagnostic_values(), timings, record.pages, counts)
    from generator.model.build import gc_paused
    from generator.output.background import Background
    from generator.output.fingerprint import folder_digest, tool_digest
    from generator.output.format import FormatStream
    from generator.render import render
    from generator.render.memo import RenderMemo

    # the formatter's workers start now, while the process is small, and import black while
    # the pages are read; files go to them as they are rendered
    stream = FormatStream(cfg.formatter, cfg.jobs).start()
    openapi: Background[tuple[str, int]] | None = None
    frozen = False
    try:
        start = time.perf_counter()
        # The cycle collector is paused while the pages are loaded and the package rendered (plain
        # data and views that only grow: see gc_paused), and what they made is frozen (kept out
        # of its walks) before it resumes: all of it lives to the end of the run, and each full
        # collection would walk millions of objects again for nothing (~1 s per edit run).
        with gc_paused():
            api, parsed = _load_api_cached(cfg, digests, cache, progress)
            frozen = _freeze()
        timings["load"] = time.perf_counter() - start
        start = time.perf_counter()
        salt = f"{tool_digest()} {folder_digest(cfg.templates)}"
        # openapi.json on a second core (a forked child) while the package renders
        openapi = Background(partial(_openapi, api, cache, salt), enabled=cfg.jobs != 1)
        memo = RenderMemo(salt, cache.load_pairs(RENDERED))
        reuser = ReusingFormatter(cfg.formatter, cache.load_pairs(FORMATTED), stream.add)
        with gc_paused():
            rendered = render(api, cfg.package, cfg.templates, memo, sink=reuser.add)
            gc.freeze()
        text, reused = openapi.result()
        memo.reused += reused
        reuser.add("openapi.json", text)
        if cache.enabled and memo.current != memo.previous:
            cache.save_pairs(RENDERED, memo.current)
        timings["render"] = time.perf_counter() - start
        start = time.perf_counter()
        formatted = reuser.finish(lambda todo: _finish_format(stream, todo, progress))
    finally:
        if frozen:
            _unfreeze()
        if openapi is not None:
            openapi.close()
        stream.close()
    if cache.enabled and formatted.entries != reuser.known:
        cache.save_pairs(FORMATTED, formatted.entries)
    timings["format"] = time.perf_counter() - start
    problems = [make(path, 0, "D902", f"{cfg.formatter}: {error}") for path, error in formatted.problems]
    diagnostics = sorted(set(api.diagnostics + rendered.diagnostics + problems), key=sort_key)
    if cache.enabled:
        shas = {path: digest(text.encode("utf-8")) for path, text in formatted.files.items()}
        cache.save_run(key, RunRecord(shas, [d.to_json() for d in diagnostics], len(api.pages)))
    counts = {"parsed": parsed, "rendered": len(formatted.files) - memo.reused}
    counts |= {"formatted": formatted.formatted, "reused": formatted.reused}
    return Output(formatted.files, api, diagnostics, timings, len(api.pages), counts)


_held = 0  # > 0 inside `_frozen_run`: objects frozen by `build_output` stay so until it ends
_left_frozen = False  # a command ended with its objects still frozen (see `_frozen_run`)


def _freeze() -> bool:
    _release_last_run()
    gc.freeze()
    return True


def _unfreeze() -> None:
    if not _held:
        gc.unfreeze()


def _release_last_run() -> None:
    """Give what an earlier command left frozen back to the collector, and collect it (else the
    next freeze would keep its garbage for good): only in a process that runs several."""
    global _left_frozen
    if _left_frozen:
        _left_frozen = False
        gc.unfreeze()
        gc.collect()


@contextmanager
def _frozen_run() -> Iterator[None]:
    """A command run (`generate`, `check`): what `build_output` freezes stays frozen until the
    command has written or compared the tree (its last allocations would otherwise trigger a
    full collection over the whole Api), and after: the Api holds cycles, so only the collector
    frees it, and at exit it would walk ~600,000 objects (~0.4 s on 2,460 pages) for memory
    the process is about to give back anyway. A later command in the same process releases
    them first (`_release_last_run`)."""
    global _held, _left_frozen
    _held += 1
    try:
        yield
    finally:
        _held -= 1
        if not _held:
            _left_frozen = True


def _load_api_cached(cfg: Config, digests: dict[str, str], cache: Cache, progress: Progress) -> tuple[Api, int]:
    """`load_api` for the specs folder, parsing only pages the cache lacks; and how many it parsed."""
    from generator.model.build import gc_paused, read_pages
    from generator.output.pagecache import cached_pages, page_keys
    from generator.parse.discover import discover
    from generator.resolve.resolve import resolve

    found = discover([cfg.specs], cfg.includes)
    includes = cache.load_includes()
    before = dict(includes)
    keys = page_keys(found, cfg.specs, digests, includes)
    if includes != before:
        cache.save_includes(includes)
    pages, parsed = cached_pages(
        found, keys, cache, lambda todo: progress.map("parsing", todo, lambda b: read_pages(b, jobs=cfg.jobs))
    )
    with gc_paused():
        return resolve(pages), parsed


def _openapi(api: Api, cache: Cache, salt: str) -> tuple[str, int]:
    """`openapi.json`'s text, and 1 when it was reused whole; its pieces are remembered in a
    map of their own (`OPENAPI`, see generator.render.openapi_dump), so the child process that
    runs this reads and writes them itself."""
    from generator.render.memo import RenderMemo
    from generator.render.openapi import build_document
    from generator.render.openapi_dump import dump_openapi

    memo = RenderMemo(salt, cache.load_pairs(OPENAPI))
    text = dump_openapi(build_document(api), memo)
    if cache.enabled and memo.current != memo.previous:
        cache.save_pairs(OPENAPI, memo.current)
    return text, memo.reused


def _finish_format(
    stream: FormatStream, todo: dict[str, str], progress: Progress
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The formatted text of `todo` (every file the cache lacked, already added to `stream`)."""
    with progress.counter("formatting", len(todo)) as advance:
        result = stream.finish(advance)
    return {path: result.files[path] for path in todo}, result.problems


def generate(cfg: Config, quiet: bool = False, verbose: bool = False) -> int:
    """Regenerate `cfg.out`; exit 0 unless diagnostics reach `cfg.fail_on` (1)."""
    from generator.output.lock import OutputBusy
    from generator.output.write import write_tree

    with _frozen_run():
        out = build_output(cfg, Progress.for_terminal(quiet))
        start = time.perf_counter()
        try:
            result = write_tree(cfg.out, out.files)
        except OutputBusy as exc:
            raise ConfigError(str(exc)) from exc
        except OSError as exc:
            raise ConfigError(f"{cfg.out}: cannot write: {exc}") from exc
    if not result.ok:
        raise ConfigError(f"{cfg.out}: nothing written:\n" + "\n".join(result.errors))
    out.timings["write"] = time.perf_counter() - start
    shown = Severity.INFO if verbose else Severity.ERROR if quiet else Severity.WARNING
    for d in out.diagnostics:
        if d.severity >= shown:
            print(d.format())
    summary = summary_line(out.diagnostics, out.pages)
    print(
        f"{summary}; {cfg.out.as_posix()}: {len(out.files)} files, {len(result.written)} written, "
        f"{len(result.removed)} removed"
    )
    if verbose:
        print(_stages(out), file=sys.stderr)
    label = cfg.out.as_posix()
    for path in result.strays:
        print(
            f"stray: {label}/{path}: not written by doc2code, so never removed by it; delete it "
            "(`doc2code check` fails while it is there)",
            file=sys.stderr,
        )
    code = exit_code(out.diagnostics, threshold(cfg.fail_on))
    return max(code, 1) if result.strays else code


def _stages(out: Output) -> str:
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in out.timings.items())
    counts = out.counts
    return (
        f"stages: {stages}; parsed {counts.get('parsed', 0)} of {out.pages} pages, formatted "
        f"{counts.get('formatted', 0)} files, reused {counts.get('reused', 0)}; rendered "
        f"{counts.get('rendered', 0)} of {len(out.files)} files"
    )


def expected_files(cfg: Config) -> tuple[dict[str, str], Api]:
    """The complete output tree (path -> formatted text) the pages, templates and config produce.

    `generate` writes exactly this and `check` compares against exactly this.
    """
    out = build_output(cfg)
    return out.files, out.api


def check(
    cfg: Config, show_diff: bool = True, quiet: bool = False, verbose: bool = False, use_cache: bool = True
) -> int:
    """Exit 0 when `cfg.out` holds exactly what `build_output(cfg)` makes (every file byte for
    byte, its manifest, nothing else), 1 (listing the differences) when not.

    Writes nothing to the output folder (the user cache may be updated, unless `use_cache` is
    false). Nothing in the checkout is taken as proof: without a cache it does the full work.
    """
    from generator.output.drift import compare_tree
    from generator.output.lock import OutputBusy

    with _frozen_run():
        out = build_output(cfg, Progress.for_terminal(quiet), use_cache=use_cache)
        if verbose:
            for d in out.diagnostics:
                print(d.format(), file=sys.stderr)
            print(_stages(out), file=sys.stderr)
        try:
            report = compare_tree(cfg.out, out.files)
        except OutputBusy as exc:
            raise ConfigError(str(exc)) from exc
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{cfg.out}: cannot read: {exc}") from exc
    label = cfg.out.as_posix()
    if report.clean:
        if not quiet:
            print(f"{label}: up to date ({len(out.files)} files)")
        return 0
    print("\n".join(report.listing(label)))
    if show_diff and not quiet and report.changed:
        print("\n".join(report.diff(label)))
    counts = f"{len(report.missing)} missing, {len(report.changed)} changed, {len(report.extra)} extra"
    advice = "run `doc2code generate`" + (
        " and delete the extra files (doc2code never removes files it did not write)"
        if report.extra
        else ""
    )
    print(f"{label} is stale ({counts}); {advice}", file=sys.stderr)
    return 1
