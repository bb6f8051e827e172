"""Doc text is data: descriptions, names and paths that look like code or template syntax come
out as literals, the module imports, and nothing runs (issue 6, template injection)."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from generator.model.ir import Api, EnumMember, Operation, Page, PathTemplate, Source, TypeDef
from generator.render import render
from generator.render.jinja import UnsafeOutput
from tests.render.conftest import prop, ref, write_package

HOSTILE = (
    '{{ 7*7 }} {% raw %} """ \'\'\' \\ \\n "); import os; os.system("touch PWNED") # '
    "{% for x in range(9) %}x{% endfor %}\r\x00\u2028 end"
)


def hostile_api() -> Api:
    t = TypeDef(
        "class",
        "entity",
        description=HOSTILE,
        source=Source("resources/evil.md", 1),
        properties=[
            prop('x"); import os #', "String", description=HOSTILE),
            prop("import", "String", description=HOSTILE),
            prop("Import", "String"),
            prop("my-prop", "String"),
            prop("my_prop", "String"),
            prop("__class__", "String"),
            prop("model_config", "String"),
            prop("9lives", "Int32"),
            prop("schema", "String"),
        ],
    )
    e = TypeDef(
        "{{ 7*7 }}",
        "enum",
        description=HOSTILE,
        source=Source("resources/evil.md", 30),
        members=[
            EnumMember("None"),
            EnumMember('"; os.system("x")'),
            EnumMember("a-b"),
            EnumMember("a_b"),
        ],
    )
    op = Operation(
        'x"); os.system("x") #',
        HOSTILE,
        HOSTILE,
        "GET",
        paths=[PathTemplate("/evil/{id\"}/x')", "/evil/{id\"}/x')", ['id"'])],
        response_type=ref("class"),
        source=Source("api/evil.md", 1),
    )
    return Api(
        types={t.key_name: t, e.key_name: e},
        operations=[op],
        pages=[Page("api/evil.md"), Page("resources/evil.md")],
    )


def test_hostile_text_is_literal_and_nothing_runs(tmp_path: Path) -> None:
    folder = write_package(hostile_api(), "evil_pkg", tmp_path)
    code = (folder / "models" / "class_.py").read_text()
    assert "{{ 7*7 }}" in code and "49" not in code  # printed, never evaluated
    probe = (
        "import evil_pkg.models as m, evil_pkg.server as s, evil_pkg.client\n"
        "c = m.Class\n"
        "print(repr(c.__doc__.strip()[:9]))\n"
        "f = c.model_fields\n"
        "print(sorted(f))\n"
        "print(f['x_import_os'].description == f['import__2'].description)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "PWNED").exists()
    lines = out.stdout.splitlines()
    assert lines[0] == repr("{{ 7*7 }}")
    fields = eval(lines[1])
    assert {
        "import_",
        "import__2",
        "my_prop",
        "my_prop_2",
        "class_",
        "model_config_",
        "field_9lives",
        "schema_",
    } <= set(fields)
    assert lines[2] == "True"


def test_descriptions_survive_exactly(tmp_path: Path) -> None:
    write_package(hostile_api(), "evil_pkg2", tmp_path)
    sys.path.insert(0, str(tmp_path))
    try:
        models = importlib.import_module("evil_pkg2.models")
        assert models.Class.model_fields["import__2"].description == HOSTILE
        enum = next(getattr(models, n) for n in models.__all__ if n != "Class")
        assert {m.value for m in enum} == {"None", '"; os.system("x")', "a-b", "a_b"}
        assert len({m.name for m in enum}) == 4  # a-b and a_b collide, renamed
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("evil_pkg2")]:
            del sys.modules[name]


def test_collisions_are_reported() -> None:
    result = render(hostile_api(), "evil_pkg3")
    d601 = [d for d in result.diagnostics if d.code == "D601"]
    assert any("`import`" in d.message and "import__2" in d.message for d in d601)
    assert any("a_b" in d.message or "a-b" in d.message for d in d601)
    assert any("my_prop_2" in d.message for d in d601)


def test_a_template_printing_doc_text_without_a_filter_fails(tmp_path: Path) -> None:
    (tmp_path / "model.py.jinja").write_text("{{ model.description }}\n")
    with pytest.raises(UnsafeOutput):
        render(hostile_api(), "evil_pkg4", tmp_path)


def test_override_folder_replaces_by_name_and_falls_back(tmp_path: Path) -> None:
    (tmp_path / "enum.py.jinja").write_text(
        '"""Custom enum module for {{ model.class_name }}."""\n'
    )
    files = render(hostile_api(), "evil_pkg5", tmp_path).files
    enum_file = next(
        p
        for p in files
        if p.startswith("evil_pkg5/models/") and "class_" not in p and not p.endswith("__init__.py")
    )
    assert files[enum_file].text.startswith('"""Custom enum module for ')
    assert "class Class(" in files["evil_pkg5/models/class_.py"].text  # built-in template kept
    with pytest.raises(jinja2.TemplateNotFound):
        jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path))).get_template(
            "../model.py.jinja"
        )
