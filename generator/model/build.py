"""Pages to per-page IR (`ir.Page`), in parallel, one page's failure contained to that page."""

from __future__ import annotations

import os
import re
import traceback
from concurrent.futures import ProcessPoolExecutor

from generator.diagnostics import Diagnostic, make
from generator.model.ir import Page
from generator.model.operation import read_operation
from generator.model.prose import TODO
from generator.model.resource import method_links, read_types
from generator.model.sections import layout
from generator.parse.discover import PageFile, inside
from generator.parse.inline import plain
from generator.parse.page import parse_page

API, RESOURCE, ENUM = "apiPageType", "resourcePageType", "enumPageType"
_NAMESPACE = re.compile(r"^namespace:\s*([\w.]+)", re.IGNORECASE)
_PARALLEL_FROM = 64  # below this many pages, worker start-up costs more than it saves


def build_page(data: bytes, path: str, root: object = None) -> Page:
    """One page to its IR; an internal error becomes a D901 diagnostic, never an exception."""
    try:
        return _build(data, path, root)
    except Exception as exc:  # noqa: BLE001 - the contract: no traceback reaches the user
        where = traceback.extract_tb(exc.__traceback__)[-1]
        detail = f"{type(exc).__name__}: {exc} (at {os.path.basename(where.filename)}:{where.lineno})"
        return Page(path, diagnostics=[make(path, 1, "D901", f"internal error: {detail}")])


def _build(data: bytes, path: str, root: object) -> Page:
    parsed = parse_page(data, path, root)  # type: ignore[arg-type]
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
    page.doc_type = _page_kind(str(fm.get("doc_type", "")).strip(), lay, path, diags)
    todo = TODO.search(parsed.text) if "TODO" in parsed.text else None
    if todo is not None:
        line = parsed.text.count("\n", 0, todo.start()) + 1
        diags.append(make(path, line, "D106", "page holds TODO placeholder text"))
    if page.doc_type == API:
        title = lay.title or page.title
        page.operations.append(read_operation(lay, path, plain(title), page.description, diags))
    elif page.doc_type in (RESOURCE, ENUM):
        page.types = read_types(lay, path, page.doc_type, page.namespace, diags)
        page.links = method_links(lay, path)
    page.diagnostics = diags
    return page


def _page_kind(doc_type: str, lay: object, path: str, diags: list[Diagnostic]) -> str:
    cleaned = doc_type.rstrip("_")
    if cleaned in (API, RESOURCE, ENUM, "conceptualPageType"):
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
    diags.append(make(path, 1, "D109", f"page kind inferred as {kind} (doc_type {doc_type or 'missing'!r})"))
    return kind


def _read_one(item: PageFile) -> Page:
    if not inside(item.root, item.file):  # a symlink to somewhere else: never opened
        return Page(item.rel, diagnostics=[make(item.rel, 1, "D111", "page is a link to a file outside the specs folder; not read")])
    try:
        data = item.file.read_bytes()
    except OSError as exc:
        return Page(item.rel, diagnostics=[make(item.rel, 1, "D108", f"cannot read page: {exc.strerror}")])
    return build_page(data, item.rel, item.root)


def read_pages(files: list[PageFile], jobs: int = 0) -> list[Page]:
    """Every page, in the order given; spread over worker processes when there are many.

    The calling process takes a share itself instead of idling: results that workers send
    back must be pickled and unpickled, which costs about a quarter of reading them.
    """
    workers = jobs or os.cpu_count() or 1
    if workers <= 1 or len(files) < _PARALLEL_FROM:
        return [_read_one(f) for f in files]
    shares = [files[i::workers] for i in range(workers)]  # interleaved: similar sizes
    with ProcessPoolExecutor(max_workers=workers - 1) as pool:
        futures = [pool.submit(_read_many, share) for share in shares[1:]]
        results = [_read_many(shares[0])] + [f.result() for f in futures]
    by_path = {page.path: page for result in results for page in result}
    return [by_path[f.rel] for f in files]


def _read_many(files: list[PageFile]) -> list[Page]:
    return [_read_one(f) for f in files]
