"""`doc2code check`: exit 0 when up to date, 1 with a listing and diff when stale, 2 on config
errors; it writes nothing. The expected tree is faked here; test_precommit runs the real one."""

from __future__ import annotations

from pathlib import Path

import pytest
from treeutil import snapshot

from generator import build
from generator.cli import main
from generator.config import Config, ConfigError
from generator.model.ir import Api
from generator.output.write import write_tree

TREE = {"pkg/__init__.py": "", "pkg/user.py": "a = 1\n"}


@pytest.fixture
def cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    (tmp_path / "specs").mkdir()
    fake = build.Output(dict(TREE), Api(), [])
    monkeypatch.setattr(build, "build_output", lambda cfg, progress=None, use_cache=True: fake)
    return Config(specs=tmp_path / "specs", out=tmp_path / "gen")


def test_up_to_date_exits_0(cfg: Config, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(cfg.out, TREE)
    assert build.check(cfg) == 0
    assert "up to date (2 files)" in capsys.readouterr().out
    assert build.check(cfg, quiet=True) == 0
    assert capsys.readouterr().out == ""


def test_stale_exits_1_with_listing_and_diff(
    cfg: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(cfg.out, TREE)
    (cfg.out / "pkg/user.py").write_text("a = 2\n")
    (cfg.out / "pkg/__init__.py").unlink()
    (cfg.out / "stray.txt").write_text("")
    before = snapshot(cfg.out)
    assert build.check(cfg) == 1
    captured = capsys.readouterr()
    label = cfg.out.as_posix()
    assert f"missing: {label}/pkg/__init__.py" in captured.out
    assert f"changed: {label}/pkg/user.py" in captured.out
    assert f"extra: {label}/stray.txt" in captured.out
    assert "-a = 2\n+a = 1" in captured.out
    assert "1 missing, 1 changed, 1 extra" in captured.err
    assert build.check(cfg, show_diff=False) == 1
    assert "+a = 1" not in capsys.readouterr().out
    assert snapshot(cfg.out) == before  # check writes nothing


def test_config_errors_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="specs folder"):
        build.build_output(Config(specs=tmp_path / "nowhere", out=tmp_path / "gen"))
    (tmp_path / "specs").mkdir()
    with pytest.raises(ConfigError, match="templates folder"):
        build.build_output(Config(specs=tmp_path / "specs", templates=tmp_path / "nope"))
    assert main(["check", "--specs", "nowhere"]) == 2
    (tmp_path / "pyproject.toml").write_text('[tool.doc2code]\nformatter = "yapf"\n')
    assert main(["check"]) == 2
    assert not (tmp_path / "generated").exists()


def test_busy_output_exits_2(cfg: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.output.lock import output_lock

    write_tree(cfg.out, TREE)
    monkeypatch.setattr("generator.output.lock.DEFAULT_TIMEOUT", 0.2)
    with output_lock(cfg.out), pytest.raises(ConfigError, match="another doc2code run"):
        build.check(cfg)


def test_build_and_commands_do_not_import_each_other() -> None:
    """commands -> build -> stages, one way (the shared summary lives in generator.summary)."""
    import ast

    source = Path(build.__file__).read_text()
    imported = {
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "generator.commands" not in imported and "generator.summary" in imported
