"""Property-based fuzzing of the whole run with mutated real pages (issue 6).

Each example takes one to three pages (the seeds, and a fixed sample of the v1.0 corpus when
present), breaks them (lines deleted, duplicated, swapped; tables and fences cut; hostile
strings, bad bytes and floods - one unit repeated up to 40,000 times in a line - injected) and
runs `doc2code generate` twice. Properties:
- no internal error: no exception, no D901 (a stage failed) or D902 (output unformattable),
  and no run longer than DOC2CODE_FUZZ_SECONDS (60; a super-linear scan of a flood);
- every generated module compiles, and every few examples the package imports with no side
  effect (audited, see harness.import_all);
- the same input gives byte-identical output;
- nothing outside the output folders changes.

`make test` runs a bounded, derandomized profile; `make fuzz` a long random one
(DOC2CODE_FUZZ_EXAMPLES, default 2000 there) and prints what it tried and what failed.
"""

from __future__ import annotations

import collections
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.render.jinja import BUILTIN_TEMPLATES
from tests.security.harness import (
    TooSlow,
    compile_all,
    import_all,
    run_generate,
    time_limit,
    tree,
    write_pages,
)
from tests.security.mutate import mutate, mutations, seed_pages

LONG = "DOC2CODE_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("DOC2CODE_FUZZ_EXAMPLES", "30"))
IMPORT_EVERY = int(os.environ.get("DOC2CODE_FUZZ_IMPORT_EVERY", "10"))
SEEDS = seed_pages()
STATS: collections.Counter[str] = collections.Counter()
FAILURES: collections.Counter[str] = collections.Counter()

pages_to_mutate = st.lists(
    st.tuples(st.integers(0, len(SEEDS) - 1), st.lists(mutations, min_size=1, max_size=6)),
    min_size=1,
    max_size=3,
    unique_by=lambda item: item[0],
)


def summary() -> list[str]:
    """What the run tried and what failed (printed by conftest at the end of the session)."""
    counts = (
        f"{STATS['examples']} examples, {STATS['pages']} mutated pages from {len(SEEDS)} seeds, "
        f"{STATS['edits']} edits, {STATS['imports']} package imports, {STATS['seconds']:.0f}s"
    )
    lines = [counts]
    lines += [f"failed x{n}: {what}" for what, n in FAILURES.most_common()] or ["no failures"]
    return lines


def _signature(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built-in templates, used as the override folder: the two runs of one
    example must see the same templates even while someone edits the working tree."""
    copy = tmp_path_factory.mktemp("templates")
    for file in BUILTIN_TEMPLATES.iterdir():
        if file.is_file():
            shutil.copy2(file, copy / file.name)
    return copy


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG,
    database=None,
    # The long run reports the failing input as found: shrinking slow inputs could take hours.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, *([] if LONG else [Phase.shrink])],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(chosen=pages_to_mutate)
def test_mutated_pages_generate_safe_deterministic_code(
    templates: Path, chosen: list[tuple[int, list]]
) -> None:
    STATS["examples"] += 1
    start = time.perf_counter()
    pages = {}
    for index, edits in chosen:
        rel, data = SEEDS[index]
        pages[rel] = mutate(data, edits)
        STATS["pages"] += 1
        STATS["edits"] += len(edits)
    with tempfile.TemporaryDirectory(prefix="doc2code-fuzz-") as folder:
        root = Path(folder)
        write_pages(root / "specs", pages)
        write_pages(root / "outside", {"sentinel.txt": "keep\n"})
        before = tree(root)
        try:
            _check(root, templates)
        except Exception as exc:
            FAILURES[_signature(exc)] += 1
            raise
        after = {k: v for k, v in tree(root).items() if k.split("/")[0] not in ("out1", "out2")}
        assert after == before, "something outside the output folders changed"
    STATS["seconds"] += time.perf_counter() - start


# Generous (the machine is shared): a linear run takes seconds, a quadratic scan on a flood minutes.
SECONDS_PER_RUN = float(os.environ.get("DOC2CODE_FUZZ_SECONDS", "60"))


def _check(root: Path, templates: Path) -> None:
    try:
        with time_limit(SECONDS_PER_RUN):
            first = run_generate(root / "specs", root / "out1", templates=templates)
    except TooSlow as slow:  # a failure like any other: hypothesis reports the input
        raise AssertionError(f"generation {slow}") from slow
    assert first.code == 0, first.stdout[-2000:] + first.stderr[-2000:]
    internal = first.lines("D901") + first.lines("D902")
    assert not internal, internal
    second = run_generate(root / "specs", root / "out2", templates=templates)
    assert second.stdout.replace("out2", "out1") == first.stdout
    one, two = tree(root / "out1"), tree(root / "out2")
    assert one == two, sorted(k for k in set(one) | set(two) if one.get(k) != two.get(k))
    compile_all(root / "out1")
    if STATS["examples"] % IMPORT_EVERY == 1:
        STATS["imports"] += 1
        import_all(root / "out1")
