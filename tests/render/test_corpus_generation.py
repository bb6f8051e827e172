"""Over the v1.0 and OneDrive corpora: the package generates, imports, names its API by route,
and its example tests and route walks pass (floors)."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(
    os.environ.get(
        "DOC2CODE_CORPUS", Path(__file__).resolve().parents[3] / "shared/corpus/graph-v1.0"
    )
)
ONEDRIVE = CORPUS.parent / "onedrive"
pytestmark = [pytest.mark.corpus, pytest.mark.slow]
NUMBERED = re.compile(r"_\d+$")


def _counts(output: str) -> dict[str, int]:
    return {
        kind: int(n)
        for n, kind in re.findall(r"(\d+) (passed|failed|xfailed|xpassed|skipped|errors?)", output)
    }


def _generate(corpus: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    gen = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            "--specs",
            str(corpus),
            "--out",
            str(out),
            "--formatter",
            "ruff",
            "-q",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert gen.returncode == 0, gen.stderr[-2000:]
    return out


def _run_tests(out: Path, *more: str) -> dict[str, int]:
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *more, "graph_client/tests"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = run.stdout.splitlines()
    assert lines, f"the generated tests printed nothing: {run.stderr[-4000:]}"
    counts = _counts(lines[-1])
    assert set(counts) <= {"passed", "xfailed", "deselected"}, run.stdout[-4000:]
    return counts


def _public_names(package: Path) -> set[str]:
    """Client builder members and server handlers: the names a user of the package reads."""
    names: set[str] = set()
    for path in [*(package / "builders").glob("*.py"), *(package / "handlers").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                names.add(node.name)
    return names


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS} (set DOC2CODE_CORPUS)")
def test_corpus_package_generates_imports_and_passes(tmp_path: Path) -> None:
    out = _generate(CORPUS, tmp_path)
    package = out / "graph_client"
    assert len(list((package / "models").glob("*.py"))) >= 850
    assert len(list((package / "fixtures").glob("*.json"))) >= 1500
    probe = "import graph_client, graph_client.server as s; print(len(s.create_app().routes))"
    routes = subprocess.run(
        [sys.executable, "-c", probe], cwd=out, capture_output=True, text=True, check=False
    )
    assert routes.returncode == 0, routes.stderr[-2000:]
    assert int(routes.stdout.strip()) >= 2200
    # names from routes: no numbered or `_from` name among client, handler and operationId
    doc = json.loads((out / "openapi.json").read_text(encoding="utf-8"))
    ids = [o["operationId"] for item in doc["paths"].values() for o in item.values()]
    names = _public_names(package) | set(ids)
    assert not [n for n in names if NUMBERED.search(n) or n.endswith("_from")]
    assert len(ids) == len(set(ids)) >= 2200
    required = [
        p["name"]
        for item in doc["paths"].values()
        for o in item.values()
        for p in o.get("parameters", [])
        if p["in"] == "query" and p["required"]
    ]
    assert len(required) <= 5, required  # measured: 0 (194 before routes)
    # the mock answers GET /users/{id} with a user, not another page's `{"value": ...}` wrapper
    probe = (
        "from starlette.testclient import TestClient\n"
        "import graph_client, graph_client.server as s\n"
        "with TestClient(s.create_app()) as http:\n"
        "    reply = http.get('/users/u1').json()\n"
        "    user = graph_client.Client('http://testserver', http=http).users.by_id('u1').get()\n"
        "print(type(user).__name__, sorted(reply)[:3])\n"
    )
    mock = subprocess.run(
        [sys.executable, "-c", probe], cwd=out, capture_output=True, text=True, check=False
    )
    assert mock.returncode == 0, mock.stderr[-2000:]
    assert mock.stdout.startswith("User ") and "'value'" not in mock.stdout, mock.stdout
    # every example replayed through the fluent client against the stub (and its bodies round
    # trip), every route walked through a recording MockTransport, sync and async.
    # measured: 5424 passed (3206 examples + 2218 routes), 166 xfailed (strict: each names its
    # docs defect), nothing else
    counts = _run_tests(out)
    total = sum(counts.values())
    assert total >= 5500, counts
    assert counts.get("passed", 0) >= 5300, counts
    assert counts.get("passed", 0) >= 0.95 * total, counts


@pytest.mark.skipif(not ONEDRIVE.is_dir(), reason=f"corpus not found at {ONEDRIVE}")
def test_onedrive_routes_and_example_tests(tmp_path: Path) -> None:
    out = _generate(ONEDRIVE, tmp_path)
    walks = _run_tests(out, "-k", "test_route_call")
    assert walks.get("passed", 0) >= 150 and "xfailed" not in walks, walks
    # `/drive`, `/me/drive` and `/drives/{drive-id}` are one route family; path addressing
    # measured: 115 passed, 6 xfailed (95.0%; 91.0% before routes)
    examples = _run_tests(out, "-k", "not test_route_call")
    done = examples.get("passed", 0) + examples.get("xfailed", 0)
    assert examples.get("passed", 0) >= 0.95 * done, examples
