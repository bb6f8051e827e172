"""Incremental runs on a real generated project (the seed pages): what is skipped, what is
redone, and that the drift check catches every kind of staleness the issue lists."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from treeutil import snapshot

from generator.build import FORMATTED
from generator.cli import main
from generator.output.cache import Cache, cache_root, project_id
from generator.output.progress import Progress

SPECS = Path(__file__).resolve().parents[2] / "specs"
PAGE = "specs/resources/synchronization.md"
NEW_ROW = "|displayName|String|The name shown in the portal.|\n"
PYPROJECT = '[tool.doc2code]\nspecs = "specs"\nout = "generated"\npackage = "demo_client"\n'


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project generated once (cold, with its cache); each test works on a copy."""
    root = tmp_path_factory.mktemp("generated") / "project"
    shutil.copytree(SPECS, root / "specs")
    (root / "pyproject.toml").write_text(PYPROJECT)
    cwd = Path.cwd()
    os.chdir(root)
    try:
        assert main(["generate", "-q"]) == 0
    finally:
        os.chdir(cwd)
    return root


def cache_of(root: Path) -> Path:
    """The user-cache folder of the project at `root` (the tests' XDG_CACHE_HOME, see conftest)."""
    base = cache_root("")
    return base / "projects" / project_id(root, root / "generated")


@pytest.fixture
def project(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the generated project, with a copy of its cache (the cache is per project)."""
    root = tmp_path / "project"
    shutil.copytree(generated, root, symlinks=True)
    shutil.copytree(cache_of(generated), cache_of(root))
    monkeypatch.chdir(root)
    monkeypatch.delenv("DOC2CODE_CACHE", raising=False)
    return root


class Calls:
    """Counts what the stages are asked to do; `forbid` makes a stage fail the test if called."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, forbid: tuple[str, ...] = ()) -> None:
        import generator.model.build
        import generator.output.format
        import generator.render

        self.parsed: list[str] = []
        self.formatted: list[str] = []
        self.rendered = 0
        read, render, add = (
            generator.model.build.read_pages,
            generator.render.render,
            generator.output.format.FormatStream.add,
        )

        def read_pages(files, jobs=0):  # type: ignore[no-untyped-def]
            assert "parse" not in forbid, "parsed pages on a run that should not"
            self.parsed += [f.rel for f in files]
            return read(files, jobs=jobs)

        def render_(*args, **kwargs):  # type: ignore[no-untyped-def]
            assert "render" not in forbid, "rendered on a run that should not"
            self.rendered += 1
            return render(*args, **kwargs)

        def stream_add(stream, path, text):  # type: ignore[no-untyped-def]
            # every file the cache lacks goes through here, to the formatter
            assert "format" not in forbid, "formatted on a run that should not"
            self.formatted += [path] if path.endswith(".py") else []
            return add(stream, path, text)

        monkeypatch.setattr(generator.model.build, "read_pages", read_pages)
        monkeypatch.setattr(generator.render, "render", render_)
        monkeypatch.setattr(generator.output.format.FormatStream, "add", stream_add)


def rejected(project: Path) -> list[str]:
    """Files the formatter rejected (D902): not in the cache of formatted text, so each run
    tries again."""
    known = Cache.open(project, project / "generated").load_pairs(FORMATTED)
    files = (project / "generated").rglob("*.py")
    return sorted(p for f in files if (p := f.relative_to(project / "generated").as_posix()) not in known)


def test_no_change_generate_and_check_do_no_work(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(project / "generated")
    Calls(monkeypatch, forbid=("parse", "render", "format"))
    assert main(["generate", "-q"]) == 0
    assert main(["check", "-q"]) == 0
    assert snapshot(project / "generated") == before


def test_fresh_clone_check_does_the_full_work(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.rmtree(cache_of(project))  # a fresh clone on a fresh machine: only the committed tree
    calls = Calls(monkeypatch)
    assert main(["check", "-q", "--no-cache"]) == 0
    every_py = sorted(p.relative_to(project / "generated").as_posix() for p in (project / "generated").rglob("*.py"))
    assert len(calls.parsed) == 5 and calls.rendered == 1
    assert sorted(calls.formatted) == every_py  # nothing taken from the output folder
    assert not cache_of(project).exists()  # --no-cache: nothing read, nothing written
    calls = Calls(monkeypatch)
    assert main(["check", "-q"]) == 0
    assert sorted(calls.formatted) == every_py
    Calls(monkeypatch, forbid=("parse", "render", "format"))
    assert main(["check", "-q"]) == 0  # and the check filled the user cache


def test_one_page_edit_reparses_one_page_and_formats_only_changed_files(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = project / PAGE
    page.write_text(page.read_text().replace("|version|String|", NEW_ROW + "|version|String|"))
    before = snapshot(project / "generated")
    calls = Calls(monkeypatch)
    assert main(["generate", "-q"]) == 0
    after = snapshot(project / "generated")
    changed_py = sorted(p for p in after if p.endswith(".py") and before.get(p) != after[p])
    assert calls.parsed == ["resources/synchronization.md"]
    assert changed_py and sorted(calls.formatted) == sorted(
        set(changed_py) | set(rejected(project))
    )
    assert b"display_name" in after["demo_client/models/synchronization.py"]

    # The incremental result is byte-identical to a cold run without any cache.
    cold = project.parent / "cold"
    shutil.copytree(project / "specs", cold / "specs")
    (cold / "pyproject.toml").write_text(PYPROJECT)
    monkeypatch.chdir(cold)
    monkeypatch.setenv("DOC2CODE_CACHE", "off")
    assert main(["generate", "-q"]) == 0
    assert snapshot(cold / "generated") == after
    assert not cache_of(cold).exists()


def test_a_hand_edit_is_found_and_repaired_from_the_cache(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = project / "generated/demo_client/client.py"
    original = target.read_text()
    target.write_text(original + "# local hack\n")
    calls = Calls(monkeypatch)
    assert main(["check", "-q"]) == 1
    assert sorted(calls.formatted) == rejected(project)  # formatted text comes from the cache
    assert main(["generate", "-q"]) == 0
    assert target.read_text() == original


def _edit_page(root: Path) -> None:
    page = root / PAGE
    page.write_text(page.read_text().replace("|version|String|", NEW_ROW + "|version|String|"))


def _edit_template(root: Path) -> None:
    (root / "overrides").mkdir()
    builtin = Path(__file__).resolve().parents[2] / "templates" / "package_init.py.jinja"
    (root / "overrides" / builtin.name).write_text(builtin.read_text() + "\nLOCAL = True\n")
    (root / "pyproject.toml").write_text(PYPROJECT + 'templates = "overrides"\n')


def _change_config(root: Path) -> None:
    (root / "pyproject.toml").write_text(PYPROJECT.replace("demo_client", "other_client"))


def _hand_edit(root: Path) -> None:
    path = root / "generated/openapi.json"
    path.write_text(path.read_text().replace('"openapi"', '"OpenAPI"', 1))


def _delete_output(root: Path) -> None:
    (root / "generated/demo_client/models/__init__.py").unlink()


def _delete_page(root: Path) -> None:
    (root / "specs/api/educationsynchronizationprofile-post.md").unlink()


def _stray_file(root: Path) -> None:
    (root / "generated/demo_client/notes.py").write_text("# mine\n")


STALE = {
    "edited page": (_edit_page, "changed"),
    "edited template": (_edit_template, "changed"),
    "changed config key": (_change_config, "missing"),
    "hand-edited output": (_hand_edit, "changed"),
    "deleted output": (_delete_output, "missing"),
    "deleted page": (_delete_page, "extra"),
    "stray file": (_stray_file, "extra"),
}


@pytest.mark.parametrize("name", sorted(STALE))
def test_check_catches_staleness_and_generate_fixes_it(
    project: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    mutate, kind = STALE[name]
    mutate(project)
    capsys.readouterr()
    before = snapshot(project / "generated")
    assert main(["check", "--no-diff"]) == 1
    assert snapshot(project / "generated") == before  # check writes nothing
    assert f"{kind}: generated/" in capsys.readouterr().out
    if name == "stray file":  # not ours: generate leaves it, names it and fails; check too
        assert main(["generate", "-q"]) == 1
        assert "stray: generated/demo_client/notes.py" in capsys.readouterr().err
        assert (project / "generated/demo_client/notes.py").read_text() == "# mine\n"
        assert main(["check", "-q"]) == 1
    else:
        assert main(["generate", "-q"]) == 0
        assert main(["check", "-q"]) == 0


def test_a_corrupt_cache_is_only_a_miss(project: Path) -> None:
    before = snapshot(project / "generated")
    cache = cache_of(project)
    for shard in (cache / "pages").iterdir():
        shard.write_bytes(b"not a record")
    for shard in sorted((cache / "rendered").iterdir())[::2]:
        shard.write_bytes(shard.read_bytes()[:1000])
    records = sorted((cache / "runs").iterdir())
    records[0].write_text('{"files": [], "diagnostics": [], "pages": 1}')
    for record in records[1:]:
        record.write_text("{broken")
    _edit_page(project)
    assert main(["generate", "-q"]) == 0
    assert main(["check", "-q"]) == 0
    assert snapshot(project / "generated") != before


def test_a_changed_fragment_reparses_every_page(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "specs/includes").mkdir()
    (project / "specs/includes/note.md").write_text("A fragment.\n")
    calls = Calls(monkeypatch)
    assert main(["check", "-q"]) == 0
    assert len(calls.parsed) == 5


def test_progress_bar_only_when_enabled() -> None:
    stream = io.StringIO()
    items = list(range(250))
    assert Progress(True, stream).map("parsing", items, lambda b: [x * 2 for x in b]) == [
        x * 2 for x in items
    ]
    drawn = stream.getvalue()
    assert "parsing [" in drawn and "250/250" in drawn and drawn.endswith("\r\x1b[K")
    quiet = io.StringIO()
    assert Progress(False, quiet).map("parsing", items, lambda b: b) == items
    assert quiet.getvalue() == ""
    assert not Progress.for_terminal(quiet=True).enabled


def test_verbose_reports_what_was_redone(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "-v"]) == 0
    err = capsys.readouterr().err
    assert "parsed 0 of 5 pages, formatted 0 files" in err
    assert main(["generate", "-q"]) == 0
    printed = capsys.readouterr()
    assert "stages:" not in printed.err
    assert all(" error " in line for line in printed.out.splitlines() if ": D" in line)


@pytest.fixture(autouse=True)
def _no_tty(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(Progress, "for_terminal", classmethod(lambda cls, quiet: cls(False)))
    yield
