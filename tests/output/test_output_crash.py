"""SIGKILL at many moments of a write: the output is the old tree or the new one, never a mix,
and the next run recovers without debris and the drift check is clean."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from crash_child import make_tree
from treeutil import siblings

from generator.output import swap
from generator.output.drift import compare_tree
from generator.output.write import write_tree

CHILD = str(Path(__file__).with_name("crash_child.py"))
OLD, NEW = make_tree("old"), make_tree("new")
USER_FILE = "NOTES.md"  # a file the user keeps in the output folder: it must survive


def start(out: Path, *flags: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, CHILD, str(out), "new", *flags], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline() == "go\n"
    return child


def fresh_old_tree(out: Path) -> None:
    """The state before each kill: the old tree (recovering from the previous kill) + a user file."""
    assert write_tree(out, OLD).ok
    (out / USER_FILE).write_text("mine\n")


def holds(out: Path, tree: dict[str, str]) -> bool:
    """`out` is exactly `tree` with its manifest, plus the user's file (kept, not ours)."""
    report = compare_tree(out, tree)
    return not (report.missing or report.changed or report.errors) and report.extra == [USER_FILE]


def assert_old_or_new_then_recovers(out: Path, exchange: bool) -> str:
    if not exchange:  # a kill between the renames leaves no `out` but a complete sibling, which
        swap.recover(out)  # the next write moves into place first (`check` alone never reads it)
    old, new = holds(out, OLD), holds(out, NEW)
    assert old != new, "a killed write left a mixed tree"
    if exchange:  # the exchange is atomic: `out` itself is always complete, even before recovery
        assert out.is_dir()
    assert write_tree(out, NEW).ok
    assert holds(out, NEW)
    assert siblings(out) == []
    return "old" if old else "new"


def count_ops(out: Path, *flags: str) -> tuple[int, list[int]]:
    """How many filesystem-changing calls a full write makes, and which of them are renames."""
    fresh_old_tree(out)
    child = start(out, *flags)
    stdout, _ = child.communicate(timeout=60)
    assert child.returncode == 0
    _, total, swaps = stdout.split()
    return int(total), [int(n) for n in swaps.split(",")]


@pytest.mark.parametrize("flags", [(), ("--no-exchange",)], ids=["exchange", "three-renames"])
def test_kill_at_seeded_filesystem_operations(tmp_path: Path, flags: tuple[str, ...]) -> None:
    out = tmp_path / "gen"
    total, swaps = count_ops(out, *flags)
    assert total > len(NEW) and len(swaps) == (3 if flags else 1)  # the counter sees the write
    rng = random.Random(4)
    # Random moments, plus just before and just after each rename of the swap.
    moments = sorted({*rng.sample(range(1, total), 4), *swaps, swaps[-1] + 1, total})
    seen = set()
    for kill_at in moments:
        fresh_old_tree(out)
        child = start(out, *flags, "--kill-at", str(kill_at))
        child.communicate(timeout=60)
        assert child.returncode == -signal.SIGKILL
        seen.add(assert_old_or_new_then_recovers(out, exchange=not flags))
    assert seen == {"old", "new"}  # both sides of the swap were hit


def test_kill_at_seeded_random_times(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    fresh_old_tree(out)
    started = time.monotonic()
    child = start(out)
    child.communicate(timeout=60)
    duration = time.monotonic() - started
    rng = random.Random(7)
    for _ in range(5):
        fresh_old_tree(out)
        child = start(out)
        time.sleep(rng.uniform(0, duration))
        child.kill()
        child.communicate(timeout=60)
        assert_old_or_new_then_recovers(out, exchange=True)
