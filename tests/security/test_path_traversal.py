"""Paths in doc text never take the tool outside its folders (issue 6, path traversal).

Titles, type names, `@odata.type` values, link targets, example names and include targets
that climb out (`../`), are absolute, or carry odd characters: the run writes only inside the
output folder, reads only inside the specs folder (symlinks that leave it are not followed),
and deletes nothing else. Checked by listing the whole temporary tree before and after.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from generator.build import load_api
from generator.cli import main
from generator.resolve.export import export_ir
from tests.security.harness import compile_all, import_all, run_generate, tree, write_pages
from tests.security.pages import api_page, resource_page

SECRET = "SECRET-OUTSIDE-7f3a9c"
CLIMB = "../../../../../../../../"
_SAFE_OUTPUT_PATH = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")


def _secret_page() -> str:
    return resource_page(
        "leaked", [(f"{SECRET}Prop", "String", f"{SECRET} text")], description=SECRET
    )


def _hostile_pages(root: Path) -> dict[str, str]:
    outside = root / "outside"
    absolute = (outside / "secret.md").as_posix()
    include_lines = "\n\n".join(
        f"[!INCLUDE [x]({target})]"
        for target in [
            f"{CLIMB}etc/passwd",
            "/etc/passwd",
            absolute,
            "../../outside/secret.md",
            "../includes/leak.md",
            "../includes/sub/../../../outside/secret.md",
            "%2e%2e/%2e%2e/outside/secret.md",
            "..\\..\\outside\\secret.md",
            "file:///etc/passwd",
        ]
    )
    return {
        "resources/evil-title.md": resource_page(
            f"{CLIMB}tmp/evil",
            [
                ("a", f"[{CLIMB}etc/passwd]({CLIMB}etc/passwd)", "Link out."),
                ("b", "[x](/etc/passwd)", "Abs."),
            ],
            title=f"{CLIMB}tmp/evil resource type",
            odata_type=f"microsoft.graph.{CLIMB}etc/passwd",
            methods=[
                ("Get", f"{CLIMB}etc/passwd"),
                ("Abs", "/etc/shadow"),
                ("Out", "../../outside/secret.md"),
            ],
        ),
        "resources/abs.md": resource_page("x", [("c", "String", "C.")], odata_type="/etc/passwd"),
        "resources/nul.md": resource_page(
            "nul\x00type", [("d", "String", "D.")], odata_type="microsoft.graph.a\x00b"
        ),
        "resources/dots.md": resource_page(
            "..", [("e", "String", "E.")], odata_type="microsoft.graph..."
        ),
        "api/includes-out.md": api_page(
            "Get evil",
            f"{CLIMB}tmp/evil_fixture",
            "GET",
            f"/evil/{CLIMB}x/{{id}}",
            "leaked",
            None,
            {"id": "1"},
        ).replace("## Example", include_lines + "\n\n## Example"),
        "api/abs-name.md": api_page(
            "Abs", "/tmp/abs_fixture", "GET", "/abs/{id}", "x", None, {"id": "1"}
        ),
        "api/odd-name.md": api_page(
            "Odd", "a\\b:c*d?e<f>g|h\x01i", "GET", "/odd", "x", None, {"id": "1"}
        ),
        "api/dot-dot.md": api_page("Dots", "..", "GET", "/dots", "x", None, {"id": "1"}),
        "api/..%2f..%2fencoded.md": api_page("Enc", "enc", "GET", "/enc", "x", None, {"id": "1"}),
    }


@pytest.fixture(scope="module")
def traversal(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, str], dict[str, str], object]:
    root = tmp_path_factory.mktemp("traversal")
    specs, out = root / "specs", root / "out"
    write_pages(root / "outside", {"secret.md": _secret_page(), "sentinel.txt": "do not touch\n"})
    write_pages(specs, _hostile_pages(root))
    (specs / "includes" / "sub").mkdir(parents=True)
    os.symlink("../../outside/secret.md", specs / "includes" / "leak.md")
    os.symlink("../../outside/secret.md", specs / "resources" / "linked.md")
    os.symlink("../../outside", specs / "api" / "linked-folder")
    os.symlink("..", specs / "includes" / "loop")  # a folder that contains itself
    before = tree(root)
    run = run_generate(specs, out)
    assert run.code == 0, run.stdout + run.stderr
    return root, before, tree(root), run


def test_nothing_outside_the_output_folder_changes(traversal: tuple) -> None:
    root, before, after, _ = traversal
    outside_out = {k: v for k, v in after.items() if not (k == "out" or k.startswith("out/"))}
    assert outside_out == before
    assert not [p for p in after if p.startswith(".out.")]  # no staging leftovers beside it
    assert (root / "outside" / "sentinel.txt").read_text() == "do not touch\n"


def test_output_paths_are_plain_and_inside(traversal: tuple) -> None:
    root, _, after, _ = traversal
    written = [k[len("out/") :] for k, v in after.items() if k.startswith("out/")]
    assert written and all(not after["out/" + p].startswith("link:") for p in written)
    bad = [p for p in written if not _SAFE_OUTPUT_PATH.match(p) or ".." in p.split("/")]
    assert bad == []
    for path in (root / "out").rglob("*"):
        assert path.resolve().is_relative_to((root / "out").resolve())


def test_nothing_from_outside_the_specs_folder_is_read(traversal: tuple) -> None:
    root, _, _, run = traversal
    for path in (root / "out").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert SECRET not in text, path
            assert "root:x:0:0" not in text, path
    ir = json.dumps(export_ir(load_api([root / "specs"], jobs=1)))
    assert SECRET not in ir and "root:x:0:0" not in ir
    assert SECRET not in run.stdout  # type: ignore[attr-defined]
    assert "D111" in run.codes  # type: ignore[attr-defined]  # the links out are reported


def test_the_package_still_compiles_and_imports(traversal: tuple) -> None:
    root, _, _, _ = traversal
    assert compile_all(root / "out") > 10
    import_all(root / "out")


def test_a_tampered_manifest_cannot_delete_outside(tmp_path: Path) -> None:
    """The manifest is committed with the output, so a pull request can edit it."""
    specs, out = tmp_path / "specs", tmp_path / "out"
    write_pages(specs, {"resources/x.md": resource_page("x", [("a", "String", "A.")])})
    write_pages(tmp_path, {"victim.txt": "keep\n", "out/.doc2code-manifest": ""})
    victim = (tmp_path / "victim.txt").resolve()
    lines = ["# doc2code manifest 1"] + [
        f"{'0' * 64} - {p}"
        for p in (
            "../victim.txt",
            victim.as_posix(),
            "pkg/../../victim.txt",
            "a\\..\\..\\victim.txt",
        )
    ]
    (out / ".doc2code-manifest").write_text("\n".join(lines) + "\n")
    before = {k: v for k, v in tree(tmp_path).items() if not k.startswith("out")}
    run = run_generate(specs, out)
    assert run.code == 0, run.stdout + run.stderr
    assert {k: v for k, v in tree(tmp_path).items() if not k.startswith("out")} == before
    assert victim.read_text() == "keep\n"


def test_symlinks_planted_in_the_output_are_never_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The output folder is committed too: a pull request can turn a generated file or folder
    into a link to a secret. `check` must not print it, `generate` must not write through it."""
    specs, out = tmp_path / "specs", tmp_path / "out"
    write_pages(specs, {"resources/x.md": resource_page("x", [("a", "String", "A.")])})
    write_pages(tmp_path / "outside", {"secret.py": f"{SECRET}\n", "dir/secret.py": f"{SECRET}\n"})
    assert run_generate(specs, out).code == 0
    (out / "pkg" / "models" / "x.py").unlink()
    os.symlink(tmp_path / "outside" / "secret.py", out / "pkg" / "models" / "x.py")
    shutil.rmtree(out / "pkg" / "fixtures", ignore_errors=True)
    shutil.rmtree(out / "pkg" / "handlers")
    os.symlink(tmp_path / "outside" / "dir", out / "pkg" / "handlers")
    before = tree(tmp_path / "outside")
    monkeypatch.setenv("DOC2CODE_CACHE", "off")
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(
            [
                "check",
                "--specs",
                str(specs),
                "--out",
                str(out),
                "--package",
                "pkg",
                "--formatter",
                "ruff",
            ]
        )
    assert code == 1
    assert SECRET not in stdout.getvalue() + stderr.getvalue()
    assert "pkg/models/x.py" in stdout.getvalue()
    again = run_generate(specs, out)
    assert SECRET not in again.stdout + again.stderr
    assert tree(tmp_path / "outside") == before
