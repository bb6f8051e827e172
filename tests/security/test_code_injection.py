"""Hostile names and doc text, end to end: pages -> `doc2code generate` -> import in a fresh
interpreter. The code compiles, importing it does nothing but define things (audited), doc text
arrives intact as data, and the models still speak the documented JSON names (issue 6)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from tests.security.harness import (
    CODE,
    HOSTILE_TEXTS,
    compile_all,
    import_all,
    run_generate,
    write_pages,
)
from tests.security.pages import api_page, enum_page, resource_page

DESCRIPTION = " ".join(t for t in HOSTILE_TEXTS if "\x00" not in t)
# Property names the table grammar accepts as identifiers, each a trap for a naive generator.
NAMES = [
    "class",
    "import",
    "Import",
    "None",
    "True",
    "self",
    "cls",
    "print",
    "type",
    "id",
    "Id",
    "my-prop",
    "my_prop",
    "__class__",
    "__init__",
    "__dict__",
    "_private",
    "model_config",
    "model_dump",
    "model_validate",
    "toJson",
    "to_json",
    "odataType",
    "9lives",
    "0",
    "a.b",
    "a@b",
    "odata.type",
    "@odata.type",
    "schema",
    "json",
    "copy",
    "validate",
    "fields",
    "dict",
    "__odata_type__",
    "lambda",
    "match",
    "case",
    "_",
    "async",
    "await",
    "ünïcödé",
    "日本語",
]


def _evil_resource() -> str:
    props = [(n, "String", DESCRIPTION) for n in NAMES]
    props += [("count", "Int32", CODE), ("kind", "[evilKind](evilkind.md)", "\"\"\" \\ '''")]
    body = {n: f"value of {n}" for n in NAMES if not n.startswith("@")}
    body.update({"count": 3, "kind": "class", "@odata.type": "#microsoft.graph.class"})
    return resource_page("class", props, description=DESCRIPTION, json_body=body)


def _evil_enum() -> str:
    members = ["None", "class", "a-b", "a_b", "9x", "_x", "__init__", "value", "name", "mro", "ünï"]
    return enum_page("evilKind", [(m, DESCRIPTION) for m in members], description=DESCRIPTION)


def _evil_api() -> str:
    request = {"count": 1, "class": "x", "my-prop": CODE}
    response = {
        "@odata.type": "#microsoft.graph.class",
        "id": "1",
        "class": "{{ 7*7 }}",
        "my-prop": CODE,
    }
    return api_page(
        f"Create class {CODE}",
        "import",  # the operation / method name: a keyword
        "POST",
        "/classes/{class-id}/import",
        "class",
        request,
        response,
        "201 Created",
        description=DESCRIPTION.replace("\n", " "),
    )


def _evil_api_names() -> dict[str, str]:
    """More operations whose annotation names are keywords, dunders, digits, code, paths."""
    pages = {}
    for i, name in enumerate(
        ["__init__", "class", "9lives", "a-b.c@d", "../../x", CODE, "self", "list", "import"]
    ):
        pages[f"api/op{i}.md"] = api_page(
            f"Op {i}", name, "GET", f"/things{i}/{{id}}", "class", None, {"id": "1"}, "200 OK"
        )
    return pages


@pytest.fixture(scope="module")
def evil(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("evil")
    specs, out = root / "specs", root / "out"
    pages = {
        "resources/class.md": _evil_resource(),
        "resources/evilkind.md": _evil_enum(),
        "api/class-import.md": _evil_api(),
        **_evil_api_names(),
    }
    write_pages(specs, pages)
    run = run_generate(specs, out)
    assert run.code == 0, run.stdout + run.stderr
    return out, run


def test_generated_code_compiles_and_imports_with_no_side_effects(
    evil: tuple[Path, object],
) -> None:
    out, run = evil
    assert "D901" not in run.codes and "D902" not in run.codes  # type: ignore[attr-defined]
    compile_all(out)
    result = import_all(out)
    assert "pkg.models.class_" in result["modules"]


def test_doc_text_is_data_everywhere(evil: tuple[Path, object]) -> None:
    """The payload's statements exist nowhere as code: only inside string constants."""
    out, _ = evil
    for file in sorted(out.rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                assert node.attr not in ("environ", "setdefault", "system"), (
                    file,
                    ast.unparse(node),
                )
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("open", "__import__", "eval", "exec"), (
                    file,
                    ast.unparse(node),
                )
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                assert "os" not in [a.name for a in node.names], (file, ast.unparse(node))


def test_models_keep_the_documented_json_names(evil: tuple[Path, object]) -> None:
    out, _ = evil
    documented = {n: f"value of {n}" for n in NAMES if not n.startswith("@")}
    extra = f"""
from pkg.models import Class, EvilKind
data = {documented!r}
data.update(count=3, kind="class")
m = Class.model_validate(data)
dumped = m.model_dump(by_alias=True, exclude_none=True, mode="json")
result["roundtrip"] = {{k: dumped.get(k) for k in data}} == data
result["attrs"] = sorted(Class.model_fields)
result["aliases"] = sorted(f.serialization_alias for f in Class.model_fields.values())
result["to_json"] = m.to_json().get("toJson")  # the method survives a property named toJson
result["doc"] = Class.__doc__
result["field_doc"] = Class.model_fields[next(n for n, f in Class.model_fields.items() if f.serialization_alias == "count")].description
result["members"] = sorted((m.name, m.value) for m in EvilKind)
result["unknown_member"] = EvilKind("notDocumentedYet").value
"""
    result = import_all(out, extra=extra)
    assert result["roundtrip"] is True
    attrs = result["attrs"]
    assert all(a.isidentifier() and not a.startswith("_") for a in attrs), attrs
    aliases = result["aliases"]
    assert len(aliases) == len(set(aliases)) == len(attrs)
    assert {
        "my-prop",
        "my_prop",
        "a.b",
        "a@b",
        "toJson",
        "to_json",
        "odataType",
        "odata.type",
        "9lives",
        "0",
    } <= set(aliases)
    assert result["to_json"] == "value of toJson"
    for text in ("{{ 7*7 }}", "{% for x in range(3) %}loop{% endfor %}", "{# hidden #}", "\\"):
        assert text in result["doc"], text
    assert result["field_doc"] == CODE
    members = dict(result["members"])
    assert {"None", "class", "a-b", "a_b", "_x", "value", "name", "mro"} <= set(members.values())
    assert all(name.isidentifier() and not name.startswith("_") for name in members)
    assert result["unknown_member"] == "notDocumentedYet"


def test_collisions_after_sanitising_are_reported_and_deterministic(
    evil: tuple[Path, object], tmp_path: Path
) -> None:
    out, run = evil
    d601 = run.lines("D601")  # type: ignore[attr-defined]
    same_but_case = run.lines("D203")  # type: ignore[attr-defined]
    assert any("`Id`" in line for line in same_but_case), same_but_case  # one table: a duplicate
    assert any("my-prop" in line or "my_prop" in line for line in d601), d601
    assert any("a-b" in line or "a_b" in line for line in d601), d601
    assert any("renamed `import_2`" in line for line in run.lines("D404")), run.stdout  # type: ignore[attr-defined]
    # a documented name that is no identifier is kept (issue 11), not refused
    assert not any("9lives" in line for line in run.lines("D205"))  # type: ignore[attr-defined]
    # Same pages elsewhere: identical files (names do not depend on order or hashing).
    again = tmp_path / "out"
    specs = tmp_path / "specs"
    write_pages(
        specs,
        {
            "resources/class.md": _evil_resource(),
            "resources/evilkind.md": _evil_enum(),
            "api/class-import.md": _evil_api(),
            **_evil_api_names(),
        },
    )
    second = run_generate(specs, again)
    assert second.codes == run.codes  # type: ignore[attr-defined]
    first_files = {
        p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()
    }
    second_files = {
        p.relative_to(again).as_posix(): p.read_bytes() for p in again.rglob("*") if p.is_file()
    }
    assert first_files == second_files


def test_fixture_data_keeps_hostile_text_verbatim(evil: tuple[Path, object]) -> None:
    out, _ = evil
    texts = [
        (out / "pkg" / "fixtures").joinpath(p).read_text(encoding="utf-8")
        for p in sorted(f.name for f in (out / "pkg" / "fixtures").iterdir())
    ]
    values = [json.loads(t) for t in texts]
    assert any(CODE in json.dumps(v, ensure_ascii=False) for v in values)
    assert any("{{ 7*7 }}" in json.dumps(v) for v in values)
