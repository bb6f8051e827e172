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
from functools import lru_cache
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


class NestedCall(Code):
    """A call `function(args)` (or, without a function, a tuple or `[list]` literal) as code
    the layout helpers may split like black when it does not fit on its line."""

    function: str
    args: list[str]
    brackets: str

    @classmethod
    def of(cls, function: str, args: list[str], brackets: str = "()") -> NestedCall:
        made = cls(f"{function}{brackets[0]}{', '.join(args)}{brackets[1]}")
        made.function, made.args, made.brackets = function, list(args), brackets
        return made


class Sum(Code):
    """`a + b + c` as code the layout helpers may split before each `+` like black."""

    terms: list[str]

    @classmethod
    def of(cls, terms: list[str]) -> Sum:
        flat = [t for term in terms for t in (term.terms if isinstance(term, Sum) else [term])]
        made = cls(" + ".join(flat))
        made.terms = flat
        return made


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
    if literal[0] == '"':
        return Code(literal)
    body, out, i = literal[1:-1], [], 0
    while i < len(body):  # requote: \' needs no escape between double quotes, " does
        if body[i] == "\\":
            out.append("'" if body[i + 1] == "'" else body[i : i + 2])
            i += 2
            continue
        out.append('\\"' if body[i] == '"' else body[i])
        i += 1
    requoted = "".join(out)
    if requoted.count("\\") > body.count("\\"):  # black keeps the quotes needing fewer escapes
        return Code(literal)
    return Code(f'"{requoted}"')


LINE_LENGTH = 100  # the formatter's line length (generator.output.format)


def _lay(
    head: str,
    parts: list[str],
    tail: str,
    indent: int,
    magic: bool = True,
    collection: bool = False,
    extra: int = 0,
) -> str:
    """`head(parts)tail` as black lays out one bracket pair: one line when it fits (with
    `extra` characters after it), else the contents on one indented line (not for a
    `collection` literal), else one part per line (with a trailing comma if `magic`)."""
    joined = ", ".join(parts)
    pad = " " * indent
    if "\n" not in joined:
        if indent + len(head) + len(joined) + len(tail) + extra <= LINE_LENGTH:
            return f"{head}{joined}{tail}"
        if indent + 4 + len(joined) <= LINE_LENGTH and not collection:
            return f"{head}\n{pad}    {joined}\n{pad}{tail}"
    comma = "," if magic else ""
    last = len(parts) - 1
    inner = ",\n".join(f"{pad}    {_nested(p, indent + 4, 1 if magic or i < last else 0)}" for i, p in enumerate(parts))
    return f"{head}\n{inner}{comma}\n{pad}{tail}"


def _nested(part: str, indent: int, extra: int = 1) -> str:
    """One argument on its own line (`extra` characters, its comma, follow it), split in turn
    as black splits it when too long: a `NestedCall` at its brackets (a literal one item per
    line), a `Sum` before each `+`, a parameter's long annotation inside parentheses."""
    if indent + len(part) + extra <= LINE_LENGTH:
        return part
    pad = " " * indent
    if isinstance(part, NestedCall):
        opening, closing = part.brackets[0], part.brackets[1]
        literal = not part.function
        return _lay(part.function + opening, part.args, closing, indent, collection=literal, extra=extra)
    if isinstance(part, Sum):
        last = len(part.terms) - 1
        lines = [_term(t, indent, extra if i == last else 0, i == 0) for i, t in enumerate(part.terms)]
        return f"\n{pad}+ ".join(lines)
    typed = _ANNOTATED.fullmatch(part)
    if typed:
        inner = _union(typed.group(2), indent + 4)
        return f"{typed.group(1)}: (\n{pad}    {inner}\n{pad}) = {typed.group(3)}"
    return part


def _union(annotation: str, indent: int) -> str:
    """A type annotation on lines of its own inside parentheses, split like black when too
    long: before each `|`, then a subscript at its brackets."""
    if indent + len(annotation) <= LINE_LENGTH:
        return annotation
    pad = " " * indent
    members = _top_level_split(annotation, " | ")
    if len(members) > 1:
        return f"\n{pad}| ".join(_union(m, indent) if i == 0 else m for i, m in enumerate(members))
    subscript = re.fullmatch(r"([\w.]+\[)(.*)\]", annotation)
    if subscript:
        return f"{subscript.group(1)}\n{pad}    {_union(subscript.group(2), indent + 4)}\n{pad}]"
    return annotation


def _term(term: str, indent: int, extra: int, first: bool) -> str:
    """A term of a split sum on a line of its own (after `+ `, but the first), its call split
    in turn when too long."""
    prefix = "" if first else "+ "
    if not isinstance(term, NestedCall) or indent + len(prefix) + len(term) + extra <= LINE_LENGTH:
        return term
    opening, closing = term.brackets[0], term.brackets[1]
    laid = _lay(prefix + term.function + opening, term.args, closing, indent, collection=not term.function, extra=extra)
    return laid[len(prefix) :]


_ANNOTATED = re.compile(r"(\w+): (.+) = (None)")


def _top_level_split(code: str, separator: str) -> list[str]:
    """`code` split at `separator` outside brackets and string literals."""
    out: list[str] = []
    depth, start, i, quote = 0, 0, 0, ""
    while i < len(code):
        ch = code[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and code.startswith(separator, i):
            out.append(code[start:i])
            start = i + len(separator)
            i = start
            continue
        i += 1
    out.append(code[start:])
    return out


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
    returns: bool = False,
) -> Code:
    """`[return ][target[: annotation] = ][key: ]function(args)[,]` laid out as black lays
    it out.

    Every piece must already be code (see `_finalize`: doc text needs |pystr first). The
    formatter still runs on the result; the layout only spares it the work."""
    head = ("" if function is None else _code(function, name=True)) + "("
    if returns:
        if indent + len("return ") + len(head) > LINE_LENGTH >= indent + 4 + len(head):  # in optional parentheses
            pad = " " * indent
            inner = _lay(head, [a if isinstance(a, (NestedCall, Sum)) else _code(a, name=True) for a in args], ")", indent + 4)
            return Code(f"return (\n{pad}    {inner}\n{pad})")
        head = "return " + head
    if key is not None:
        head = f"{_code(key)}: {head}"
    parts = [a if isinstance(a, (NestedCall, Sum)) else _code(a, name=True) for a in args]
    tail = ")," if comma else ")"
    if target is not None:
        typed = f": {_code(annotation, typ=True)}" if annotation is not None else ""
        left = f"{_code(target, name=True)}{typed} = "
        pad = " " * indent
        if indent + len(left) + len(head) > LINE_LENGTH and not comma:
            if indent + len(left) + 1 <= LINE_LENGTH:  # the value inside optional parentheses
                inner = _lay(head, parts, tail, indent + 4)
                return Code(f"{left}(\n{pad}    {inner}\n{pad})")
            if annotation is not None:  # else the annotation inside parentheses
                name = _code(target, name=True)
                kept = _lay(") = " + head, parts, tail, indent)
                return Code(f"{name}: (\n{pad}    {_code(annotation, typ=True)}\n{pad}{kept}")
        head = left + head
    return Code(_lay(head, parts, tail, indent, collection=function is None))


def class_def(name: Any, bases: list[Any], indent: int = 0) -> Code:
    """`class name(bases):` as black writes it (the bases on their own line when too long)."""
    return Code(_lay(f"class {_code(name, name=True)}(", [_code(b, typ=True) for b in bases], "):", indent))


def assign(target: Any, annotation: Any, value: Any, indent: int = 0) -> Code:
    """`target: annotation = value` as black writes it: a value that makes the line too long
    goes inside parentheses on its own line."""
    typed = f": {_code(annotation, typ=True)}" if annotation is not None else ""
    line = f"{_code(target, name=True)}{typed} = {_code(value)}"
    if indent + len(line) <= LINE_LENGTH:
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
    tail = f") -> {_code(returns, typ=True)}:" + (" ..." if stub else "")
    subscript = re.fullmatch(r"(\) -> [\w.]+\[)(.*)(\]:(?: \.\.\.)?)", tail)
    if indent + len(tail) > LINE_LENGTH and subscript:  # black splits the result's subscript
        pad = " " * indent
        tail = f"{subscript.group(1)}\n{pad}    {subscript.group(2)}\n{pad}{subscript.group(3)}"
    parts = [_code(p, name=True) for p in params]
    if len(parts) == 1:  # black adds a comma to a lone parameter it splits: one per line
        line = f"def {_code(name, name=True)}({parts[0]}{tail}"
        if indent + len(line) <= LINE_LENGTH:
            return Code(line)
        return Code(f"def {_code(name, name=True)}(\n{' ' * (indent + 4)}{_nested(parts[0], indent + 4)},\n{' ' * indent}{tail}")
    return Code(_lay(f"def {_code(name, name=True)}(", parts, tail, indent))


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
    return _docstring(str(text), indent, width)


@lru_cache(maxsize=8192)  # the same text is often printed twice (sync and async, model and body)
def _docstring(text: str, indent: int, width: int) -> Code:
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


def natural(items: Any, attribute: str) -> list[Any]:
    """`items` sorted by `attribute` in natural order (`me_2` before `me_10`), as isort and
    ruff order imports."""

    def key(item: Any) -> list[Any]:
        text = str(getattr(item, attribute))
        return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", text)]

    return sorted(items, key=key)


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
        auto_reload=False,  # templates do not change during a run: no stat per `include`
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters.update(pystr=pystr, docstring=docstring, comment=comment, natural=natural)
    env.globals.update(
        call=call, signature=signature, assign=assign, import_from=import_from, class_def=class_def
    )
    return env
