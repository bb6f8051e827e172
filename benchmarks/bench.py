"""`make bench`: wall time and peak memory of the doc2code commands over a real corpus.

Usage: python benchmarks/bench.py [CORPUS]   (default ../shared/corpus/graph-v1.0 or
$DOC2CODE_CORPUS). Prints one line per measurement and ratios against the baselines; it
asserts nothing, so a busy machine never fails a build: speed goals live here, not in tests.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = Path(os.environ.get("DOC2CODE_CORPUS", ROOT.parent / "shared" / "corpus" / "graph-v1.0"))
DOC2CODE = [sys.executable, "-m", "generator"]


def run(args: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process (and its workers, max of any)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def markdown_it_baseline(corpus: Path) -> tuple[float, float, int]:
    """markdown-it-py alone, one process, on the same pages: full parse and inline rules off."""
    from markdown_it import MarkdownIt

    from generator.parse.discover import discover

    texts = [p.file.read_text(encoding="utf-8", errors="replace") for p in discover([corpus])]
    results = []
    for md in (MarkdownIt("commonmark").enable("table"), MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])):
        start = time.perf_counter()
        for text in texts:
            md.parse(text)
        results.append(time.perf_counter() - start)
    return results[0], results[1], len(texts)


def line(label: str, seconds: float, extra: str = "") -> None:
    print(f"{label:<48} {seconds:8.2f} s  {extra}")


def main(argv: list[str]) -> int:
    corpus = Path(argv[1]) if len(argv) > 1 else DEFAULT_CORPUS
    if not (corpus / "api").is_dir() and not corpus.is_dir():
        print(f"bench: corpus not found at {corpus}; pass its folder or set DOC2CODE_CORPUS")
        return 0
    print(f"corpus: {corpus}  cores: {os.cpu_count()}")
    full, blocks_only, pages = markdown_it_baseline(corpus)
    line(f"markdown-it-py full parse ({pages} pages, 1 process)", full)
    line("markdown-it-py, inline rules off (1 process)", blocks_only)
    with tempfile.TemporaryDirectory() as tmp:
        wall, peak = run([*DOC2CODE, "ir", str(corpus), "-o", str(Path(tmp) / "ir.json")], cwd=ROOT)
    line("doc2code ir (cold, all cores)", wall, f"peak {peak:.0f} MiB  ratio {wall / full:.2f} of the full markdown-it parse (goal <= 0.50)")
    extra = ROOT / "benchmarks" / "bench_generate.py"
    if extra.is_file():
        subprocess.run([sys.executable, str(extra), str(corpus), f"{wall:.3f}"], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
