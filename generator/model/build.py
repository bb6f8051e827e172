"""Pages to per-page IR (`ir.Page`), in parallel, one page's failure contained to that page."""

from __future__ import annotations

import contextlib
import gc
import os
import re
import stat
import traceback
from collections.abc import Iterator
from pathlib import Path

from generator.diagnostics import Diagnostic, make
from generator.model import multiop, tables
from generator.model.examples import read_examples
from generator.model.ir import Operation, Page
from generator.model.operation import read_operation
from generator.model.prose import TODO
from generator.model.resource import method_links, read_types
from generator.model.sections import PageLayout, Placed, layout
from generator.parse.discover import PageFile, inside
from generator.parse.inline import plain
from generator.parse.page import RESOLVES_TO, parse_page

API, RESOURCE, ENUM = "apiPageType", "resourcePageType", "enumPageType"
KNOWN_KINDS = frozenset({API, RESOURCE, ENUM, "conceptualPageType"})
_NAMESPACE = re.compile(r"^namespace:\s*([\w.]+)", re.IGNORECASE)
_PARALLEL_FROM = 64  # below this many pages, worker start-up costs more than it saves
_BATCH = 32  # pages per batch handed to a worker or read by the calling process


def build_page(data: bytes, path: str, root: object = None, includes: tuple[Path, ...] = ()) -> Page:
    """One page to its IR; an internal error becomes a D901 diagnostic, never an exception."""
    try:
        return _build(data, path, root, includes)
    except Exception as exc:  # noqa: BLE001 - the contract: no traceback reaches the user
        where = traceback.extract_tb(exc.__traceback__)[-1]
        detail = f"{type(exc).__name__}: {exc} (at {os.path.basename(where.filename)}:{where.lineno})"
        return Page(path, diagnostics=[make(path, 1, "D901", f"internal error: {detail}")])


def _build(data: bytes, path: str, root: object, includes: tuple[Path, ...] = ()) -> Page:
    parsed = parse_page(data, path, root, includes)  # type: ignore[arg-type]
    diags: list[Diagnostic] = list(parsed.diagnostics)
    lay = layout(parsed.blocks, path, diags)
    fm = parsed.front_matter
    page = Page(path, front_matter=fm)
    page.title = str(fm.get("title") or lay.title or "")
    page.description = str(fm.get("description") or "")
    if not lay.title:
        diags.append(make(path, 1, "D105", "page has no `# title` heading"))
    for block in lay.intro:
        match = _NAMESPACE.match(plain(block.text))
        if match and match.group(1).lower() != "microsoft.graph":
            page.namespace = match.group(1)
    declared = str(fm.get("doc_type", "")).strip().rstrip("_")
    page.doc_type = _page_kind(declared, lay, path, diags)
    todo = TODO.search(parsed.text) if "TODO" in parsed.text else None
    if todo is not None:
        line = parsed.text.count("\n", 0, todo.start()) + 1
        diags.append(make(path, line, "D106", "page holds TODO placeholder text"))
    by_content = declared not in KNOWN_KINDS
    if page.doc_type == API or (by_content and _has_requests(lay)):
        page.operations.extend(_operations(lay, path, plain(lay.title or page.title), page.description, diags))
    if page.doc_type in (RESOURCE, ENUM) or (by_content and _has_type(lay, page.doc_type != API)):
        kind = page.doc_type if page.doc_type in (RESOURCE, ENUM) else RESOURCE
        page.types = read_types(lay, path, kind, page.namespace, diags)
        page.links = method_links(lay, path)
    if by_content:  # the kind the content showed: operations first (an API page may define a body type)
        page.doc_type = API if page.operations else page.doc_type if page.types and page.doc_type == ENUM else RESOURCE if page.types else page.doc_type
    page.diagnostics = diags
    return page


def _operations(lay: PageLayout, path: str, title: str, description: str, diags: list[Diagnostic]) -> list[Operation]:
    """The page's operation, or one per section on a page that documents several."""
    parts = multiop.split(lay)
    if parts is None:
        return [read_operation(lay, path, title, description, diags)]
    ops = [read_operation(part.layout, path, plain(part.title), description, diags) for part in parts.parts]
    stated = [op for op, part in zip(ops, parts.parts, strict=True) if part.syntax]
    for op, part in zip(list(ops), parts.parts, strict=True):
        # A section that only shows an example of an operation stated elsewhere on the page
        # ("### Request" under "## Properties") is that operation's example, not an operation.
        requests = [e.request for e in op.examples if e.request is not None]
        owner = next((o for o in stated if requests and all(any(multiop.calls(t.template, r.path) and o.method == r.method.upper() for t in o.paths) for r in requests)), None)
        if owner is None and not part.syntax:  # `root:/{item-path}:/x` for `items/{id}/x`: path addressing, same method and last segment
            same = [o for o in stated if requests and all(":" in r.path and o.method == r.method.upper() and any(multiop.last_segment(t.template) == multiop.last_segment(r.path) for t in o.paths) for r in requests)]
            owner = same[0] if len(same) == 1 else None
        if not part.syntax and owner is not None and owner is not op:
            owner.examples.extend(op.examples)
            ops.remove(op)
    for group in parts.opaque:  # an upload URL's calls belong to the operation that hands it out
        ops[0].examples.extend(read_examples(PageLayout(lay.title, lay.title_line, [], group), path, diags))
    leftover: list[Placed] = []
    for group in parts.shared_requests:
        examples = read_examples(PageLayout(lay.title, lay.title_line, [], group), path, diags)
        request = examples[0].request if examples else None
        owner = next((op for op in ops for t in op.paths if request is not None and multiop.calls(t.template, request.path)), None)
        if owner is None:
            leftover.extend(group)
        else:
            owner.examples.extend(examples)
    if leftover:
        blocks = sorted(parts.shared + leftover, key=lambda p: (p.block.line, p.block.path))
        ops.append(read_operation(PageLayout(lay.title, lay.title_line, lay.intro, blocks), path, title, description, diags))
    for op in list(ops):  # `/sites/{hostname}:/{path}` addresses `/sites/{site-id}` by path: one operation
        owner = next((o for o in ops if o is not op and not op.examples and multiop.path_addressing_of(op, o)), None)
        if owner is not None:
            owner.paths.extend(op.paths)
            owner.path_params.extend(p for p in op.path_params if p.name not in {q.name for q in owner.path_params})
            ops.remove(op)
    for op in ops:  # a section without an example answers like the page's other ones of its method
        model = next((o for o in ops if o.method == op.method and o.response_status is not None), None)
        if model is not None and op.response_status is None and op.response_type is None:
            op.response_status, op.response_type, op.response_collection = model.response_status, model.response_type, model.response_collection
            op.response_statuses = list(model.response_statuses)
    return ops


def _has_requests(lay: PageLayout) -> bool:
    """A request annotation, or an HTTP request block under a request or example heading."""
    for placed in lay.placed:
        if multiop.is_request_block(placed):
            kind = str((placed.annotation or {}).get("blockType", "")).lower()
            heading = f"{placed.section} {placed.subsection}"
            if kind == "request" or "request" in heading or "example" in heading or "syntax" in heading:
                return True
    return False


def _has_type(lay: PageLayout, tables_count: bool) -> bool:
    """A resource annotation, or (`tables_count`) a properties, relationships or members table."""
    for placed in lay.placed:
        if str((placed.annotation or {}).get("blockType", "")).lower() == "resource":
            return True
        if tables_count and placed.block.kind == "table":
            columns = tables.classify(placed.block.header, placed.section, placed.subsection)
            if columns is not None and columns.kind in (tables.PROPERTIES, tables.RELATIONSHIPS, tables.MEMBERS):
                return True
    return False


def _page_kind(cleaned: str, lay: object, path: str, diags: list[Diagnostic]) -> str:
    if cleaned in KNOWN_KINDS:
        return cleaned
    sections = {p.section for p in lay.placed}  # type: ignore[attr-defined]
    if any(s.startswith("http request") for s in sections):
        kind = API
    elif sections & {"properties", "json representation", "relationships"}:
        kind = RESOURCE
    elif "members" in sections or any(p.block.kind == "table" and p.block.header[:1] == ["Member"] for p in lay.placed):  # type: ignore[attr-defined]
        kind = ENUM
    else:
        kind = "conceptualPageType"
    if cleaned:  # a misspelt doc_type is a defect; a page without one is simply read by content
        diags.append(make(path, 1, "D109", f"page kind inferred as {kind} (doc_type {cleaned!r} is not known)"))
    return kind


def _read_one(item: PageFile, roots: dict[Path, Path | None] | None = None, folders: dict[tuple[Path, Path], bool] | None = None) -> Page:
    """One page file; `roots`: the resolved specs folders of this batch, `folders`: whether each
    folder of its pages lies inside its specs folder (`inside`), both filled as they come."""
    resolved = None
    if roots is not None:
        if item.root not in roots:
            try:
                roots[item.root] = item.root.resolve()
            except (OSError, RuntimeError, ValueError):
                roots[item.root] = None  # `inside` says why not, page by page
        resolved = roots[item.root]
    if not _inside(item, resolved, folders):  # a symlink to somewhere else: never opened
        return Page(item.rel, diagnostics=[make(item.rel, 1, "D111", "page is a link to a file outside the specs folder; not read")])
    try:
        data = item.file.read_bytes()
    except OSError as exc:
        return Page(item.rel, diagnostics=[make(item.rel, 1, "D108", f"cannot read page: {exc.strerror}")])
    return build_page(data, item.rel, item.root, item.includes)


def _inside(item: PageFile, resolved: Path | None, folders: dict[tuple[Path, Path], bool] | None) -> bool:
    """`inside(item.root, item.file)`. A regular file that is no symlink lies where its folder
    does: one `lstat` per page and one `inside` per folder instead of resolving every page's
    path (a symlink, or a page that cannot be looked at, is resolved by `inside` itself)."""
    if folders is not None:
        try:
            mode = os.lstat(item.file).st_mode
        except (OSError, ValueError):
            mode = 0
        if stat.S_ISREG(mode):
            key = (item.root, item.file.parent)
            known = folders.get(key)
            if known is None:
                known = folders[key] = inside(item.root, item.file.parent, resolved)
            return known
    return inside(item.root, item.file, resolved)


def once_per_include(diags: list[Diagnostic]) -> list[Diagnostic]:
    """A refused include (D111) reported once per target, at its first page, with the number
    of pages that include it, instead of once per page (a shared disclaimer is on hundreds)."""
    refused: dict[str, list[Diagnostic]] = {}
    rest: list[Diagnostic] = []
    for d in diags:
        if d.code == "D111" and d.message.startswith("included file `"):
            # grouped by the location the target resolves to: pages in different folders spell it differently
            refused.setdefault(d.message.rsplit(RESOLVES_TO, 1)[-1], []).append(d)
        else:
            rest.append(d)
    for found in refused.values():
        first = min(found, key=lambda d: (d.path, d.line))
        pages = len({d.path for d in found})
        rest.append(make(first.path, first.line, "D111", f"{first.message} (included by {pages} page{'s' if pages != 1 else ''})"))
    return rest


def read_pages(files: list[PageFile], jobs: int = 0) -> list[Page]:
    """Every page, in the order given; spread over worker processes when there are many.

    The pages are cut into batches of consecutive files (`_BATCH` pages). Workers take batches
    from the front; the calling process takes them from the back, each one a worker has not
    started yet (the pool's queued batch is cancelled and read here instead), until the two
    meet. So whichever side a busy machine gives less CPU reads fewer pages, and the calling
    process never idles while a worker still has several batches queued. Results that workers
    send back must be pickled and unpickled, which costs about a quarter of reading them: pages
    the calling process reads itself cost nothing of that.
    """
    workers = jobs or os.cpu_count() or 1
    if workers <= 1 or len(files) < _PARALLEL_FROM:
        return _read_many(files)
    from concurrent.futures import ProcessPoolExecutor  # only here: a tenth of a run's imports

    batches = [files[i : i + _BATCH] for i in range(0, len(files), _BATCH)]
    results: list[list[Page] | None] = [None] * len(batches)
    with ProcessPoolExecutor(max_workers=workers - 1) as pool:
        futures = [pool.submit(_read_many, batch) for batch in batches]
        for i in range(len(batches) - 1, -1, -1):  # from the back, while no worker has started it
            if not futures[i].cancel():
                break
            results[i] = _read_many(batches[i])
        with gc_paused():  # unpickling builds as many objects as reading did
            for i, future in enumerate(futures):
                if results[i] is None:
                    results[i] = future.result()
    return [page for result in results for page in result or ()]


def _read_many(files: list[PageFile]) -> list[Page]:
    roots: dict[Path, Path | None] = {}
    folders: dict[tuple[Path, Path], bool] = {}
    with gc_paused():
        return [_read_one(f, roots, folders) for f in files]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector off while pages are read: their IR is acyclic and only grows, so
    each full collection would walk every page read so far for nothing (8-10% of `doc2code ir`'s
    CPU time on 2,460 pages; peak memory +8%). Restored afterwards, nested uses included."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
