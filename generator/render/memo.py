"""Reuse of text rendered by an earlier run, keyed by exactly what the rendering reads.

A file's key is a hash of everything its template (or JSON dump) receives: the template name,
the header, the package and the view objects, pickled. Views are plain frozen dataclasses,
lists and str subclasses, so equal pickles mean equal inputs and, rendering being a pure
function of them, the same text. Pickles can differ for equal values (shared objects, set
order): that only costs a re-render, never a wrong file. What is not in the pickle (the
generator's code, the templates) goes into `salt`, which the caller derives from their hashes.

So after a page edit only the files whose views changed are rendered again: a model whose
type, base chain or field names changed, the groups of its operations, and package-level
files that list names (`models/__init__.py`, `client.py`, `server.py`) when a name changed.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Entry = tuple[str, str]  # (key, text)


def _pickled(value: Any) -> bytes:
    """`value` pickled without the memo ("fast" mode), so the bytes depend on values alone, not
    on which equal objects happen to be shared (a page parsed now and the same page read back
    from the cache share differently). Used only to hash, never unpickled."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # type: ignore[attr-defined]  # documented: disables the memo
    pickler.dump(value)
    return buffer.getvalue()


@dataclass
class RenderMemo:
    salt: str = ""
    previous: dict[str, Entry] = field(default_factory=dict)  # output path -> last run's entry
    current: dict[str, Entry] = field(default_factory=dict)  # this run's, for the next one
    reused: int = 0
    # id -> (object, digest): views shared by several files (a group feeds its operations and
    # handlers modules, client.py and server.py) are pickled once. Views are frozen and not
    # changed while rendering; the object is kept so its id cannot be reused.
    _seen: dict[int, tuple[Any, bytes]] = field(default_factory=dict, repr=False)

    def text(self, path: str, inputs: Any, make: Callable[[], str], whole: bool = False) -> str:
        """`make()`, or the text of the last run when `inputs` pickle to the same bytes.

        `whole`: `inputs` shares nothing with other files, pickle it at once (JSON data)."""
        try:
            digest = self._digest(inputs, 3 if whole else 0)
            key = hashlib.blake2b(self.salt.encode() + b"\0" + digest).hexdigest()
        except Exception:  # noqa: BLE001 - something unpicklable: just render
            return make()
        old = self.previous.get(path)
        if old is not None and old[0] == key:
            self.reused += 1
            text = old[1]
        else:
            text = make()
        self.current[path] = (key, text)
        return text

    def _digest(self, value: Any, depth: int = 0) -> bytes:
        """A hash of `value`'s pickle; the outer lists, tuples and dicts (the template context,
        a list of groups) hashed from their items' hashes so that shared items count once."""
        if type(value) is str:
            return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), person=b"str").digest()
        seen = self._seen.get(id(value))
        if seen is not None:
            return seen[1]
        kind = type(value)
        if kind in (list, tuple, dict) and depth < 3:
            h = hashlib.blake2b(f"{kind.__name__} {len(value)}".encode())
            for item in value:
                h.update(self._digest(item, depth + 1))
                if kind is dict:
                    h.update(self._digest(value[item], depth + 1))
            digest = h.digest()
        else:
            digest = hashlib.blake2b(_pickled(value)).digest()
        self._seen[id(value)] = (value, digest)
        return digest
