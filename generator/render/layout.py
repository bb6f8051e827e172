"""Layout helpers: templates write code as black lays it out, so black confirms each file in
one pass instead of re-splitting it in a second (black's `format_str` runs a second full pass
over any file it changed; issue 13).

`call`, `signature`, `assign`, `import_from` and `class_def` are Jinja globals (see
`generator.render.view` for the template contract). Their pieces must already be code, as for
any printed value (`jinja._finalize`), or plain dotted names / types made of names written in
the template. `NestedCall` and `Sum` are code the helpers may split further when a line is too
long. The formatter still runs on every file: a shape these helpers do not know costs speed,
never different bytes (tests/render/test_layout.py holds them to black's output).
"""

from __future__ import annotations

import re
from typing import Any

from generator.render.jinja import Code, _finalize

LINE_LENGTH = 100  # the formatter's line length (generator.output.format uses it too)


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
        return _term(part, indent, extra, first=True)
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
    """A call on a line of its own (after `+ ` in a split sum, but the first term), split at
    its brackets when too long (a literal one item per line)."""
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
    parts = [a if isinstance(a, (NestedCall, Sum)) else _code(a, name=True) for a in args]
    tail = ")," if comma else ")"
    pad = " " * indent
    if returns:
        if indent + len("return ") + len(head) > LINE_LENGTH >= indent + 4 + len(head):  # in optional parentheses
            return Code(f"return (\n{pad}    {_lay(head, parts, tail, indent + 4)}\n{pad})")
        head = "return " + head
    if key is not None:
        head = f"{_code(key)}: {head}"
    if target is not None:
        typed = f": {_code(annotation, typ=True)}" if annotation is not None else ""
        left = f"{_code(target, name=True)}{typed} = "
        if indent + len(left) + len(head) > LINE_LENGTH and not comma:
            if indent + len(left) + 1 <= LINE_LENGTH:  # the value inside optional parentheses
                inner = _lay(head, parts, tail, indent + 4)
                return Code(f"{left}(\n{pad}    {inner}\n{pad})")
            if annotation is not None:  # else the annotation inside parentheses
                kept = _lay(") = " + head, parts, tail, indent)
                return Code(f"{_code(target, name=True)}: (\n{pad}    {_code(annotation, typ=True)}\n{pad}{kept}")
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


def natural(items: Any, attribute: str) -> list[Any]:
    """`items` sorted by `attribute` in natural order (`me_2` before `me_10`), as isort and
    ruff order imports."""

    return sorted(items, key=lambda item: natural_key(str(getattr(item, attribute))))


def natural_key(text: str) -> list[tuple[int, int, str]]:
    """Sort key of `text` with its runs of digits compared as numbers."""
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", text)]
