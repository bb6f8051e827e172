"""`make docsets`: what doc2code reads from each visible doc set, in figures.

Usage: python benchmarks/docsets.py [NAME=FOLDER ...]
Default doc sets: seeds (specs/), v1.0 (../shared/corpus/graph-v1.0), OneDrive
(../shared/corpus/onedrive); a missing folder is reported and skipped. For each it prints pages
read (and by kind), types (by kind), properties, navigation properties, enum members,
operations, distinct routes (method + path), example counts and diagnostics by code. With
`--sample N` it also prints N warnings per doc set, chosen evenly over the sorted list, to be
read as a docs author would. It asserts nothing: figures, not tests.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_SETS = {
    "seeds": ROOT / "specs",
    "v1.0": ROOT.parent / "shared" / "corpus" / "graph-v1.0",
    "OneDrive": ROOT.parent / "shared" / "corpus" / "onedrive",
}


def figures(folder: Path) -> tuple[dict[str, object], list[str]]:
    from generator.build import load_api

    api = load_api([folder])
    types = [t for t in api.types.values()]
    kinds = Counter(t.kind for t in types)
    page_kinds = Counter(p.doc_type or "none" for p in api.pages)
    routes = {(op.method, p.template.lower()) for op in api.operations for p in op.paths}
    codes = Counter(d.code for d in api.diagnostics)
    result: dict[str, object] = {
        "pages read": len(api.pages),
        "pages by kind": dict(sorted(page_kinds.items())),
        "pages with types": sum(1 for p in api.pages if p.types),
        "pages with operations": sum(1 for p in api.pages if p.operations),
        "types": len(types),
        "types by kind": dict(sorted(kinds.items())),
        "properties": sum(len(t.properties) for t in types),
        "navigation properties": sum(len(t.navigation) for t in types),
        "enum members": sum(len(t.members) for t in types),
        "operations": len(api.operations),
        "routes": len(routes),
        "examples": sum(len(op.examples) for op in api.operations),
        "diagnostics": len(api.diagnostics),
        "diagnostics by code": dict(sorted(codes.items())),
    }
    warnings = [d.format() for d in api.diagnostics if str(d.severity) != "info"]
    return result, warnings


def main(argv: list[str]) -> int:
    sample = 0
    args = list(argv[1:])
    if "--sample" in args:
        i = args.index("--sample")
        sample = int(args[i + 1])
        del args[i : i + 2]
    sets = dict(DEFAULT_SETS)
    if args:
        sets = {}
        for arg in args:
            name, _, folder = arg.partition("=")
            sets[name if folder else Path(name).name] = Path(folder or name)
    for name, folder in sets.items():
        print(f"== {name}: {folder}")
        if not folder.is_dir():
            print("   (not found; skipped)")
            continue
        result, warnings = figures(folder)
        for key, value in result.items():
            print(f"   {key:<24} {value}")
        if sample and warnings:
            step = max(1, len(warnings) // sample)
            print(f"   -- {min(sample, len(warnings))} of {len(warnings)} warnings/errors:")
            for w in warnings[::step][:sample]:
                print(f"      {w}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
