"""Broken, huge, deep and cyclic pages end to end through `doc2code generate` (issue 6).

The model-level cases live in tests/model/test_hostile_pages.py; here each page goes through the
whole run (parse, resolve, render, format, write): a diagnostic or a correct result, in bounded
time, never a traceback, a RecursionError or a hang; and the package made from all of them
together still compiles and imports.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.parse.lenient_json import MAX_DEPTH
from tests.security.harness import CANARY_FILE, compile_all, import_all, run_generate, write_pages
from tests.security.pages import api_page, resource_page

PROPS = "## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n"


def _front(yaml_text: str) -> str:
    return f"---\n{yaml_text}\n---\n# y resource type\n\n{PROPS}|a|String|A.|\n"


def _deep_json(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


def _deep_example(body: str, name: str) -> str:
    return api_page(
        "Create deep",
        name,
        "POST",
        "/deeps",
        "deep",
        raw_request_body=body,
        response_body={"id": "1"},
    )


def _cycle(name: str, base: str, prop_type: str) -> str:
    return resource_page(
        name,
        [
            ("id", "String", "Id."),
            (f"{name}Self", prop_type, "Itself."),
            (f"{name}Many", f"[{name}]({name.lower()}.md) collection", "Many of itself."),
        ],
        base=base,
    )


# Lines that made a regex restart its scan at every position (quadratic or worse) before.
PATHOLOGICAL = [
    "[",
    "`",
    "{",
    "*a _b ",
    "[x](",
    "[a](b ",
    "<a ",
    "200 OK ",
    "[!INCLUDE [",
    "**a ",
    "__a ",
    "* ",
]


def _pathological_page(unit: str, n: int = 40_000) -> str:
    s = unit * (n // len(unit))
    return (
        f"---\ntitle: t\ndoc_type: apiPageType\n---\n# {s[:3000]}\n\n{s}\n\n## HTTP request\n```http\nGET /x/{s}\n```\n"
        f"## Request body\n|Property|Type|Description|\n|-|-|-|\n|p|{s}|{s}|\n|{s}|String|d|\n"
        f"## Response\nIf successful, returns `200 OK` and a [{s}]({s}) object. {s} status\n"
        f'## Example\n<!-- {{ "blockType": "request", "name": "p" }} -->\n```http\n'
        f'POST https://graph.microsoft.com/v1.0/{s}\nContent-Type: application/json\n\n{{"a": {json.dumps(s)}, {s}}}\n```\n'
        f'<!-- {{ "blockType": "response" }} -->\n```http\nHTTP/1.1 {s}\n\n{s}\n```\n'
    )


# name -> (pages, codes of which at least one must be reported)
CASES: dict[str, tuple[dict[str, str | bytes], set[str]]] = {
    "yaml-object-tag": (
        {
            "resources/y.md": _front(
                f"title: !!python/object/apply:os.system ['touch {CANARY_FILE}']"
            )
        },
        {"D103"},
    ),
    "yaml-name-tag": (
        {
            "resources/y.md": _front(
                "title: !!python/name:os.system\ndoc_type: !!python/object:os.Popen {}"
            )
        },
        {"D103"},
    ),
    "yaml-alias-bomb": (
        {
            "resources/y.md": _front(
                "\n".join(
                    ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
                    + [
                        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]"
                        for i in range(8)
                    ]
                )
            )
        },
        {"D103"},
    ),
    "yaml-list-where-text-belongs": (
        {
            "resources/y.md": _front(
                "title: [a, b]\ndescription: {x: 1}\ndoc_type: [resourcePageType]"
            )
        },
        {"D104"},
    ),
    "yaml-deep": (
        {
            "resources/y.md": _front(
                "title: " + "[" * 300 + "]" * 300 + "\nx: " + "{a: " * 40 + "1" + "}" * 40
            )
        },
        {"D103"},
    ),
    "yaml-unclosed": (
        {"resources/y.md": "---\ntitle: x\n# y resource type\n" + PROPS + "|a|String|A.|\n"},
        {"D102"},
    ),
    "empty": ({"resources/empty.md": b""}, {"D101"}),
    "only-dashes": ({"resources/dashes.md": b"---\n---\n---\n"}, {"D105"}),
    "binary": ({"resources/bin.md": bytes(range(256)) * 64}, {"D108"}),
    "invalid-utf8-and-nul": (
        {
            "resources/nul.md": b"---\ntitle: a\x00b\n---\n# n\x00 resource type\n\xff\xfe\n"
            + PROPS.encode()
            + b"|a\x00|String|A\x00.|\n"
        },
        {"D108"},
    ),
    "deep-json-example": ({"api/deep.md": _deep_example("[" * 200_000, "deep_brackets")}, {"D307"}),
    "deep-valid-json-example": (
        {"api/deep2.md": _deep_example(_deep_json(3000), "deep_valid")},
        {"D307"},
    ),
    "json-just-too-deep": (
        {"api/deep4.md": _deep_example(_deep_json(MAX_DEPTH + 1), "deep_over")},
        {"D307"},
    ),
    "deep-annotation": (
        {
            "api/deep3.md": api_page("Deep", "x", "GET", "/d", "deep").replace(
                '"blockType": "request"', '"blockType": "request", "deep": ' + "[" * 100_000, 1
            )
        },
        {"D301", "D302"},
    ),
    "deep-markdown": (
        {
            "resources/quote.md": "# q resource type\n\n"
            + ">" * 20_000
            + " deep\n\n"
            + "  " * 5_000
            + "- item\n" * 3
            + "\n"
            + "[" * 50_000
            + "x"
            + "](y)" * 3
            + "\n\n"
            + PROPS
            + "|a|"
            + "[" * 20_000
            + "String|A.|\n"
        },
        {"D101", "D202"},  # no front matter (read by content), the type cell of the deep row
    ),
    "huge-table": (
        {
            "resources/huge.md": resource_page(
                "huge", [(f"p{i}", "String", f"Property {i}.") for i in range(30_000)], json_body={}
            )
        },
        set(),
    ),
    "multi-megabyte-line": (
        {
            "resources/long.md": resource_page(
                "long", [("a", "String", "x" * 3_000_000)], description="y " * 1_000_000
            )
        },
        set(),
    ),
    "pathological-lines": (
        {f"api/p{i}.md": _pathological_page(u) for i, u in enumerate(PATHOLOGICAL)},
        set(),
    ),
    "crlf-and-bom": (
        {
            "resources/crlf.md": ("\ufeff" + resource_page("crlf", [("a", "String", "A.")]))
            .replace("\n", "\r\n")
            .encode()
        },
        set(),
    ),
    "cycles": (
        {
            "resources/ca.md": _cycle("ca", "cb", "[cb](cb.md)"),
            "resources/cb.md": _cycle("cb", "ca", "[ca](ca.md)"),
            "resources/cself.md": _cycle("cself", "cself", "[cself](cself.md)"),
            "resources/c1.md": _cycle("c1", "c2", "[c3](c3.md)"),
            "resources/c2.md": _cycle("c2", "c3", "[c1](c1.md)"),
            "resources/c3.md": _cycle("c3", "c1", "[c2](c2.md)"),
        },
        {"D402"},
    ),
}
BUDGET_SECONDS = {"huge-table": 60, "multi-megabyte-line": 60, "pathological-lines": 20}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_page_gives_a_diagnostic_and_a_package(case: str, tmp_path: Path) -> None:
    pages, expected = CASES[case]
    write_pages(tmp_path / "specs", pages)
    start = time.perf_counter()
    run = run_generate(tmp_path / "specs", tmp_path / "out")
    took = time.perf_counter() - start
    assert run.code == 0, run.stdout + run.stderr
    assert "D901" not in run.codes and "D902" not in run.codes, run.stdout
    assert "Traceback" not in run.stdout + run.stderr
    if expected:
        assert expected & set(run.codes), (expected, run.codes)
    assert took < BUDGET_SECONDS.get(case, 20), took
    if case == "cycles":  # every cycle, a type inheriting from itself included, is one D402
        assert len(run.lines("D402")) == 3 and "D405" not in run.codes, run.stdout
    assert compile_all(tmp_path / "out") > 5
    assert not (tmp_path / CANARY_FILE).exists()


def test_crlf_and_bom_read_like_the_clean_page(tmp_path: Path) -> None:
    clean = resource_page("crlf", [("a", "String", "A.")])
    write_pages(tmp_path / "a", {"resources/crlf.md": clean})
    write_pages(
        tmp_path / "b", {"resources/crlf.md": ("\ufeff" + clean).replace("\n", "\r\n").encode()}
    )
    run_generate(tmp_path / "a", tmp_path / "out-a")
    run_generate(tmp_path / "b", tmp_path / "out-b")
    model = "pkg/models/crlf.py"
    assert (tmp_path / "out-a" / model).read_bytes() == (tmp_path / "out-b" / model).read_bytes()
    assert '"a"' in (tmp_path / "out-b" / model).read_text()


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All the broken pages above in one specs folder (distinct paths), generated once."""
    root = tmp_path_factory.mktemp("broken")
    merged: dict[str, str | bytes] = {}
    for case, (pages, _) in sorted(CASES.items()):
        if case in BUDGET_SECONDS:
            continue  # the slow ones are covered above
        merged.update(pages)
    write_pages(root / "specs", merged)
    run = run_generate(root / "specs", root / "out")
    assert run.code == 0 and "D901" not in run.codes, run.stdout + run.stderr
    return root / "out"


def test_the_package_of_all_broken_pages_imports(everything: Path) -> None:
    extra = """
from pkg.models import Ca, Cb, Cself, C1
loop = Cself.model_validate({"id": "1", "cselfSelf": {"cselfSelf": {"id": "3"}}, "cselfMany": [{"id": "4"}]})
result["nested"] = loop.to_json()
result["bases"] = sorted(b.__name__ for b in (Ca.__mro__ + Cb.__mro__ + Cself.__mro__ + C1.__mro__))
result["cycle"] = Ca.model_validate({"caSelf": {"cbSelf": {"id": "x"}}}).to_json()
"""
    result = import_all(everything, extra=extra)
    assert result["nested"] == {
        "id": "1",
        "cselfSelf": {"cselfSelf": {"id": "3"}},
        "cselfMany": [{"id": "4"}],
    }
    # the cycle is broken with `cb` based on `ca`: a derived type writes its own @odata.type
    assert result["cycle"] == {"caSelf": {"@odata.type": "#microsoft.graph.cb", "cbSelf": {"id": "x"}}}
    assert "Cself" in result["bases"]


def test_deep_example_data_stays_loadable(everything: Path) -> None:
    """A deeply nested example is kept as data a fixture file can hold and Python can load."""
    for file in (everything / "pkg" / "fixtures").glob("*.json"):
        json.loads(file.read_text(encoding="utf-8"))


def test_examples_at_the_depth_limit_replay_through_the_generated_tests(tmp_path: Path) -> None:
    """The deepest example the parser keeps survives pickling, fixtures, the stub and the client."""
    deep = json.loads(_deep_json(MAX_DEPTH - 1))
    write_pages(
        tmp_path / "specs",
        {
            "resources/deep.md": resource_page(
                "deep",
                [("id", "String", "Id."), ("a", "Object", "Deep.")],
                json_body={"id": "String", "a": deep},
            ),
            "api/deep-create.md": api_page(
                "Create deep",
                "create_deep",
                "POST",
                "/deeps",
                "deep",
                {"a": deep},
                {"id": "1", "a": deep},
                "201 Created",
            ),
        },
    )
    run = run_generate(tmp_path / "specs", tmp_path / "out")
    assert run.code == 0 and not {"D307", "D901"} & set(run.codes), run.stdout
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "out"), "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "pkg/tests"],
        cwd=tmp_path / "out",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0 and " passed" in proc.stdout and "xfail" not in proc.stdout, (
        proc.stdout + proc.stderr
    )
