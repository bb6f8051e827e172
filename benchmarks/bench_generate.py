"""Generation rows of `make bench` (called by bench.py): a scratch project whose specs/ is a copy
of the doc set.

Rows: cold `generate` (ruff, then black) with datamodel-code-generator making pydantic v2
models alone from the `openapi.json` that black run wrote (the peer: subprocess, black
formatting, into a temp folder; when it fails on the document, its row says why and the run
goes on); no-change `generate` and `check`; one edited page then `generate` and `check`; and
`check` on a fresh clone (a copy of the project on a machine with no cache: the full work,
nothing trusted from the checkout) against cold `generate`. Each scenario has its own user
cache folder (XDG_CACHE_HOME), so the real default location is measured and the user's own
cache is never touched. Each run's stage timings follow the table.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

from bench import DOC2CODE, Run, row, run, why

DETAILS: list[str] = []


def _doc2code(args: list[str], cwd: Path, env: dict[str, str], label: str) -> Run:
    r = run([*DOC2CODE, *args], cwd=cwd, env=env)
    stages = next((l for l in r.err.splitlines() if l.startswith("stages:")), "")
    if stages:
        DETAILS.append(f"  {label}: {stages}")
    return r


def _size(folder: Path) -> tuple[int, float]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files) / 1e6


def project(base: Path, corpus: Path, formatter: str, name: str = "") -> Path:
    proj = base / (name or f"proj-{formatter}")
    shutil.copytree(corpus, proj / "specs", ignore=shutil.ignore_patterns("LICENSE", ".git"))
    (proj / "pyproject.toml").write_text(
        f'[tool.doc2code]\nspecs = "specs"\nout = "generated"\npackage = "graph_client"\nformatter = "{formatter}"\n'
    )
    return proj


def peer(openapi: Path, base: Path) -> Run | None:
    """datamodel-code-generator: pydantic v2 models alone from `openapi`, black formatting."""
    if importlib.util.find_spec("datamodel_code_generator") is None:
        row(
            "datamodel-code-generator, pydantic v2 models",
            None,
            goal="peer missing: not installed (pip install -e '.[test]')",
        )
        return None
    if not openapi.is_file():
        row(
            "datamodel-code-generator, pydantic v2 models",
            None,
            goal="no openapi.json: cold generate failed",
        )
        return None
    out = base / "dmcg"  # a folder: an OpenAPI document with modular references makes a package
    args = [
        sys.executable,
        "-m",
        "datamodel_code_generator",
        "--input",
        str(openapi),
        "--input-file-type",
        "openapi",
        "--output-model-type",
        "pydantic_v2.BaseModel",
        "--formatters",
        "black",
        "--output",
        str(out),
    ]
    r = run(args, cwd=base)
    if r.code != 0:
        row(
            "datamodel-code-generator, pydantic v2 models",
            None,
            goal=f"peer failed on openapi.json: {why(r)}",
        )
        return None
    files, mb = _size(out)
    row(
        "datamodel-code-generator, pydantic v2 models",
        r,
        goal=f"reference ({files} files, {mb:.1f} MB)",
    )
    return r


def generate_rows(corpus: Path, base: Path) -> Run | None:
    """The generation rows of the table; the cold black `generate` run (None when it failed)."""
    clean = {k: v for k, v in os.environ.items() if k != "DOC2CODE_CACHE"}
    cold: dict[str, Run] = {}
    for formatter in ("ruff", "black"):
        proj = project(base, corpus, formatter)
        env = {**clean, "XDG_CACHE_HOME": str(base / f"cache-{formatter}")}
        cold[formatter] = _doc2code(
            ["generate", "-q", "-v"], proj, env, f"generate cold {formatter}"
        )
        files, mb = _size(proj / "generated")
        DETAILS.append(f"  generate cold {formatter}: {files} files, {mb:.1f} MB")
    reference = peer(base / "proj-black" / "generated" / "openapi.json", base)
    for formatter in ("black", "ruff"):
        r = cold[formatter]
        goal = (
            "<= 1.00x datamodel-code-generator"
            if formatter == "black"
            else "(black is the default)"
        )
        row(
            f"generate, cold, formatter={formatter}",
            r,
            r.wall / reference.wall if reference else None,
            goal,
        )
    proj = base / "proj-black"
    env = {**clean, "XDG_CACHE_HOME": str(base / "cache-black")}
    fresh = base / "fresh"
    shutil.copytree(proj, fresh)
    r = _doc2code(
        ["check", "-q", "-v"],
        fresh,
        {**clean, "XDG_CACHE_HOME": str(base / "empty-cache")},
        "check fresh clone",
    )
    row(
        "check, fresh clone, no cache, formatter=black",
        r,
        r.wall / cold["black"].wall,
        "<= 1.00x cold generate",
    )
    for command in ("generate", "check"):
        r = _doc2code([command, "-q", "-v"], proj, env, f"{command} no change")
        row(f"{command}, no change", r, r.wall / 1.0, "<= 1 s")
    page = proj / "specs" / "resources" / "user.md"
    edited = False
    if page.is_file():
        text = page.read_text(encoding="utf-8")
        changed = text.replace("|aboutMe|String|", "|aboutMe|String|Edited for the benchmark. ", 1)
        edited = changed != text
    if not edited:  # another doc set: edit its first page's last line
        page = min((proj / "specs").rglob("*.md"))
        text = page.read_text(encoding="utf-8")
        changed = text + "\nEdited for the benchmark.\n"
    page.write_text(changed, encoding="utf-8")
    r = _doc2code(["generate", "-q", "-v"], proj, env, "one page edited, generate")
    row("one page edited, then generate", r, r.wall / 2.0, "<= 2 s")
    r = _doc2code(["check", "-q", "-v"], proj, env, "one page edited, check")
    row("one page edited, generate, then check", r, r.wall / 1.0, "<= 1 s")
    return cold["black"] if cold["black"].code == 0 else None


def scaled_generate_row(
    big: Path, base: Path, label: str, count: int, cold: Run | None, pages: int
) -> None:
    """Cold `generate` (black) on the larger doc set, per page against the 1x cold run."""
    proj = base / "proj-larger"
    proj.mkdir()
    shutil.move(str(big), str(proj / "specs"))
    (proj / "pyproject.toml").write_text(
        '[tool.doc2code]\nspecs = "specs"\nout = "generated"\npackage = "graph_client"\nformatter = "black"\n'
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "DOC2CODE_CACHE"},
        "XDG_CACHE_HOME": str(base / "cache-larger"),
    }
    r = _doc2code(["generate", "-q", "-v"], proj, env, f"generate cold{label}")
    per_page = r.wall / max(count, 1)
    base_per_page = cold.wall / max(pages, 1) if cold else None
    ratio = per_page / base_per_page if base_per_page else None
    row(
        f"generate, cold, black{label}", r, ratio, f"per page vs 1x ({1000 * per_page:.1f} ms/page)"
    )
