"""`doc2code lint` and `doc2code ir` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT, SPECS


def test_lint_prints_sorted_diagnostics_and_exits_1_on_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(SPECS)]) == 1  # the broken seed URL is an error
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("5 pages: 2 errors,")
    findings = out[:-1]
    assert findings == sorted(findings, key=lambda l: (l.split(":")[0], int(l.split(":")[1])))
    assert any(": D306 error request URL is not a URL or path" in l for l in findings)


def test_lint_fail_on_threshold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "widget.md"
    page.write_text("---\ntitle: widget resource type\ndoc_type: resourcePageType\n---\n# widget resource type\n\n## Properties\n|Property|Type|Description|\n|-|-|-|\n|a|String|A.|b|\n")
    assert main(["lint", str(page)]) == 0  # only a warning
    assert main(["lint", str(page), "--fail-on", "warning"]) == 1
    capsys.readouterr()
    assert main(["lint", str(page), "--format", "json"]) == 0
    assert [d["code"] for d in json.loads(capsys.readouterr().out)] == ["D201"]


def test_lint_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    main(["lint", str(SPECS), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert {"path", "line", "col", "code", "severity", "message"} <= set(data[0])


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--fail-on", "nonsense"]) == 2
    assert main(["lint", "/no/such/folder"]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_ir_is_deterministic_across_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "4242"):
        target = tmp_path / f"ir-{seed}.json"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "generator", "ir", str(SPECS), "-o", str(target)], cwd=ROOT, env=env, check=True)
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    data = json.loads(outputs[0])
    assert data["format"] == "doc2code-ir/1"
    assert [t["name"].lower() for t in data["types"]] == sorted(t["name"].lower() for t in data["types"])
    assert all(not Path(t["source"]).is_absolute() for t in data["types"])


def test_ir_in_process_leaves_the_collector_as_it_was(tmp_path: Path) -> None:
    """`ir` pauses and freezes the cycle collector while it reads; a caller that goes on
    (a test run, an embedding tool) gets it back enabled, nothing frozen, every output the same."""
    import gc

    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["ir", str(SPECS), "-o", str(first)]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert main(["ir", str(SPECS), "--jobs", "1", "-o", str(second)]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(first.read_text(encoding="utf-8"))["operations"]
