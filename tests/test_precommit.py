"""The published pre-commit hooks, run by the real `pre-commit` tool in a throw-away git repo.

The hooks of .pre-commit-hooks.yaml are used as published (entry, files, pass_filenames) except
`language: system` instead of `python`: pre-commit would otherwise pip-install doc2code into a
new environment, which needs the network. `system` runs the `doc2code` of this venv instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PRE_COMMIT = shutil.which("pre-commit", path=str(BIN)) or shutil.which("pre-commit")
NEW_ROW = "|displayName|String|The name shown in the portal.|\n"

pytestmark = pytest.mark.skipif(
    PRE_COMMIT is None or shutil.which("git") is None, reason="needs git and pre-commit"
)


def test_published_hooks_and_own_config_are_valid() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"doc2code-generate", "doc2code-check"}
    assert all(h["pass_filenames"] is False and h["language"] == "python" for h in hooks.values())
    for name in (".pre-commit-hooks.yaml", ".pre-commit-config.yaml"):
        kind = "validate-manifest" if "hooks" in name else "validate-config"
        done = subprocess.run(
            [str(PRE_COMMIT), kind, name], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout


def _offline_config() -> str:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        hook["language"] = "system"
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}, sort_keys=False)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = tmp_path / "docs-project"
    shutil.copytree(ROOT / "specs", repo / "specs")
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "docs-project"\nversion = "0"\n\n'
        '[tool.doc2code]\nspecs = "specs"\nout = "generated"\npackage = "demo_client"\n'
    )
    (repo / ".pre-commit-config.yaml").write_text(_offline_config())
    monkeypatch.chdir(repo)
    env = {
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    run("git", "init", "-q", "-b", "main")
    run(str(PRE_COMMIT), "install")
    return repo


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run a command, its error output merged into `stdout` (git prints hook output there)."""
    return subprocess.run(
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300, check=False
    )


def commit(message: str) -> subprocess.CompletedProcess[str]:
    run("git", "add", "-A")
    return run("git", "commit", "-q", "-m", message)


def test_hooks_fail_on_a_stale_tree_and_pass_once_regenerated(repo: Path) -> None:
    # Adopting doc2code: generate once by hand (pre-commit only sees changes to tracked files,
    # so from then on the committed manifest is what makes any regeneration visible to it).
    assert run("doc2code", "generate").returncode == 0
    done = commit("pages and generated code")
    assert done.returncode == 0, done.stdout
    assert "doc2code generate" in done.stdout and "Passed" in done.stdout  # the hooks ran
    assert run("git", "status", "--porcelain").stdout == ""

    # A page gains a property: the check hook alone fails and lists the stale file ...
    page = repo / "specs/resources/synchronization.md"
    text = page.read_text()
    page.write_text(text.replace("|version|String|", NEW_ROW + "|version|String|"))
    stale = run(str(PRE_COMMIT), "run", "doc2code-check", "--all-files")
    assert stale.returncode == 1
    assert "changed: generated/" in stale.stdout and "displayName" in stale.stdout

    # ... committing runs generate, which rewrites generated/ and fails the commit ...
    blocked = commit("new property")
    assert blocked.returncode != 0 and "files were modified by this hook" in blocked.stdout
    assert run("git", "log", "--oneline").stdout.count("\n") == 1

    # ... and once the regenerated files are added, both hooks pass.
    passed = commit("new property, regenerated")
    assert passed.returncode == 0, passed.stdout
    assert run(str(PRE_COMMIT), "run", "doc2code-check", "--all-files").returncode == 0
    assert run("git", "log", "--oneline").stdout.count("\n") == 2
