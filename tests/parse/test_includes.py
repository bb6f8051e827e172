"""Include roots: `[tool.doc2code] includes = [...]` lists folders outside the specs folder that
`[!INCLUDE]` may read (docs keep shared includes above the API folder); every other target
outside the specs folder is refused, reported once per target with the number of pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import config as config_mod
from generator.build import load_api
from generator.resolve.export import export_ir

PAGE = """---
doc_type: resourcePageType
---
# {name} resource type

## Properties

[!INCLUDE [shared](../../includes/props.md)]

[!INCLUDE [secret](../../private/secret.md)]
"""


def _tree(root: Path) -> Path:
    (root / "docs" / "resources").mkdir(parents=True)
    (root / "includes").mkdir()
    (root / "private").mkdir()
    (root / "includes" / "props.md").write_text("| Property | Type | Description |\n|:--|:--|:--|\n| shared | String | From the include. |\n")
    (root / "private" / "secret.md").write_text("| Property | Type | Description |\n|:--|:--|:--|\n| secret | String | Never read. |\n")
    for name in ("alpha", "beta", "gamma"):
        (root / "docs" / "resources" / f"{name}.md").write_text(PAGE.format(name=name))
    return root / "docs"


def test_include_roots_are_read_and_other_targets_refused_once(tmp_path: Path) -> None:
    specs = _tree(tmp_path)
    ir = export_ir(load_api([specs], jobs=1, includes=(tmp_path / "includes",)))
    assert {t["name"]: [p["name"] for p in t["properties"]] for t in ir["types"]} == {
        "alpha": ["shared"], "beta": ["shared"], "gamma": ["shared"],
    }
    refused = [d for d in ir["diagnostics"] if d["code"] == "D111"]
    assert len(refused) == 1, refused
    assert refused[0]["path"] == "resources/alpha.md" and refused[0]["line"] == 10
    assert "`../private/secret.md`" in refused[0]["message"] and "(included by 3 pages)" in refused[0]["message"]


def test_without_include_roots_every_target_outside_is_refused_once(tmp_path: Path) -> None:
    specs = _tree(tmp_path)
    ir = export_ir(load_api([specs], jobs=1))
    assert all(t["properties"] == [] for t in ir["types"])
    refused = sorted(d["message"] for d in ir["diagnostics"] if d["code"] == "D111")
    assert len(refused) == 2 and all("(included by 3 pages)" in m for m in refused)


def test_a_symlink_inside_an_include_root_cannot_leave_it(tmp_path: Path) -> None:
    specs = _tree(tmp_path)
    os.remove(tmp_path / "includes" / "props.md")
    os.symlink(tmp_path / "private" / "secret.md", tmp_path / "includes" / "props.md")
    ir = export_ir(load_api([specs], jobs=1, includes=(tmp_path / "includes",)))
    assert "secret" not in {p["name"] for t in ir["types"] for p in t["properties"]}


def test_includes_key_in_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.doc2code]\nspecs = "docs"\nincludes = ["includes"]\n')
    monkeypatch.chdir(tmp_path)
    cfg = config_mod.load()
    assert cfg.includes == (Path("includes"),)
    assert "includes" in cfg.describe()  # part of what the cache and drift check hash
    (tmp_path / "pyproject.toml").write_text('[tool.doc2code]\nincludes = "includes"\n')
    with pytest.raises(config_mod.ConfigError, match="includes must be a list"):
        config_mod.load()


def test_refused_include_names_the_pages_own_spelling_and_where_it_resolves(tmp_path: Path) -> None:
    specs = _tree(tmp_path)
    (specs / "api").mkdir()
    (specs / "api" / "delta.md").write_text(PAGE.format(name="delta"))
    (specs / "api" / "nested").mkdir()
    (specs / "api" / "nested" / "deep.md").write_text(PAGE.format(name="deep").replace("../../private", "../../../private"))
    refused = [d for d in export_ir(load_api([specs], jobs=1))["diagnostics"] if d["code"] == "D111"]
    secret = [d for d in refused if "secret" in d["message"]]
    # one finding per location, spelled as the first page wrote it (api/nested/deep.md writes
    # `../../../private/secret.md`, which leads to `../private/secret.md` as well)
    assert len(secret) == 1, secret
    assert secret[0]["message"].startswith("included file `../../private/secret.md` is outside")
    assert "(it resolves to `../private/secret.md` from the specs folder)" in secret[0]["message"]
    assert "(included by 5 pages)" in secret[0]["message"]


def test_an_includes_folder_that_does_not_exist_is_one_clear_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.doc2code]\nspecs = "docs"\nincludes = ["includes", "../shared/includes"]\n')
    monkeypatch.chdir(tmp_path / "docs")  # found upwards: paths stay relative to the pyproject folder
    with pytest.raises(config_mod.ConfigError) as raised:
        config_mod.load()
    message = str(raised.value)
    assert "includes folder '../shared/includes' does not exist" in message and "'includes'" not in message
    assert "relative to the folder of" in message and message.count("does not exist") == 1


def test_includes_on_the_command_line_replace_the_configured_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.cli import main

    specs = _tree(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.doc2code]\nspecs = "docs"\n')
    monkeypatch.chdir(tmp_path)
    assert config_mod.load({"includes": ["includes"]}).includes == (Path("includes"),)
    out = tmp_path / "ir.json"
    assert main(["ir", str(specs), "--includes", "includes", "-o", str(out)]) == 0
    assert "shared" in out.read_text()
    assert main(["ir", str(specs), "--includes", "nowhere", "-o", str(out)]) == 2
