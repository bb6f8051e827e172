"""The Jinja environment: doc text reaches generated code only through these filters.

Safety by construction (see issue 6):
- templates are loaded only from the built-in folder and the `--templates` override folder;
  doc text is passed to templates as data, never used as template source, so `{{ 7*7 }}` in a
  description is printed literally;
- every `{{ ... }}` output goes through `finalize`, which accepts only values that are already
  code: `Code` (made by the filters below or by the view builder from validated names),
  `PythonIdentifier`, `ClassName`, `ConstantName` and numbers. Printing a raw string (doc text)
  without a filter is a render error, so a template cannot leak doc text into code by mistake.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import jinja2

from generator.model.names import ClassName, ConstantName, PythonIdentifier

def _builtin_templates() -> Path:
    """The built-in templates: `generator/_templates` in an installed wheel (the top-level
    `templates/` folder is packaged there, see pyproject.toml), else the checkout's `templates/`."""
    installed = Path(__file__).resolve().parents[1] / "_templates"
    return installed if installed.is_dir() else Path(__file__).resolve().parents[2] / "templates"


BUILTIN_TEMPLATES = _builtin_templates()
_UNUSUAL = re.compile(r"[^\n\x20-\x7e]")  # fast path: printable ASCII needs no look
_LINE_BREAKS = {"\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"}


class Code(str):
    """Text that is valid Python source by construction (a literal, an identifier, a type)."""


class UnsafeOutput(jinja2.TemplateError):
    """A template printed a value that is not code (doc text without a filter)."""


def _finalize(value: Any) -> Any:
    if isinstance(value, (Code, PythonIdentifier, ClassName, ConstantName)):
        return str(value)
    if isinstance(value, int):  # bool is an int: prints True / False
        return value
    raise UnsafeOutput(
        f"template printed {type(value).__name__} {str(value)[:60]!r} without a filter; "
        "use |pystr, |docstring or |comment"
    )


def pystr(text: object) -> Code:
    """A Python string literal whose value is exactly `text` (repr is always valid Python),
    double-quoted when that needs no escape, as black writes it."""
    literal = repr(str(text))
    if literal[0] == "'" and '"' not in literal:
        return Code('"' + literal[1:-1] + '"')
    return Code(literal)


LINE_LENGTH = 100  # the formatter's line length (generator.output.format)


def _lay(
    head: str, parts: list[str], tail: str, indent: int, magic: bool = True, collection: bool = False
) -> str:
    """`head(parts)tail` as black lays out one bracket pair: one line when it fits, else the
    contents on one indented line (not for a `collection` literal), else one part per line
    (with a trailing comma if `magic`)."""
    joined = ", ".join(parts)
    pad = " " * indent
    if "\n" not in joined:
        if indent + len(head) + len(joined) + len(tail) <= LINE_LENGTH:
            return f"{head}{joined}{tail}"
        if indent + 4 + len(joined) <= LINE_LENGTH and not collection:
            return f"{head}\n{pad}    {joined}\n{pad}{tail}"
    comma = "," if magic else ""
    inner = ",\n".join(f"{pad}    {p}" for p in parts)
    return f"{head}\n{inner}{comma}\n{pad}{tail}"


_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


_TYPE = re.compile(r"[\w.\[\], |]+")  # a type made of names: `typing.ClassVar[str]`


def _code(value: Any, name: bool = False, typ: bool = False) -> str:
    """Code, or a plain string that is (`name`) a dotted name such as `_b.Get` or (`typ`) a
    type made of names such as `typing.ClassVar[str]`."""
    if name and type(value) is str and _DOTTED.fullmatch(value):
        return value
    if typ and type(value) is str and _TYPE.fullmatch(value):
        return value
    return str(_finalize(value))


def call(
    function: Any,
    args: list[Any],
    indent: int = 0,
    target: Any = None,
    annotation: Any = None,
    key: Any = None,
    comma: bool = False,
) -> Code:
    """`[target[: annotation] = ][key: ]function(args)[,]` laid out as black lays it out.

    Every piece must already be code (see `_finalize`: doc text needs |pystr first). The
    formatter still runs on the result; the layout only spares it the work."""
    head = ("" if function is None else _code(function, name=True)) + "("
    if key is not None:
        head = f"{_code(key)}: {head}"
    parts = [_code(a, name=True) for a in args]
    tail = ")," if comma else ")"
    if target is not None:
        typed = f": {_code(annotation, typ=True)}" if annotation is not None else ""
        left = f"{_code(target, name=True)}{typed} = "
        if indent + len(left) + len(head) > LINE_LENGTH and not comma:
            # the value alone goes inside optional parentheses, as black does
            inner = _lay(head, parts, tail, indent + 4)
            return Code(f"{left}(\n{' ' * (indent + 4)}{inner}\n{' ' * indent})")
        head = left + head
    return Code(_lay(head, parts, tail, indent, collection=function is None))


def assign(target: Any, annotation: Any, value: Any, indent: int = 0) -> Code:
    """`target: annotation = value` as black writes it: a value that makes the line too long
    goes inside parentheses on its own line when it fits there."""
    typed = f": {_code(annotation, typ=True)}" if annotation is not None else ""
    line = f"{_code(target, name=True)}{typed} = {_code(value)}"
    if indent + len(line) <= LINE_LENGTH or indent + 4 + len(_code(value)) > LINE_LENGTH:
        return Code(line)
    pad = " " * indent
    return Code(f"{_code(target, name=True)}{typed} = (\n{pad}    {_code(value)}\n{pad})")


def import_from(module: Any, names: list[Any], indent: int = 0) -> Code:
    """`from module import names` as black writes it (parenthesised, one name per line with a
    trailing comma, when too long). `module` is a dotted name, relative (`.user`) or not."""
    rest = str(module).lstrip(".")
    where = "." * (len(str(module)) - len(rest)) + (_code(rest, name=True) if rest else "")
    parts = [_code(n, name=True) for n in names]
    line = f"from {where} import {', '.join(parts)}"
    if indent + len(line) <= LINE_LENGTH:
        return Code(line)
    pad = " " * indent
    inner = "".join(f"{pad}    {p},\n" for p in parts)
    return Code(f"from {where} import (\n{inner}{pad})")


def signature(name: Any, params: list[Any], returns: Any, indent: int = 0, stub: bool = False) -> Code:
    """`def name(params) -> returns:` (`: ...` for a `stub`) laid out as black lays out a
    `def`: split after `(` and before `)`, one parameter per line when they do not fit."""
    tail = f") -> {_code(returns)}:" + (" ..." if stub else "")
    parts = [_code(p) for p in params]
    return Code(_lay(f"def {_code(name)}(", parts, tail, indent, magic=parts[-1:] != ["*"]))


def _escape_char(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch == "\t":
        return "    "
    if ch.isprintable() and ch not in _LINE_BREAKS:
        return ch
    return ch.encode("unicode_escape").decode("ascii")


def _escape_docstring(text: str) -> str:
    """Backslashes doubled, triple quotes broken up, control and line-break characters escaped."""
    text = _UNUSUAL.sub(_escape_char, text.replace("\\", "\\\\"))
    return text.replace('"""', '\\"\\"\\"')


def docstring(text: object, indent: int = 0, width: int = 92) -> Code:
    """A triple-quoted literal for a docstring: paragraphs wrapped, quotes and escapes made safe.

    Wrapping changes only whitespace; the text survives `ast.literal_eval` otherwise intact.
    """
    paragraphs = [" ".join(p.split()) for p in str(text).strip().split("\n\n")]
    paragraphs = [p for p in paragraphs if p] or ["(no description)"]
    pad = " " * indent
    lines: list[str] = []
    for i, paragraph in enumerate(paragraphs):
        if i:
            lines.append("")
        wrapped = textwrap.wrap(
            paragraph, width=max(width - indent, 40), break_long_words=False, break_on_hyphens=False
        )
        lines.extend(wrapped or [""])
    body = _escape_docstring("\n".join(lines))
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    if "\n" in body:
        body = body.replace("\n", "\n" + pad).replace("\n" + pad + "\n", "\n\n")
        return Code(f'"""{body}\n{pad}"""')
    return Code(f'"""{body}"""')


def comment(text: object) -> Code:
    """Text for a `#` comment: one line, no control or line-break characters."""
    cleaned = "".join(
        ch if ch.isprintable() and ch not in _LINE_BREAKS else "?" for ch in str(text)
    )
    return Code(" ".join(cleaned.split()))


def environment(overrides: Path | None = None) -> jinja2.Environment:
    """Templates from `overrides` (by file name) first, then the built-ins."""
    loaders: list[jinja2.BaseLoader] = []
    if overrides is not None:
        loaders.append(jinja2.FileSystemLoader(str(overrides)))
    loaders.append(jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters.update(pystr=pystr, docstring=docstring, comment=comment)
    env.globals.update(call=call, signature=signature, assign=assign, import_from=import_from)
    return env
