"""The cache of earlier runs: in the user's cache folder, never in the repository, and authenticated.

Where: `platformdirs.user_cache_dir("doc2code")` (`$XDG_CACHE_HOME/doc2code` on Linux,
`~/Library/Caches/doc2code` on macOS, `%LOCALAPPDATA%\\doc2code\\Cache` on Windows), or the folder
`$DOC2CODE_CACHE` names; `DOC2CODE_CACHE=off` (or `check --no-cache`) disables it. Inside, one
folder per project (a hash of the resolved project root and output folder) holds:
- run records: for an input key (see `fingerprint.input_key`), the sha256 of every output file
  and the run's diagnostics, so a no-change run only has to hash files;
- parsed pages: the per-page IR as plain JSON data (see `ircodec`), keyed by the page's bytes
  and what it may include, so after an edit only the edited pages are parsed again;
- rendered text and formatted text, keyed by hashes of exactly what produced them, so after an
  edit only files whose inputs changed are rendered and formatted again (these maps, the
  pieces of `openapi.json` and the parsed pages are kept in 32 shards each, records of their
  own, so an edit rewrites only a few);
- the stat table of the specs folder and the `[!INCLUDE]` targets of its files.

Why it can be trusted: nothing in a checkout can write there, and every record is signed.
On first use a random 32-byte key is created beside the records (`<cache>/key`, mode 0600, in a
folder of mode 0700); every record is `doc2code-cache 1 <HMAC-SHA256 of name and payload>` on its
first line, then JSON. A record whose signature does not verify (forged, copied from another
name or machine, truncated), that does not parse as JSON, or whose shape is not the expected one
is a miss, never an error. If the folder or the key is a symlink, not owned by the user, or open
to group or others, or if `$DOC2CODE_CACHE` names a folder inside the project or the git (hg, svn)
work tree holding it, the cache is treated as absent
(nothing is read or written). Nothing is ever unpickled: records are plain data, validated on
load. Every file is replaced atomically (temp file + rename), so a killed run or two runs at
once leave a valid cache.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Severity

ENV = "DOC2CODE_CACHE"
KEY_NAME = "key"
KEPT_RUNS = 8
MAGIC = b"doc2code-cache 1 "
_OFF = ("0", "off", "no", "false")
_MARKERS = {
    "CACHEDIR.TAG": "Signature: 8a477f597d28d172789f06886806bc55\n# doc2code cache (safe to delete)\n",
}
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


@dataclass
class RunRecord:
    files: dict[str, str] = field(default_factory=dict)  # output path -> sha256 of its text
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

    @classmethod
    def from_json(cls, data: Any) -> RunRecord | None:
        """The record in `data`, or None unless every field has the expected shape."""
        if not isinstance(data, dict) or set(data) != {"files", "diagnostics", "pages"}:
            return None
        files, diags, pages = data["files"], data["diagnostics"], data["pages"]
        if not isinstance(files, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in files.items()
        ):
            return None
        if type(pages) is not int or not isinstance(diags, list):
            return None
        record = cls(files, diags, pages)
        try:
            values = record.diagnostic_values()
        except (TypeError, KeyError, AttributeError):
            return None
        texts = all(isinstance(getattr(d, a), str) for d in values for a in ("path", "code", "message"))
        ints = all(type(d.line) is int and type(d.col) is int for d in values)
        return record if texts and ints else None


def cache_root(setting: str | None = None) -> Path | None:
    """The folder `$DOC2CODE_CACHE` (or `setting`) names, the platform's user cache folder when
    unset, None when disabled."""
    setting = os.environ.get(ENV, "") if setting is None else setting
    if setting.lower() in _OFF:
        return None
    if setting:
        return Path(setting).expanduser().absolute()
    import platformdirs

    return Path(platformdirs.user_cache_dir("doc2code", appauthor=False))


def project_id(root: Path, out: Path) -> str:
    """The cache folder name of one project: its resolved root and output folder."""
    text = f"{root.resolve()}\0{out.resolve()}"
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _private_folder(path: Path, create: bool) -> bool:
    """Whether `path` is a real folder owned by us that only we can use (made so if `create`)."""
    if create:
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            return False
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return _private(st, stat.S_ISDIR)


def _private(st: os.stat_result, is_kind: Any) -> bool:
    if not hasattr(os, "geteuid"):  # Windows: no POSIX owner or mode; the profile's ACLs apply
        return bool(is_kind(st.st_mode))
    owner = st.st_uid == os.geteuid()
    return bool(is_kind(st.st_mode)) and owner and stat.S_IMODE(st.st_mode) & 0o077 == 0


def _read_key(folder: Path) -> bytes | None:
    try:
        fd = os.open(folder / KEY_NAME, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    except OSError:
        return None
    try:
        if not _private(os.fstat(fd), stat.S_ISREG):
            return None
        data = os.read(fd, 65)
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        key = bytes.fromhex(data.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None
    return key if len(key) == 32 else None


def _secret(folder: Path) -> bytes | None:
    """The folder's signing key, created on first use; None when it is not trustworthy."""
    key = _read_key(folder)
    if key is not None or (folder / KEY_NAME).is_symlink():
        return key
    try:  # create it whole under a temp name, then link: a reader never sees half a key
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-key-")
        try:
            os.write(fd, secrets.token_bytes(32).hex().encode("ascii"))
            os.close(fd)
            os.link(temp, folder / KEY_NAME)
        except FileExistsError:
            pass  # another run made it first: use theirs
        finally:
            os.unlink(temp)
    except OSError:
        return None
    return _read_key(folder)


class Cache:
    """Signed plain-data records in one project's folder; `Cache(None)` is an always-empty cache."""

    def __init__(self, folder: Path | None, key: bytes | None = None) -> None:
        self.folder = folder if key is not None else None
        self._key = key
        self._shards: dict[str, dict[str, dict[str, Any]]] = {}  # name -> shard -> as loaded

    @classmethod
    def open(cls, root: Path, out: Path, enabled: bool = True) -> Cache:
        """The cache of the project at `root` writing `out`; empty when disabled or untrusted."""
        base = cache_root() if enabled else None
        if base is None or (os.environ.get(ENV) and _inside_checkout(base, root)):
            return cls(None)  # disabled, or named inside the checkout, which a PR can write
        if not _private_folder(base, create=True):
            return cls(None)
        key = _secret(base)
        folder = base / "projects" / project_id(root, out)
        if key is None or not _private_folder(folder.parent, create=True):
            return cls(None)
        if not _private_folder(folder, create=True):
            return cls(None)
        for marker, text in _MARKERS.items():
            if not (base / marker).exists():
                _write_file(base / marker, text.encode())
        return cls(folder, key)

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    # -- the records -------------------------------------------------------------------------

    def load_run(self, key: str) -> RunRecord | None:
        return RunRecord.from_json(self.read_json(f"runs/{key}.json"))

    def save_run(self, key: str, record: RunRecord) -> None:
        self.write_json(f"runs/{key}.json", asdict(record))
        self._prune_runs()

    def load_map(self, name: str, check: Any) -> dict[str, Any]:
        """A str-keyed object whose every value passes `check(value)`; {} otherwise."""
        data = self.read_json(name)
        if not isinstance(data, dict):
            return {}
        try:
            ok = all(isinstance(k, str) and check(v) for k, v in data.items())
        except (TypeError, ValueError, AttributeError):
            return {}
        return data if ok else {}

    def load_stats(self, folder: Path) -> dict[str, list[Any]]:
        """The `file_digests(known=...)` table of the specs folder `folder`."""
        return self.load_map(_stats_name(folder), _stat_entry)

    def save_stats(self, folder: Path, stats: dict[str, list[Any]]) -> None:
        self.write_json(_stats_name(folder), stats)

    def load_includes(self) -> dict[str, list[str]]:
        """sha256 of a file -> its `[!INCLUDE]` targets (see generator.output.pagecache)."""
        return self.load_map("includes.json", _str_list)

    def save_includes(self, known: dict[str, list[str]]) -> None:
        self.write_json("includes.json", known)

    def load_pairs(self, name: str) -> dict[str, tuple[str, str]]:
        """path -> (key, text): the rendered (or formatted) text of each file and what made it."""
        loaded = self.load_shards(name, _pair)
        return {k: (v[0], v[1]) for k, v in loaded.items()}

    def save_pairs(self, name: str, entries: dict[str, tuple[str, str]]) -> None:
        self.save_shards(name, {k: list(v) for k, v in entries.items()})

    # -- large maps, in shards ---------------------------------------------------------------

    def load_shards(self, name: str, check: Any) -> dict[str, Any]:
        """A str-keyed map kept in `SHARDS` signed records `<name>/<nn>.json` (see `save_shards`).

        A shard that is missing, forged or of the wrong shape is empty (a miss for its keys)."""
        merged: dict[str, Any] = {}
        stored: dict[str, dict[str, Any]] = {}
        for shard in range(SHARDS):
            part = f"{name}/{shard:02x}.json"
            stored[part] = data = self.load_map(part, check)
            merged.update(data)
        self._shards[name] = stored
        return merged

    def save_shards(self, name: str, entries: dict[str, Any]) -> None:
        """Store `entries` across the shards of `name`, writing only the shards that changed
        since `load_shards` (so an edit rewrites a few small files, not the whole map)."""
        parts: dict[str, dict[str, Any]] = {f"{name}/{i:02x}.json": {} for i in range(SHARDS)}
        for key, value in entries.items():
            parts[f"{name}/{shard_of(key):02x}.json"][key] = value
        stored = self._shards.get(name, {})
        for part, data in parts.items():
            if part not in stored or stored[part] != data:
                self.write_json(part, data)
        self._shards[name] = parts

    # -- signed files ------------------------------------------------------------------------

    def _mac(self, name: str, payload: bytes) -> bytes:
        assert self._key is not None
        mac = hmac.new(self._key, name.encode() + b"\0", hashlib.sha256)
        mac.update(payload)
        return mac.hexdigest().encode("ascii")

    def read_json(self, name: str) -> Any:
        """The JSON value stored under `name` if its signature verifies, else None."""
        data = self._read(name)
        if data is None:
            return None
        head, newline, payload = data.partition(b"\n")
        if not newline or not head.startswith(MAGIC):
            return None
        if not hmac.compare_digest(head[len(MAGIC) :], self._mac(name, payload)):
            return None
        try:
            return json.loads(payload)
        except (ValueError, RecursionError):
            return None

    def write_json(self, name: str, value: Any) -> None:
        """Best effort: a cache that cannot be written only makes the next run slower."""
        if self.folder is None:
            return
        # keys in their order: a page's example bodies must come back exactly as parsed
        payload = json.dumps(value, separators=(",", ":")).encode()
        target = self.folder / name
        try:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            return
        _write_file(target, MAGIC + self._mac(name, payload) + b"\n" + payload)

    def _read(self, name: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            fd = os.open(self.folder / name, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
        except OSError:
            return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            with os.fdopen(fd, "rb", closefd=False) as handle:
                return handle.read()
        except OSError:
            return None
        finally:
            os.close(fd)

    def _prune_runs(self) -> None:
        if self.folder is None:
            return
        try:
            runs = sorted((self.folder / "runs").glob("*.json"), key=lambda p: p.stat().st_mtime)
            for old in runs[:-KEPT_RUNS]:
                old.unlink()
        except OSError:
            pass


def _write_file(target: Path, data: bytes) -> None:
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, target)
    except OSError:
        try:
            os.unlink(temp)
        except OSError:
            pass


SHARDS = 32  # records per large map (see Cache.save_shards)


def shard_of(key: str) -> int:
    """The shard of `key`: the same on every run and machine (no hash seed)."""
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=1).digest()[0] % SHARDS


def _stats_name(folder: Path) -> str:
    return f"stats-{hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]}.json"


def _inside_checkout(folder: Path, root: Path) -> bool:
    """Whether `folder` lies in the project at `root` or in the version-control work tree that
    holds it (a monorepo whose pyproject is in a subfolder): anywhere a pull request can write."""
    top = root.resolve()
    for candidate in (top, *top.parents):
        if any((candidate / marker).exists() for marker in (".git", ".hg", ".svn")):
            top = candidate
            break
    return _inside(folder, root) or _inside(folder, top)


def _inside(folder: Path, root: Path) -> bool:
    """Whether `folder` is `root` or lies under it (a cache there could be committed)."""
    try:
        folder.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def _stat_entry(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 5
        and all(type(v) is int for v in value[:4])
        and isinstance(value[4], str)
    )


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)
