"""A hostile checkout cannot make `doc2code check` pass or make doc2code run code (issue 9).

A project is generated from the seed pages, then tampered with as a pull request could: a
generated file edited and its hash put into the manifest, a cache folder committed in the
repository (run records, a pickle that runs a command), forged or copied records in the user
cache, a user cache folder that is a symlink or open to others. Each time `check` must exit 1
naming the tampered file, `generate` must restore it, no planted command may run, and no
output may hold a traceback. Every run is a real `python -m generator` process whose user cache
is a temporary folder (XDG_CACHE_HOME).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import load
from generator.output.cache import SHARDS, Cache, project_id
from generator.output.fingerprint import input_key

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = '[tool.doc2code]\nspecs = "specs"\nout = "generated"\npackage = "demo_client"\n'
TARGET = "demo_client/models/synchronization.py"
INJECTED = "\nimport os\n\nos.system('echo pwned')\n"


def run(root: Path, xdg: Path, *args: str, **env: str) -> tuple[int, str]:
    """`doc2code ARGS` in `root` with the user cache under `xdg`: (exit code, stdout + stderr)."""
    environ = {k: v for k, v in os.environ.items() if k != "DOC2CODE_CACHE"}
    environ |= {"XDG_CACHE_HOME": str(xdg), "PYTHONPATH": str(ROOT), **env}
    done = subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=root,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    output = done.stdout + done.stderr
    assert "Traceback" not in output and done.returncode in (0, 1), output
    return done.returncode, output


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated project; tests work on copies of it."""
    root = tmp_path_factory.mktemp("tamper") / "project"
    shutil.copytree(ROOT / "specs", root / "specs")
    (root / "pyproject.toml").write_text(PYPROJECT)
    assert run(root, root.parent / "xdg-first", "generate", "-q")[0] == 0
    return root


@pytest.fixture
def project(pristine: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(pristine, root)
    return root


@pytest.fixture
def xdg(tmp_path: Path) -> Path:
    return tmp_path / "xdg"


def tamper(root: Path) -> bytes:
    """Inject code into a generated model and record the new hash in the manifest, as a pull
    request could; returns the original bytes."""
    target = root / "generated" / TARGET
    original = target.read_bytes()
    target.write_bytes(original + INJECTED.encode())
    sha = hashlib.sha256(target.read_bytes()).hexdigest()
    manifest = root / "generated/.doc2code-manifest"
    lines = manifest.read_text().splitlines(keepends=True)
    rows = [f"{sha} {TARGET}\n" if line.endswith(f" {TARGET}\n") else line for line in lines]
    assert rows != lines
    manifest.write_text("".join(rows))
    return original


def assert_caught_and_repaired(root: Path, xdg: Path, original: bytes, **env: str) -> None:
    code, output = run(root, xdg, "check", **env)
    assert code == 1 and f"changed: generated/{TARGET}" in output, output
    assert "+++ generated/" in output and "-os.system('echo pwned')" in output  # the diff
    assert run(root, xdg, "generate", "-q", **env)[0] == 0
    assert (root / "generated" / TARGET).read_bytes() == original
    assert run(root, xdg, "check", "-q", **env) == (0, "")


def current_key(root: Path) -> str:
    cwd = Path.cwd()
    os.chdir(root)
    try:
        return input_key(load(start=root))
    finally:
        os.chdir(cwd)


def forged_record(root: Path) -> dict[str, object]:
    """A run record claiming that the tampered tree is the expected one."""
    out = root / "generated"
    files = {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in out.rglob("*")
        if p.is_file() and p.name != ".doc2code-manifest"
    }
    return {"files": files, "diagnostics": [], "pages": 5}


class RunsACommand:
    """Unpickling this touches `marker`: it must never happen."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def evil_pickle(marker: Path) -> bytes:
    return pickle.dumps({"page": RunsACommand(marker)})


def edit_a_page(root: Path) -> None:
    """So that a run must parse (and would load a page cache)."""
    page = root / "specs/resources/synchronization.md"
    page.write_text(page.read_text().replace("|version|String|", "|version|String|Edited. ", 1))


# -- 1. the manifest is no proof --------------------------------------------------------------


@pytest.mark.parametrize(
    "how", ["fresh machine", "--no-cache", "DOC2CODE_CACHE=off", "warm user cache"]
)
def test_a_hash_edited_into_the_manifest_is_caught_and_repaired(
    project: Path, xdg: Path, how: str
) -> None:
    env = {"DOC2CODE_CACHE": "off"} if how == "DOC2CODE_CACHE=off" else {}
    if how == "warm user cache":
        assert run(project, xdg, "check", "-q") == (0, "")
    original = tamper(project)
    if how == "--no-cache":
        code, output = run(project, xdg, "check", "--no-cache")
        assert code == 1 and f"changed: generated/{TARGET}" in output
        assert not xdg.exists()  # nothing read or written
    assert_caught_and_repaired(project, xdg, original, **env)


def test_an_edited_file_whose_manifest_row_was_removed_is_caught_and_repaired(
    project: Path, xdg: Path
) -> None:
    target = project / "generated" / TARGET
    original = target.read_bytes()
    target.write_bytes(original + INJECTED.encode())
    manifest = project / "generated/.doc2code-manifest"
    rows = [r for r in manifest.read_text().splitlines(keepends=True) if not r.endswith(f" {TARGET}\n")]
    manifest.write_text("".join(rows))
    assert_caught_and_repaired(project, xdg, original)


def test_only_the_manifest_edited_is_caught(project: Path, xdg: Path) -> None:
    manifest = project / "generated/.doc2code-manifest"
    manifest.write_text(manifest.read_text() + f"{'0' * 64} demo_client/planted.py\n")
    code, output = run(project, xdg, "check")
    assert code == 1 and "changed: generated/.doc2code-manifest" in output
    assert run(project, xdg, "generate", "-q")[0] == 0
    assert run(project, xdg, "check", "-q") == (0, "")


def test_a_stray_file_fails_the_check_by_name(project: Path, xdg: Path) -> None:
    (project / "generated/demo_client/backdoor.py").write_text("import os\n")
    (project / "generated/demo_client/models/evil.pyc").write_bytes(b"\0" * 32)
    code, output = run(project, xdg, "check")
    assert code == 1
    assert "extra: generated/demo_client/backdoor.py" in output
    assert "extra: generated/demo_client/models/evil.pyc" in output
    assert "delete the extra files" in output
    code, output = run(project, xdg, "generate")  # never removes them, but says so and fails
    assert code == 1 and "stray: generated/demo_client/backdoor.py" in output
    assert (project / "generated/demo_client/backdoor.py").exists()
    (project / "generated/demo_client/backdoor.py").unlink()
    (project / "generated/demo_client/models/evil.pyc").unlink()
    assert run(project, xdg, "generate", "-q")[0] == 0
    assert run(project, xdg, "check", "-q") == (0, "")


# -- 2. and 3. a cache folder in the repository ------------------------------------------------


def test_a_cache_folder_planted_in_the_repository_has_no_effect(project: Path, xdg: Path) -> None:
    original = tamper(project)
    marker = project.parent / "PWNED"
    planted = project / ".doc2code-cache"
    (planted / "runs").mkdir(parents=True)
    record = {**forged_record(project), "formatted_from": {}}
    (planted / "runs" / f"{current_key(project)}.json").write_text(json.dumps(record))
    for name in ("pages.pickle", "rendered.pickle", "pages.json", "rendered.json", "formatted.json"):
        (planted / name).write_bytes(evil_pickle(marker))
    for name in ("pages", "rendered", "formatted", "openapi"):
        (planted / name).mkdir()
        for shard in range(SHARDS):
            (planted / name / f"{shard:02x}.json").write_bytes(evil_pickle(marker))
    assert_caught_and_repaired(project, xdg, original)
    edit_a_page(project)
    assert run(project, xdg, "check", "-q")[0] == 1  # the edit: stale
    assert run(project, xdg, "generate", "-q")[0] == 0
    assert not marker.exists()


def test_pickles_in_the_user_cache_are_never_loaded(project: Path, xdg: Path) -> None:
    assert run(project, xdg, "generate", "-q")[0] == 0  # fills the user cache
    marker = project.parent / "PWNED"
    folder = xdg / "doc2code" / "projects" / project_id(project, project / "generated")
    names = ("pages", "rendered", "formatted", "openapi")
    shards = [f for name in names for f in (folder / name).iterdir()]
    assert {f.parent.name for f in shards} == set(names)
    for name in ("pages.pickle", "rendered.pickle", "pages.json", "rendered.json", "formatted.json"):
        (folder / name).write_bytes(evil_pickle(marker))
    for shard in shards:
        shard.write_bytes(evil_pickle(marker))
    for record in (folder / "runs").iterdir():
        record.write_bytes(evil_pickle(marker))
    edit_a_page(project)
    assert run(project, xdg, "check", "-q")[0] == 1
    assert run(project, xdg, "generate", "-q")[0] == 0
    assert run(project, xdg, "check", "-q") == (0, "")
    assert not marker.exists()


# -- forged, copied, truncated records; untrustworthy cache folders ------------------------------


def sign_with_own_key(folder: Path, project: Path) -> None:
    """A complete, self-consistent cache made by an attacker: their key, records they signed."""
    (folder / "projects").mkdir(parents=True, exist_ok=True)
    key = os.urandom(32)
    (folder / "key").write_text(key.hex())
    (folder / "key").chmod(0o600)
    folder.chmod(0o700)
    (folder / "projects").chmod(0o700)
    cache = Cache(folder / "projects" / project_id(project, project / "generated"), key)
    cache.folder.mkdir(mode=0o700)  # type: ignore[union-attr]
    cache.write_json(f"runs/{current_key(project)}.json", forged_record(project))


def test_a_forged_record_for_the_exact_current_key_is_a_miss(project: Path, xdg: Path) -> None:
    assert run(project, xdg, "check", "-q") == (0, "")
    original = tamper(project)
    folder = xdg / "doc2code" / "projects" / project_id(project, project / "generated")
    record = folder / "runs" / f"{current_key(project)}.json"
    assert record.is_file()
    payload = json.dumps(forged_record(project)).encode()
    for forged in (payload, b"doc2code-cache 1 " + b"0" * 64 + b"\n" + payload):
        record.write_bytes(forged)
        code, output = run(project, xdg, "check", "-q")
        assert code == 1 and f"changed: generated/{TARGET}" in output
    assert_caught_and_repaired(project, xdg, original)


def test_a_signed_record_copied_to_another_key_is_a_miss(project: Path, xdg: Path) -> None:
    edit_a_page(project)
    assert run(project, xdg, "generate", "-q")[0] == 0  # a record for the edited pages
    folder = xdg / "doc2code" / "projects" / project_id(project, project / "generated")
    other = next((folder / "runs").iterdir())
    shutil.copytree(ROOT / "specs", project / "specs", dirs_exist_ok=True)  # edit undone
    record = folder / "runs" / f"{current_key(project)}.json"
    assert other != record and not record.exists()
    shutil.copy(other, record)  # valid signature, but made for another name
    assert Cache(folder, bytes.fromhex((xdg / "doc2code/key").read_text())).load_run(record.stem) is None
    code, output = run(project, xdg, "check", "-q")
    assert code == 1 and f"changed: generated/{TARGET}" in output  # the tree still has the edit


def test_a_truncated_or_garbled_cache_is_a_miss(project: Path, xdg: Path) -> None:
    assert run(project, xdg, "check", "-q") == (0, "")
    folder = xdg / "doc2code" / "projects" / project_id(project, project / "generated")
    for path in folder.rglob("*.json"):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    assert run(project, xdg, "check", "-q") == (0, "")
    (xdg / "doc2code/key").write_text("short")  # the key itself broken
    original = tamper(project)
    assert_caught_and_repaired(project, xdg, original)


def test_a_user_cache_folder_that_is_a_symlink_is_ignored(project: Path, xdg: Path, tmp_path: Path) -> None:
    original = tamper(project)
    elsewhere = tmp_path / "elsewhere"
    sign_with_own_key(elsewhere, project)
    xdg.mkdir()
    (xdg / "doc2code").symlink_to(elsewhere)
    assert_caught_and_repaired(project, xdg, original)
    assert (xdg / "doc2code").is_symlink() and not (elsewhere / "CACHEDIR.TAG").exists()


@pytest.mark.parametrize("mode", [0o777, 0o755])
def test_a_user_cache_folder_open_to_others_is_ignored(project: Path, xdg: Path, mode: int) -> None:
    original = tamper(project)
    sign_with_own_key(xdg / "doc2code", project)
    (xdg / "doc2code").chmod(mode)
    assert_caught_and_repaired(project, xdg, original)
    assert not (xdg / "doc2code/CACHEDIR.TAG").exists()  # never written either


def test_a_key_open_to_others_or_a_symlink_is_ignored(project: Path, xdg: Path, tmp_path: Path) -> None:
    original = tamper(project)
    sign_with_own_key(xdg / "doc2code", project)
    key = xdg / "doc2code/key"
    key.chmod(0o644)
    code, output = run(project, xdg, "check", "-q")
    assert code == 1 and f"changed: generated/{TARGET}" in output
    (tmp_path / "their-key").write_text(key.read_text())
    (tmp_path / "their-key").chmod(0o600)
    key.unlink()
    key.symlink_to(tmp_path / "their-key")
    assert_caught_and_repaired(project, xdg, original)


def test_doc2code_cache_naming_a_folder_in_the_checkout_is_ignored(project: Path, xdg: Path) -> None:
    """A cache committed with the pull request, key included, even with private modes."""
    original = tamper(project)
    sign_with_own_key(project / ".doc2code-cache", project)
    env = {"DOC2CODE_CACHE": str(project / ".doc2code-cache")}
    assert_caught_and_repaired(project, xdg, original, **env)


def test_doc2code_cache_naming_a_folder_elsewhere_in_the_git_work_tree_is_ignored(
    project: Path, xdg: Path
) -> None:
    """A monorepo: the pyproject is in a subfolder and CI points the cache at the repository's
    own `.cache/`, which the pull request committed (key and forged records included)."""
    (project.parent / ".git").mkdir(exist_ok=True)  # the work tree holding the project
    committed = project.parent / ".cache" / "doc2code"
    original = tamper(project)
    sign_with_own_key(committed, project)
    assert_caught_and_repaired(project, xdg, original, DOC2CODE_CACHE=str(committed))


def test_a_committed_staging_folder_is_never_read_by_check(project: Path, xdg: Path) -> None:
    """A pull request that moves the output folder to the name of an interrupted swap's staging
    sibling (`.generated.doc2code-ready`) gets no pass: `check` reads only the output folder."""
    out = project / "generated"
    (out / TARGET).write_bytes((out / TARGET).read_bytes() + INJECTED.encode())
    out.rename(project / ".generated.doc2code-ready")
    for flags in ((), ("--no-cache",)):
        code, output = run(project, xdg, "check", *flags)
        assert code == 1 and "missing: generated/" in output, output
