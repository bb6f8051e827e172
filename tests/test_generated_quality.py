"""The generated package passes `ruff check` and `mypy --strict`, like hand-written code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "generated" / "graph_client"


def test_ruff_check_passes() -> None:
    from ruff.__main__ import find_ruff_bin

    out = subprocess.run(
        [
            str(find_ruff_bin()),
            "check",
            "--isolated",
            "--line-length",
            "100",
            "--target-version",
            "py311",
            str(PACKAGE),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy_strict_passes(tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path),
            "graph_client",
        ],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Success" in out.stdout


USAGE = '''
import typing
from sample_typing_pkg import AsyncClient, Client, models


def use(graph: Client, agraph: AsyncClient) -> None:
    users = graph.users
    typing.reveal_type(users.list(top=3, select=["id"]))
    typing.reveal_type(users.iter(filter="x"))
    typing.reveal_type(agraph.users.list())
    typing.reveal_type(agraph.users.iter())
    jobs = graph.service_principals.by_id("sp").synchronization.jobs
    typing.reveal_type(jobs.create(models.SynchronizationJob()))
    typing.reveal_type(agraph.service_principals.by_id("sp").synchronization.jobs.create({}))
    users.list(fitler="x")
    jobs.create(3)
    users.list(top="3")
'''


def test_data_verbs_type_check_for_both_clients(tmp_path: Path) -> None:
    """The descriptor verbs (`list = _b.List(...)`) give type checkers each call's keywords
    and result, sync and async, and flag a misspelt option or a wrong body."""
    from generator.output.format import format_files
    from generator.render import render
    from tests.render.conftest import sample_api

    result = render(sample_api(), "sample_typing_pkg")
    for path, text in format_files({p: f.text for p, f in result.files.items()}, "black", jobs=1).items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    (tmp_path / "usage.py").write_text(USAGE, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".cache"), "usage.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line.split(": ", 1)[1] for line in out.stdout.splitlines() if line.startswith("usage.py:")]
    revealed = [line for line in lines if line.startswith("note: Revealed")]
    assert revealed == [
        'note: Revealed type is "sample_typing_pkg._builders.Page[sample_typing_pkg.models.directory_object.DirectoryObject] | None"',
        'note: Revealed type is "typing.Iterator[sample_typing_pkg.models.directory_object.DirectoryObject]"',
        'note: Revealed type is "typing.Awaitable[sample_typing_pkg._builders.Page[sample_typing_pkg.models.directory_object.DirectoryObject] | None]"',
        'note: Revealed type is "typing.AsyncIterator[sample_typing_pkg.models.directory_object.DirectoryObject]"',
        'note: Revealed type is "sample_typing_pkg.models.synchronization_job.SynchronizationJob | None"',
        'note: Revealed type is "typing.Awaitable[sample_typing_pkg.models.synchronization_job.SynchronizationJob | None]"',
    ], out.stdout
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 3, out.stdout
    assert 'Unexpected keyword argument "fitler"' in errors[0] and 'did you mean "filter"' in errors[0]
    assert '"int"' in errors[1] and "SynchronizationJob | Mapping[str, Any]" in errors[1]
    assert '"top"' in errors[2] and '"str"' in errors[2]
