"""`make bench`: issue 13's table, each doc2code figure next to its peer measured in the same run.

Usage: python benchmarks/bench.py [DOCSET] [--scale N]
  DOCSET     a folder of pages (default ../shared/corpus/graph-v1.0, or $DOC2CODE_CORPUS)
  --scale N  also time a larger doc set: N copies of DOCSET in a scratch folder, each copy
             in its own subfolder (`copy-1/`, `copy-2/`, ...; a fraction such as 2.5 adds the
             first half of the pages once more). The copies are plain duplicates: pages are
             distinct by path, their types and operations repeat, so parsing and modelling
             grow N-fold while the generated package does not (repeats are merged and
             reported). It prints seconds per page against the same run at 1x (time linear
             in pages: ratio near 1.0) and peak memory (goal < 2 GiB).

One line per row: label, wall seconds, CPU seconds (user+sys of the process and its
workers), ratio, goal, peak MiB (the largest resident set of any one process in the tree).
It asserts nothing and always exits 0, so a busy machine never fails a build: speed goals
live here, not in tests. A missing peer (datamodel-code-generator, markdown-it-py) is said
in its row and the ratios against it read `n/a`.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
DEFAULT_CORPUS = Path(
    os.environ.get("DOC2CODE_CORPUS", ROOT.parent / "shared" / "corpus" / "graph-v1.0")
)
DOC2CODE = [sys.executable, "-m", "generator"]

# markdown-it-py's own full parse (block and inline rules, GFM tables) of the pages, in one
# process; the child prints the wall and CPU seconds of the parse loop alone (reading excluded).
_MARKDOWN_IT = """
import sys, time
from pathlib import Path
from markdown_it import MarkdownIt
from generator.parse.discover import discover
texts = [p.file.read_text(encoding="utf-8", errors="replace") for p in discover([Path(sys.argv[1])])]
md = MarkdownIt("commonmark").enable("table")
wall, cpu = time.perf_counter(), time.process_time()
for text in texts:
    md.parse(text)
print(len(texts), time.perf_counter() - wall, time.process_time() - cpu)
"""


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + sys seconds of the process and every child it waited for
    peak: float  # MiB: the largest resident set of any one process in the tree
    code: int
    out: str
    err: str


def run(args: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> Run:
    """Run one command; its own wall time, CPU time and peak memory (os.wait4, not the
    cumulative RUSAGE_CHILDREN of this process)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            wall,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024,
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def header() -> None:
    print(f"{'row':<52} {'wall s':>8} {'cpu s':>8} {'ratio':>7}  {'goal':<34} {'met':>4} {'peak MiB':>8}")


def met(goal: str, wall: float, ratio: float | None) -> str:
    """Whether the row reaches its goal: `<= N s` by wall seconds, `<= Nx` by the ratio."""
    seconds = re.match(r"<= ([\d.]+) s\b", goal)
    if seconds:
        return "yes" if wall <= float(seconds.group(1)) else "NO"
    times = re.match(r"<= ([\d.]+)x", goal)
    if times and ratio is not None:
        return "yes" if ratio <= float(times.group(1)) else "NO"
    return ""


def row(
    label: str,
    r: Run | None,
    ratio: float | None = None,
    goal: str = "",
    seconds: float | None = None,
) -> None:
    """One table line; `r` None: the row could not be measured (the goal column says why)."""
    if r is None:
        print(f"{label:<52} {'-':>8} {'-':>8} {'n/a':>7}  {goal}")
        return
    wall = r.wall if seconds is None else seconds
    absolute = re.match(r"<= [\d.]+ s\b", goal) is not None  # a goal in seconds: no ratio
    shown = "-" if absolute else "n/a" if ratio is None else f"{ratio:.2f}x"
    print(f"{label:<52} {wall:8.2f} {r.cpu:8.2f} {shown:>7}  {goal:<34} {met(goal, wall, ratio):>4} {r.peak:8.0f}")


def why(r: Run) -> str:
    lines = [l for l in (r.err + r.out).splitlines() if l.strip()]
    return lines[-1][:160] if lines else f"exit status {r.code}"


def markdown_it(corpus: Path) -> tuple[Run | None, float, int]:
    """markdown-it-py's full parse: the run, the parse loop's wall seconds, the page count."""
    if importlib.util.find_spec("markdown_it") is None:
        return None, 0.0, 0
    r = run([sys.executable, "-c", _MARKDOWN_IT, str(corpus)])
    if r.code != 0:
        print(f"markdown-it-py failed: {why(r)}")
        return None, 0.0, 0
    pages, wall, cpu = r.out.split()
    return Run(float(wall), float(cpu), r.peak, 0, "", ""), float(wall), int(pages)


def ir_rows(corpus: Path, tmp: Path, label: str = "") -> tuple[Run, Run | None, int]:
    """markdown-it-py's full parse, then `doc2code ir` cold on all cores and in one process."""
    reference, md_wall, pages = markdown_it(corpus)
    if reference is None:
        row(
            f"markdown-it-py full parse{label}",
            None,
            goal="peer missing: markdown-it-py not installed",
        )
    else:
        row(
            f"markdown-it-py full parse, {pages} pages, 1 process{label}",
            reference,
            goal="reference",
        )
    ratio_goal = "<= 0.50x markdown-it full parse"
    ir_all = run([*DOC2CODE, "ir", str(corpus), "-o", str(tmp / "ir.json")])
    if ir_all.code != 0:
        row(f"doc2code ir, cold, all cores{label}", None, goal=f"failed: {why(ir_all)}")
    else:
        row(
            f"doc2code ir, cold, all cores{label}",
            ir_all,
            ir_all.wall / md_wall if md_wall else None,
            ratio_goal,
        )
    ir_one = run([*DOC2CODE, "ir", str(corpus), "--jobs", "1", "-o", str(tmp / "ir1.json")])
    row(
        f"doc2code ir, cold, 1 process{label}",
        ir_one,
        ir_one.wall / md_wall if md_wall else None,
        "(same goal, robust under load)",
    )
    return ir_all, reference, pages


def scaled_docset(corpus: Path, scale: float, into: Path) -> int:
    """`scale` copies of `corpus` under `into` (copy-1/, copy-2/, ...); the number of pages."""
    whole = int(scale)
    for k in range(1, whole + 1):
        shutil.copytree(
            corpus, into / f"copy-{k}", ignore=shutil.ignore_patterns("LICENSE", ".git")
        )
    pages = sorted(
        p
        for p in corpus.rglob("*.md")
        if p.is_file() and "includes" not in p.relative_to(corpus).parts[:-1]
    )
    part = pages[: round(len(pages) * (scale - whole))]
    for page in part:
        target = into / f"copy-{whole + 1}" / page.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target)
    return len(pages) * whole + len(part)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("docset", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--scale", type=float, default=0.0, help="also time N copies of the doc set (e.g. 2.5)"
    )
    args = parser.parse_args(argv)
    corpus: Path = args.docset.resolve()
    if not corpus.is_dir():
        print(
            f"bench: doc set not found at {corpus}; pass its folder (BENCH_ARGS=/path) or set DOC2CODE_CORPUS"
        )
        return 0
    try:
        return _bench(corpus, args.scale)
    except Exception as exc:  # noqa: BLE001 - a benchmark never fails a build
        print(f"bench: stopped: {type(exc).__name__}: {exc}")
        return 0


def _bench(corpus: Path, scale: float) -> int:
    import bench_generate

    print(f"doc set: {corpus}  cores: {os.cpu_count()}  load average: {os.getloadavg()[0]:.1f}")
    header()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        ir_all, _, pages = ir_rows(corpus, tmp)
        cold = bench_generate.generate_rows(corpus, tmp)
        if scale > 0:
            big = tmp / "larger"
            count = scaled_docset(corpus, scale, big)
            label = f" ({scale:g}x: {count} pages)"
            base_ir = ir_all.wall / max(pages, 1)
            big_ir = run([*DOC2CODE, "ir", str(big), "-o", str(tmp / "ir-big.json")])
            per_page = big_ir.wall / max(count, 1)
            row(
                f"doc2code ir, cold, all cores{label}",
                big_ir,
                per_page / base_ir if base_ir else None,
                f"per page vs 1x ({1000 * per_page:.2f} ms/page)",
            )
            bench_generate.scaled_generate_row(big, tmp, label, count, cold, pages)
    print("stages (doc2code -v):")
    print("\n".join(bench_generate.DETAILS))
    print(
        "ratios: ir and markdown-it by wall time of the parse; peak: any one process (workers too); goal peak < 2048 MiB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
