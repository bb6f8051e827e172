"""Jinja syntax in any doc text is printed literally, never evaluated (issue 6).

Every text slot of a page (front matter, title, intro, property and member descriptions, example
bodies, JSON names, example names, paths) carries template code whose evaluation would leave a
mark (a product, a loop's output, the contents of a file, a canary). The literal text must reach
the output; no mark may.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.security.harness import compile_all, import_all, run_generate, write_pages
from tests.security.pages import api_page, enum_page, resource_page

PRODUCT = "{{ 1234 * 1000 }}"  # evaluated: 1234000
LOOP = "{% for x in 'abc' %}Q{{ x }}{% endfor %}"  # evaluated: QaQbQc
COMMENT = "{# gone #}"  # evaluated: disappears
INCLUDE = "{% include '/etc/passwd' %}"  # evaluated: the file's lines
SSTI = "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}"
RAW = "{% raw %}{{ 9 * 9 }}{% endraw %}"  # evaluated: loses the raw tags
TEXTS = [PRODUCT, LOOP, COMMENT, INCLUDE, RAW, "{%- set x = 1 -%}", "{{", "}}", "{%", "%}"]
MARKS = ["1234000", "QaQbQc", "root:x:0:0"]
ALL = " ".join(TEXTS)


def _pages() -> dict[str, str]:
    body = {"tmpl": ALL, "{{ key }}": PRODUCT, "nested": {"a": [LOOP, {"b": SSTI}]}}
    resource = resource_page(
        "tmpl",
        [("tmpl", "String", ALL), ("other", "[tmplKind](tmplkind.md)", SSTI)],
        description=f"{ALL} {SSTI}",
        json_body={"tmpl": ALL, "other": "a"},
    ).replace("---\n\n#", f"description: {ALL!r}\nauthor: {SSTI!r}\n---\n\n#", 1)
    return {
        "resources/tmpl.md": resource,
        "resources/tmplkind.md": enum_page("tmplKind", [("a", ALL), ("b", SSTI)], description=ALL),
        "api/tmpl-create.md": api_page(
            f"Create tmpl {PRODUCT}",
            f"create_{PRODUCT}",
            "POST",
            "/tmpls/{tmpl-id}/children",
            "tmpl",
            body,
            {"id": "1", "tmpl": ALL, "{{ key }}": PRODUCT},
            "201 Created",
            description=f"{ALL} {SSTI}",
        ),
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tmpl")
    write_pages(root / "specs", _pages())
    run = run_generate(root / "specs", root / "out", formatter="black")
    assert run.code == 0 and "D901" not in run.codes, run.stdout + run.stderr
    return root / "out"


def _texts(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def test_no_template_code_was_evaluated(generated: Path) -> None:
    for path, text in _texts(generated).items():
        for mark in MARKS:
            assert mark not in text, (path, mark)
    assert not (generated / "PWNED").exists() and not Path("PWNED").exists()


def test_template_code_arrives_literally(generated: Path) -> None:
    texts = _texts(generated)
    joined = "\n".join(texts.values())
    for text in TEXTS + [SSTI]:
        assert text in joined or text.replace("'", "\\'") in joined, text
    extra = """
from pkg.models import Tmpl, TmplKind
result["doc"] = Tmpl.__doc__
result["field"] = Tmpl.model_fields["tmpl"].description
result["member_doc"] = TmplKind.__doc__
"""
    result = import_all(generated, extra=extra)
    for text in TEXTS:
        assert text in result["field"], text
        assert text in " ".join(result["doc"].split()), text
        assert text in " ".join(result["member_doc"].split()), text


def test_fixtures_and_openapi_keep_the_example_bodies(generated: Path) -> None:
    texts = _texts(generated)
    fixtures = "\n".join(t for p, t in texts.items() if p.startswith("pkg/fixtures/"))
    assert fixtures and '"{{ key }}"' in fixtures and LOOP in fixtures
    assert PRODUCT in texts["openapi.json"]
    assert compile_all(generated) > 10
