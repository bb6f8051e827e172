"""Two runs at once on one output folder: the second waits (bounded) and nothing is corrupted."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from treeutil import siblings

from generator.output.drift import compare_tree
from generator.output.lock import output_lock
from generator.output.write import write_tree

TREE_A = {f"pkg/m{i:03}.py": f"A = {i}\n" * 20 for i in range(150)}
TREE_B = {f"pkg/m{i:03}.py": f"B = {i}\n" * 20 for i in range(0, 150, 2)} | {"b_only.py": "b\n"}

WRITER = """
import sys
from pathlib import Path
from generator.output.write import write_tree
out, name, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
tree = {f"pkg/m{i:03}.py": f"A = {i}\\n" * 20 for i in range(150)}
if name == "B":
    tree = {f"pkg/m{i:03}.py": f"B = {i}\\n" * 20 for i in range(0, 150, 2)} | {"b_only.py": "b\\n"}
for _ in range(rounds):
    result = write_tree(out, tree, lock_timeout=60)
    assert result.ok, result.errors
"""


def test_a_second_writer_gives_up_with_a_clear_message(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree(out, TREE_A)
    with output_lock(out):
        started = time.monotonic()
        result = write_tree(out, TREE_B, lock_timeout=0.3)
        assert time.monotonic() - started >= 0.3
    assert not result.ok and "another doc2code run is writing" in result.errors[0]
    assert compare_tree(out, TREE_A).clean


def test_a_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree(out, TREE_A)
    held = threading.Event()

    def hold() -> None:
        with output_lock(out):
            held.set()
            time.sleep(0.4)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    started = time.monotonic()
    result = write_tree(out, TREE_B, lock_timeout=10)
    waited = time.monotonic() - started
    thread.join()
    assert result.ok and waited >= 0.3
    assert compare_tree(out, TREE_B).clean


def test_concurrent_writers_and_a_reader_never_see_a_mix(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree(out, TREE_A)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(out), name, "4"], stderr=subprocess.PIPE
        )
        for name in ("A", "B")
    ]
    # With B on disk, a check against A sees exactly this; any other report is a mixed tree.
    b_vs_a = (
        sorted(set(TREE_A) - set(TREE_B)),
        sorted(set(TREE_A) & set(TREE_B)),
        sorted(set(TREE_B) - set(TREE_A)),
    )
    reads = 0
    while any(w.poll() is None for w in writers):
        report = compare_tree(out, TREE_A)
        assert report.clean or (report.missing, report.changed, report.extra) == b_vs_a
        reads += 1
    for w in writers:
        assert w.wait() == 0, w.stderr.read().decode() if w.stderr else ""
    assert reads > 0
    assert compare_tree(out, TREE_A).clean or compare_tree(out, TREE_B).clean
    assert siblings(out) == []
