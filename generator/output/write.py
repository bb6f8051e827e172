"""Write a complete output tree crash-safely, touching only files doc2code itself wrote.

`write_tree(out, files)` makes `out` hold exactly `files` (plus whatever the user keeps there
that doc2code never wrote, such as caches), in one atomic step (see `swap`):
1. refuse bad paths, and paths that would overwrite or write through something doc2code did not
   write (a user's file, a symlink, a folder) - nothing is written then;
2. under the output lock, finish or clean up a killed earlier run;
3. if nothing would change, stop: no file is touched, not even the manifest;
4. stage the new tree in a sibling folder: unchanged files and the user's files are hard links
   to the current ones (same inode, so mtimes are kept), changed files are written anew, files
   of the previous manifest that are no longer produced are left out (removed);
5. swap the staged folder into place, delete the old tree.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

from generator.output import manifest
from generator.output.drift import ignored
from generator.output.lock import OutputBusy, output_lock
from generator.output.paths import MANIFEST_NAME, tree_errors
from generator.output.swap import install, real_folder, recover, remove, sibling
from generator.output.tree import Listing, read_bytes, scan


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)  # created or changed, sorted
    removed: list[str] = field(default_factory=list)  # in the previous manifest, no longer produced
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # when not empty, nothing was written
    # Files in the output folder that doc2code neither produces nor owns: never removed (they may
    # be someone's), but `check` fails while they are there, so the caller reports them.
    strays: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def write_tree(
    out: Path,
    files: dict[str, str],
    lock_timeout: float | None = None,
) -> WriteResult:
    """Make `out` hold `files` (output-relative POSIX path -> text); see the module docstring.

    Every file whose bytes differ from `files` is rewritten, whatever the manifest says of it.
    """
    errors = tree_errors(files)
    if errors:
        return WriteResult(errors=errors)
    try:
        out = real_folder(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        with output_lock(out, exclusive=True, timeout=lock_timeout):
            recover(out)
            return _write_locked(out, files)
    except OutputBusy as exc:
        return WriteResult(errors=[str(exc)])
    except (OSError, ValueError) as exc:
        return WriteResult(errors=[f"{out}: cannot write: {exc}"])


def _write_locked(out: Path, files: dict[str, str]) -> WriteResult:
    data = {path: text.encode("utf-8") for path, text in files.items()}
    owned = manifest.read(out)
    listing = scan(out)
    result = WriteResult()
    result.errors = _conflicts(out, listing, owned, data)
    if result.errors:
        return result
    for path in sorted(data):
        same = path in listing.files and read_bytes(out, path) == data[path]
        (result.unchanged if same else result.written).append(path)
    result.removed = sorted(p for p in owned if p not in data and p in listing.files)
    gone = set(result.removed)
    result.strays = sorted(
        p
        for p in listing.files | listing.links | listing.others
        if p not in data and p not in gone and p != MANIFEST_NAME and not ignored(p, out)
    )
    new_manifest = manifest.dumps({path: manifest.entry(blob) for path, blob in data.items()})
    if not result.changed and read_bytes(out, MANIFEST_NAME) == new_manifest:
        return result
    staged = sibling(out, "tmp")
    try:
        _stage(out, staged, listing, data, set(result.written), set(result.removed))
        _create(staged / MANIFEST_NAME, new_manifest)
        install(staged, out)
    except BaseException:
        remove(staged)  # best effort; a SIGKILL leaves it for the next run's `recover`
        raise
    return result


def _conflicts(
    out: Path, listing: Listing, owned: dict[str, manifest.Entry], data: dict[str, bytes]
) -> list[str]:
    """Paths whose writing would overwrite or write through something doc2code did not write."""
    errors = []
    for path in sorted(data):
        parts = path.split("/")
        for i in range(1, len(parts)):
            folder = "/".join(parts[:i])
            kind = listing.kind(folder)
            if kind == "symlink":
                errors.append(
                    f"{path!r}: {folder!r} is a symlink; doc2code never writes through one"
                )
                break
            if kind not in (None, "folder") and not (kind == "file" and folder in owned):
                errors.append(f"{path!r}: {folder!r} is a {kind} doc2code did not write")
                break
        kind = listing.kind(path)
        if kind in (None, "file"):
            # New, or a regular file at a path doc2code generates: the output folder's files at
            # its own paths are the tool's whatever the manifest (which a pull request can edit)
            # says, so a tampered file is repaired. Only symlinks and folders stay in the way.
            continue
        errors.append(
            f"{path!r}: a {kind} doc2code did not write (not in {MANIFEST_NAME}) is in the way; "
            "move it away or delete it, then run again"
        )
    return errors


def _stage(
    out: Path,
    staged: Path,
    listing: Listing,
    data: dict[str, bytes],
    written: set[str],
    removed: set[str],
) -> None:
    remove(staged)
    staged.mkdir()
    for folder in sorted(listing.empty_folders):
        (staged / folder).mkdir(parents=True, exist_ok=True)
    keep = (listing.files | listing.links | listing.others) - removed - written - {MANIFEST_NAME}
    for path in sorted(keep):  # the user's files, and our unchanged ones
        target = staged / path
        target.parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(out / path, target)
    for path in sorted(written):
        target = staged / path
        target.parent.mkdir(parents=True, exist_ok=True)
        _create(target, data[path])
    if out.exists():
        os.chmod(staged, stat.S_IMODE(out.stat().st_mode))


def _create(path: Path, data: bytes) -> None:
    # O_EXCL: staging is fresh, so never follow or reuse anything. No O_TRUNC: on ext4 closing a
    # truncated file forces its data out (the replace-by-truncate heuristic), ~20x slower here.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:  # no hard links here (or too many): a copy keeps mtime and mode too
        shutil.copy2(source, target, follow_symlinks=False)
