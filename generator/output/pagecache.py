"""Parse only the pages that changed: per-page IR from the cache, keyed by content.

Pages are stored as plain JSON data (see `ircodec`), decoded and validated only when used; a
page that does not decode is parsed again. A page's IR depends on its own bytes and on the files it includes. Included fragments are
not pages, so every page's key holds one hash over all non-page files under the specs folder
(editing a fragment re-parses every page: rare, and always right). A page that includes
another page - anywhere in its include chain - is keyed by the whole specs folder instead.
"""

from __future__ import annotations

import gc
import hashlib
import posixpath
import re
from collections.abc import Callable
from pathlib import Path

from generator.model.ir import Page
from generator.output.cache import Cache
from generator.output.fingerprint import combine, parser_digest
from generator.output.ircodec import Invalid, Unencodable, decode_page, encode_page
from generator.parse.discover import PageFile, inside

# The label may not run into the next `[!INCLUDE` (else a line of them is scanned once per start).
_INCLUDE = re.compile(rb"\[!INCLUDE\s*\[(?:[^\]!]|!(?!INCLUDE))*\]\(([^)\s]+)\)", re.IGNORECASE)


def _include_targets(root: Path, rel: str) -> tuple[str, list[str]] | None:
    """(sha256 of the bytes, the `[!INCLUDE]` targets as written) of a file in the specs folder."""
    if not inside(root, root / rel):
        return None  # a link out of the specs folder: not an input, never read
    try:
        data = (root / rel).read_bytes()
    except OSError:
        return None
    targets = [m.group(1).decode("utf-8", "replace").split("#")[0] for m in _INCLUDE.finditer(data)]
    return hashlib.sha256(data).hexdigest(), targets


def _includes_a_page(
    root: Path, rel: str, pages: set[str], sha: str, known: dict[str, list[str]]
) -> bool:
    """Whether `rel` includes a page. `known` (sha256 -> targets, updated) spares reading files
    seen before: targets depend on the bytes only; the folder confinement is checked again."""
    targets = known.get(sha)
    if targets is None:
        found = _include_targets(root, rel)
        if found is None:
            return False
        known[found[0]] = targets = found[1]
    here = posixpath.dirname(rel)
    hit = any(posixpath.normpath(posixpath.join(here, t)) in pages for t in targets)
    return hit and inside(root, root / rel)


def page_keys(
    found: list[PageFile],
    root: Path,
    digests: dict[str, str],
    known: dict[str, list[str]] | None = None,
) -> dict[str, str]:
    """Page path -> cache key. `digests` is `file_digests(root)`; `known`: see `_includes_a_page`
    (updated in place, kept to the current files' entries)."""
    pages = {f.rel for f in found}
    known = {} if known is None else known
    seen: dict[str, list[str]] = {}

    def includes_a_page(rel: str) -> bool:
        sha = digests.get(rel, "")
        result = _includes_a_page(root, rel, pages, sha, known)
        if sha in known:
            seen[sha] = known[sha]
        return result

    support = {rel: sha for rel, sha in digests.items() if rel not in pages}
    whole, fragments = combine(digests), combine(support)
    # every fragment looked at (no short cut), so that `known` keeps them all for the next run
    if [rel for rel in support if rel.endswith(".md") and includes_a_page(rel)]:
        fragments = whole  # a fragment includes a page: any page may depend on any page
    keys = {}
    for f in found:
        context = whole if includes_a_page(f.rel) else fragments
        text = f"{parser_digest()}\n{f.rel}\n{digests.get(f.rel, '')}\n{context}"
        keys[f.rel] = hashlib.sha256(text.encode()).hexdigest()
    known.clear()
    known.update(seen)
    return keys


def cached_pages(
    found: list[PageFile],
    keys: dict[str, str],
    cache: Cache,
    read: Callable[[list[PageFile]], list[Page]],
) -> tuple[list[Page], int]:
    """Every page in `found` order, reading only the ones the cache lacks; and how many it read."""
    stored = cache.load_shards(PAGES, lambda value: True) if cache.enabled else {}
    pages: dict[str, Page] = {}
    kept: dict[str, object] = {}
    enabled = gc.isenabled()
    gc.disable()  # decoding makes many objects and no cycles: the collector would only slow it
    try:
        for f in found:
            data = stored.get(keys[f.rel])
            if data is None:
                continue
            try:
                page = decode_page(data)
            except Invalid:
                continue  # a broken entry is a miss
            if page.path == f.rel:
                pages[f.rel] = page
                kept[keys[f.rel]] = data
    finally:
        if enabled:
            gc.enable()
    missing = [f for f in found if f.rel not in pages]
    fresh = read(missing) if missing else []
    for f, page in zip(missing, fresh, strict=True):
        pages[f.rel] = page
        try:
            kept[keys[f.rel]] = encode_page(page)
        except Unencodable:
            pass  # holds a value plain JSON cannot keep: parsed again next time
    if cache.enabled and (missing or len(stored) != len(kept)):
        cache.save_shards(PAGES, kept)
    return [pages[f.rel] for f in found], len(missing)


PAGES = "pages"  # shards pages/<nn>.json: cache key -> encoded page
