"""Templates write code as black lays it out (generator.render.jinja layout helpers), so black
confirms it in one pass instead of re-splitting it in two (issue 13). These tests hold the
helpers to black's own output: each laid-out snippet must come back from black unchanged.
The formatter still runs on every file; a miss here costs speed, never correctness."""

from __future__ import annotations

from pathlib import Path

import black
import pytest

from generator.build import load_api
from generator.output.format import _black_mode
from generator.render import render
from generator.render.jinja import Code, UnsafeOutput, pystr
from generator.render.layout import NestedCall, Sum, assign, call, class_def, import_from, signature

ROOT = Path(__file__).resolve().parents[2]
MODE = _black_mode()


def stable(source: str) -> None:
    assert black.format_str(source, mode=MODE) == source


def in_class(*lines: str) -> str:
    """A class whose members are laid out for indent 4 (their first line is not indented)."""
    body = "\n".join("    " + line for line in lines)
    return f"class C:\n{body}\n"


def test_every_python_file_rendered_from_the_seeds_is_already_black() -> None:
    files = render(load_api([ROOT / "specs"]), "graph_client").files
    python = {path: f.text for path, f in files.items() if path.endswith(".py")}
    assert len(python) > 20
    changed = sorted(p for p, text in python.items() if black.format_str(text, mode=MODE) != text)
    assert changed == []


@pytest.mark.parametrize("width", [10, 40, 70, 90, 120])
def test_calls_fit_wrap_or_explode_like_black(width: int) -> None:
    text = pystr("x" * width)
    short = [Code("a"), Code("b")]
    stable(in_class(str(call("_base.field", [pystr("jsonName"), text], 4, target="name", annotation="str | None"))))
    stable(in_class(str(call("_b.Get", [Code("_b.model(models.User)"), text], 4, target="get"))))
    stable("x = {\n    " + str(call(None, [pystr("m"), text], 4, key=pystr("k"), comma=True)) + "\n}\n")
    stable(f"def f():\n    {call('self._send', [*short, text, NestedCall.of('_b.check', [Code('options'), text])], 4, returns=True)}\n")
    stable(in_class(str(call("f", [text], 4, target="v" * (width // 2), annotation="list[int] | None"))))


@pytest.mark.parametrize("width", [5, 30, 60, 95])
def test_signatures_and_sums_like_black(width: int) -> None:
    name = "n" * width
    path = Sum.of([Code("self._path"), Code('"/"'), NestedCall.of("_b.call", [pystr(name), NestedCall.of("", [Code("(1, 2)")] * 3, "[]")])])
    body = str(call("Target", [Code("self._client"), path], 8, returns=True))
    stable(in_class("@property", str(signature("member", ["self"], f"{'T' * width}[_b.C]", 4)), '    """doc"""', "    " + body))
    short = name[: min(width, 30)]  # an annotation that fits inside parentheses
    params = [Code("self"), Code("*"), Code(f"{name}: builtins.list[pydantic.SerializeAsAny[models.X{short}]] | None = None")]
    stable(in_class(str(signature("act", params, "typing.Any", 4)), "    return 1"))


def test_assign_imports_and_classes_like_black() -> None:
    for width in (20, 80, 120):
        stable(in_class(str(assign("__odata_type__", "typing.ClassVar[str]", pystr("#" + "t" * width), 4))))
        stable(str(import_from(".m" + "m" * width, ["Name" + "N" * width])) + "\n")
        stable(str(class_def("C" * width, ["_b.Node[_b.C]"])) + "\n    pass\n")


def test_doc_text_cannot_pass_as_code() -> None:
    with pytest.raises(UnsafeOutput):
        call("f", ["x) or __import__('os').system('id'"])
    with pytest.raises(UnsafeOutput):
        call("os.system('id'); f", [])
    with pytest.raises(UnsafeOutput):
        signature("f", ["self", "x=__import__('os')"], "int")
