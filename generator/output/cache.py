"""The on-disk cache of earlier runs (`.doc2code-cache/` next to pyproject.toml, git-ignored).

It holds two things, both keyed by content hashes (see `fingerprint`):
- run records: for an input key, the hash of every output file and the run's diagnostics, so a
  no-change run only has to hash the output folder;
- parsed pages: the per-page IR, pickled, keyed by the page's bytes (and what it may include),
  so after an edit only the edited pages are parsed again;
- rendered text: per output file, the key of its template inputs and the text, so after an
  edit only files whose inputs changed are rendered again (see generator.render.memo).
Formatted text is not cached here: the output folder and its manifest are that cache.

Every file is replaced atomically (temp file + rename), so a killed run or two runs at once
leave a valid cache; anything unreadable counts as a miss. `DOC2CODE_CACHE=off` disables it,
`DOC2CODE_CACHE=<folder>` moves it. The cache is trusted like `.venv` (pickles are loaded).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Severity

FOLDER_NAME = ".doc2code-cache"
KEPT_RUNS = 8
_MARKERS = {
    ".gitignore": "# Created by doc2code: its cache is never committed.\n*\n",
    "CACHEDIR.TAG": "Signature: 8a477f597d28d172789f06886806bc55\n# doc2code cache (safe to delete)\n",
}


@dataclass
class RunRecord:
    files: dict[str, str] = field(default_factory=dict)  # output path -> sha256 of its text
    formatted_from: dict[str, str] = field(default_factory=dict)  # for the manifest
    diagnostics: list[dict[str, Any]] = field(default_factory=list)  # Diagnostic.to_json()
    pages: int = 0

    def diagnostic_values(self) -> list[Diagnostic]:
        return [
            Diagnostic(
                d["path"],
                d["line"],
                d["col"],
                d["code"],
                d["message"],
                Severity[d["severity"].upper()],
            )
            for d in self.diagnostics
        ]


def cache_folder(root: Path) -> Path | None:
    setting = os.environ.get("DOC2CODE_CACHE", "")
    if setting.lower() in ("0", "off", "no", "false"):
        return None
    return Path(setting) if setting else root / FOLDER_NAME


class Cache:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def load_run(self, key: str) -> RunRecord | None:
        data = self._read(f"runs/{key}.json")
        if data is None:
            return None
        try:
            record = RunRecord(**json.loads(data))
            valid = isinstance(record.files, dict) and isinstance(record.formatted_from, dict)
            record.diagnostic_values()  # every entry well-formed
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        return record if valid else None

    def save_run(self, key: str, record: RunRecord) -> None:
        self._write(f"runs/{key}.json", json.dumps(asdict(record), sort_keys=True).encode())
        self._prune_runs()

    def load_pages(self) -> dict[str, bytes]:
        """page key -> pickled `ir.Page` (each unpickled only when used)."""
        data = self._read("pages.pickle")
        try:
            loaded = pickle.loads(data) if data else {}
        except Exception:  # noqa: BLE001 - a broken or foreign pickle is a miss
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def save_pages(self, pages: dict[str, bytes]) -> None:
        self._write("pages.pickle", pickle.dumps(pages, protocol=pickle.HIGHEST_PROTOCOL))

    def load_rendered(self) -> dict[str, tuple[str, str]]:
        """output path -> (key, text) of the last run's rendering (see generator.render.memo)."""
        data = self._read("rendered.pickle")
        try:
            loaded = pickle.loads(data) if data else {}
        except Exception:  # noqa: BLE001 - a broken or foreign pickle is a miss
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def save_rendered(self, entries: dict[str, tuple[str, str]]) -> None:
        self._write("rendered.pickle", pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))

    def load_includes(self) -> dict[str, list[str]]:
        """sha256 of a file -> its `[!INCLUDE]` targets (see generator.output.pagecache)."""
        data = self._read("includes.json")
        try:
            loaded = json.loads(data) if data else {}
        except ValueError:
            return {}
        valid = isinstance(loaded, dict) and all(isinstance(v, list) for v in loaded.values())
        return loaded if valid else {}

    def save_includes(self, known: dict[str, list[str]]) -> None:
        self._write("includes.json", json.dumps(known, sort_keys=True).encode())

    def load_stats(self, folder: Path) -> dict[str, list[Any]]:
        """The `file_digests(known=...)` table for `folder`, kept per absolute folder path."""
        data = self._read(self._stats_name(folder))
        try:
            loaded = json.loads(data) if data else {}
        except ValueError:
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def save_stats(self, folder: Path, stats: dict[str, list[Any]]) -> None:
        self._write(self._stats_name(folder), json.dumps(stats, sort_keys=True).encode())

    @staticmethod
    def _stats_name(folder: Path) -> str:
        return f"stats-{hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]}.json"

    def _read(self, name: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            return (self.folder / name).read_bytes()
        except OSError:
            return None

    def _write(self, name: str, data: bytes) -> None:
        """Best effort: a cache that cannot be written only makes the next run slower."""
        if self.folder is None:
            return
        target = self.folder / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            for marker, text in _MARKERS.items():  # keep it out of git and backups
                if not (self.folder / marker).exists():
                    (self.folder / marker).write_text(text)
            fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(temp, target)
            except BaseException:
                os.unlink(temp)
                raise
        except OSError:
            pass

    def _prune_runs(self) -> None:
        if self.folder is None:
            return
        try:
            runs = sorted((self.folder / "runs").glob("*.json"), key=lambda p: p.stat().st_mtime)
            for old in runs[:-KEPT_RUNS]:
                old.unlink()
            for temp in (self.folder / "runs").glob(".tmp-*"):  # a killed run's leftover
                if temp.stat().st_mtime < runs[-1].stat().st_mtime - 3600:
                    temp.unlink()
        except (OSError, IndexError):
            pass
