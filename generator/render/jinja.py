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
    from generator.render import layout  # imports this module: its helpers use `_finalize`

    env.filters.update(pystr=pystr, docstring=docstring, comment=comment, natural=layout.natural)
    env.globals.update(
        call=layout.call,
        signature=layout.signature,
        assign=layout.assign,
        import_from=layout.import_from,
        class_def=layout.class_def,
    )
    return env
