"""Generation benchmarks, run by bench.py: a scratch project whose specs/ is a copy of the corpus.

Prints cold `generate` (black and ruff) with its stages and output size, no-change `generate`
and `check`, one edited page then `generate` and `check`, and `check` on a fresh clone (a copy
of the project on a machine with no cache: the full work, nothing trusted from the checkout),
each next to `doc2code ir`'s time for the same pages. Each scenario has its own user cache
folder (XDG_CACHE_HOME), so the real default location is measured and the user's own cache is
never touched. Usage: bench_generate.py CORPUS IR_SECONDS
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    stages = next((l for l in done.stderr.splitlines() if l.startswith("stages:")), "")
    return seconds, stages


def size(folder: Path) -> tuple[int, float]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files) / 1e6


def report(label: str, seconds: float, ir: float, goal: str = "", stages: str = "") -> None:
    print(f"{label:<48} {seconds:8.2f} s  {seconds / ir:5.2f}x ir  {goal}")
    if stages:
        print(f"{'':<50}{stages}")


def project(base: Path, corpus: Path, formatter: str) -> Path:
    proj = base / f"proj-{formatter}"
    shutil.copytree(corpus, proj / "specs", ignore=shutil.ignore_patterns("LICENSE"))
    (proj / "pyproject.toml").write_text(
        f'[tool.doc2code]\nspecs = "specs"\nout = "generated"\npackage = "graph_client"\nformatter = "{formatter}"\n'
    )
    return proj


def main(corpus: Path, ir: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        clean = {k: v for k, v in os.environ.items() if k != "DOC2CODE_CACHE"}
        cold: dict[str, float] = {}
        for formatter in ("ruff", "black"):
            proj = project(base, corpus, formatter)
            env = {**clean, "XDG_CACHE_HOME": str(base / f"cache-{formatter}")}
            seconds, stages = timed(["generate", "-q", "-v"], proj, env)
            cold[formatter] = seconds
            files, mb = size(proj / "generated")
            report(f"generate, cold, formatter={formatter}", seconds, ir, f"{files} files, {mb:.1f} MB", stages)
        proj = base / "proj-black"
        env = {**clean, "XDG_CACHE_HOME": str(base / "cache-black")}
        seconds, stages = timed(["generate", "-q", "-v"], proj, env)
        report("generate, no change", seconds, ir, "goal <= 1 s", stages)
        seconds, stages = timed(["check", "-q", "-v"], proj, env)
        report("check, no change", seconds, ir, "goal <= 1 s", stages)
        fresh = base / "fresh"
        shutil.copytree(proj, fresh)
        page = proj / "specs" / "resources" / "user.md"
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("|aboutMe|String|", "|aboutMe|String|Edited for the benchmark. ", 1), encoding="utf-8")
        seconds, stages = timed(["generate", "-q", "-v"], proj, env)
        report("one page edited, generate", seconds, ir, "goal <= 2 s", stages)
        seconds, stages = timed(["check", "-q", "-v"], proj, env)
        report("one page edited, then check", seconds, ir, "goal <= 1 s", stages)
        seconds, stages = timed(["check", "-q", "-v"], fresh, {**clean, "XDG_CACHE_HOME": str(base / "empty-cache")})
        goal = f"goal <= cold generate ({cold['black']:.2f} s)"
        report("check, fresh clone, no cache, formatter=black", seconds, ir, goal, stages)


if __name__ == "__main__":
    main(Path(sys.argv[1]), float(sys.argv[2]))
