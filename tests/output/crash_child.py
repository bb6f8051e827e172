"""Child process for the SIGKILL tests: write a big tree, optionally killing itself mid-way.

    python crash_child.py OUT old|new [--kill-at N] [--no-exchange]

Prints `go` when it starts writing and, on success, `ops N I,J,..`: the number of
filesystem-changing calls the write made and the numbers of those that are renames (the swap).
With `--kill-at N` it sends itself SIGKILL just before the N-th one.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
from pathlib import Path

import generator.output.write as write_mod
from generator.output import swap
from generator.output.write import write_tree


def make_tree(name: str, files: int = 200) -> dict[str, str]:
    """Two versions of a tree: `new` changes a third, drops a third's tail, adds its own files."""
    tree = {}
    for i in range(files):
        if name == "new" and i % 3 == 2 and i > files // 2:
            continue
        version = "new" if name == "new" and i % 3 == 0 else "old"
        tree[f"pkg/mod{i // 100}/file{i:04}.py"] = f"# {version} {i}\n" + "x = 1\n" * 40
    if name == "new":
        tree |= {f"pkg/added/file{i}.py": f"added = {i}\n" for i in range(30)}
    return tree


def _counting(kill_at: int | None) -> tuple[list[int], list[int]]:
    count, swaps = [0], []

    def wrap(owner: object, attr: str) -> None:
        original = getattr(owner, attr)

        def counted(*args: object, **kwargs: object) -> object:
            count[0] += 1
            if attr in ("rename", "_exchange"):
                swaps.append(count[0])
            if count[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return original(*args, **kwargs)

        setattr(owner, attr, counted)

    for owner, attr in [
        (os, "link"),
        (os, "open"),
        (os, "write"),
        (os, "rename"),
        (os, "unlink"),
        (os, "rmdir"),
        (os, "chmod"),
        (os, "mkdir"),
        (shutil, "rmtree"),
        (swap, "_exchange"),
    ]:
        wrap(owner, attr)
    return count, swaps


def main(argv: list[str]) -> int:
    out, name = Path(argv[0]), argv[1]
    kill_at = int(argv[argv.index("--kill-at") + 1]) if "--kill-at" in argv else None
    tree = make_tree(name)
    if "--no-exchange" in argv:
        original = swap.install

        def three_renames(staged: Path, target: Path) -> None:
            original(staged, target, use_exchange=False)

        write_mod.install = three_renames
    count, swaps = _counting(kill_at)
    print("go", flush=True)
    result = write_tree(out, tree)
    if not result.ok:
        print("\n".join(result.errors), file=sys.stderr)
        return 1
    print(f"ops {count[0]} {','.join(map(str, swaps))}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
