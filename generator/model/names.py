"""Names as validated value types: doc text in, safe Python identifiers out.

Doc text never becomes code directly: every name the templates print goes through one of
these constructors, which only ever yield `[A-Za-z_][A-Za-z0-9_]*` that is not a keyword,
soft keyword, or a builtin/dunder that would shadow something the generated code uses.
"""

from __future__ import annotations

import builtins
import functools
import hashlib
import keyword
import re
import unicodedata

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_IDENT = re.compile(r"[^0-9A-Za-z]+")

# Names the generated modules define or import at module/class level; a field or argument by
# one of these names would shadow them.
_RESERVED = frozenset(
    set(keyword.kwlist)
    | set(keyword.softkwlist)
    | set(dir(builtins))
    | {"self", "cls", "model_config", "model_fields", "client", "typing", "pydantic", "httpx"}
)


# Names are file names too (a model's module, an operation's fixture), and filesystems stop at
# 255 bytes: longer names keep a prefix and a hash of the whole text (the corpus peaks at 218).
MAX_LENGTH = 230


def _bounded(name: str, text: str) -> str:
    if len(name) <= MAX_LENGTH:
        return name
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{name[: MAX_LENGTH - 9]}_{digest}"


def _ascii_words(text: str) -> list[str]:
    return list(_ascii_words_of(text))


@functools.lru_cache(maxsize=65536)  # names repeat across files and runs of one process
def _ascii_words_of(text: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words: list[str] = []
    for chunk in _NON_IDENT.split(text):
        if chunk:
            words.extend(w for w in _WORD_BOUNDARY.split(chunk) if w)
    return tuple(words)


class PythonIdentifier(str):
    """A snake_case identifier that is safe as a module, function, attribute or argument name."""

    def __new__(cls, text: str, prefix: str = "field") -> PythonIdentifier:
        words = [w.lower() for w in _ascii_words(text)]
        name = "_".join(words) or prefix
        if name[0].isdigit():
            name = f"{prefix}_{name}"
        if name in _RESERVED or name.startswith("_") or name.startswith("model_"):
            name = f"{name}_"
        return super().__new__(cls, _bounded(name, text))


@functools.cache
def model_reserved() -> frozenset[str]:
    """Names a model attribute must not take: keywords, what pydantic's `BaseModel` and its
    metaclass define (read from the classes, so a new pydantic method is covered by itself), what
    the generated `GraphModel` adds, and the names the model modules' annotations use."""
    import pydantic  # the generated models' base; imported here only

    inherited = set(dir(pydantic.BaseModel)) | set(dir(type(pydantic.BaseModel)))
    return frozenset(
        set(keyword.kwlist)
        | {n for n in inherited if not n.startswith("_")}
        | GRAPH_MODEL_NAMES
        | ANNOTATION_NAMES
    )


# Public names `GraphModel` (templates/_base.py.jinja) adds to `BaseModel` (`additional_data` is
# the Kiota name of the bag of undocumented properties); a test renders the base and checks this
# set against `dir(GraphModel)`. A documented `additionalData` becomes `additional_data_`.
GRAPH_MODEL_NAMES = frozenset(
    {"odata_type", "to_json", "changes", "mark_loaded", "additional_data"}
)
# Names the generated model modules use inside class bodies' annotations (`str | None`,
# `list[...]`, `typing.Any`, `pydantic.StrictInt`): a field by one of them would hide it.
ANNOTATION_NAMES = frozenset({"str", "list", "typing", "pydantic"})


class AttributeName(str):
    """A snake_case model attribute for a documented JSON property name.

    Builtins (`id`, `type`) are fine as attributes; keywords and names that would shadow
    something a model inherits get a trailing `_`; a name that is not an identifier (`1Q`,
    `30dActive`) gets a `field_` prefix. The JSON name stays the alias.
    """

    def __new__(cls, text: str, prefix: str = "field") -> AttributeName:
        words = [w.lower() for w in _ascii_words(text)]
        name = "_".join(words) or prefix
        if name[0].isdigit():
            name = f"{prefix}_{name}"
        if name in model_reserved():
            name = f"{name}_"
        return super().__new__(cls, _bounded(name, text))


class ClassName(str):
    """A PascalCase identifier that is safe as a class name."""

    def __new__(cls, text: str, prefix: str = "Type") -> ClassName:
        words = _ascii_words(text)
        name = "".join(w[:1].upper() + w[1:] for w in words) or prefix
        if name[0].isdigit():
            name = f"{prefix}{name}"
        if name in _RESERVED:
            name = f"{name}_"
        return super().__new__(cls, _bounded(name, text))


class ConstantName(str):
    """An UPPER_SNAKE identifier for enum members."""

    def __new__(cls, text: str, prefix: str = "VALUE") -> ConstantName:
        words = [w.upper() for w in _ascii_words(text)]
        name = "_".join(words) or prefix
        if name[0].isdigit():
            name = f"{prefix}_{name}"
        if keyword.iskeyword(name) or name.startswith("_"):
            name = f"{name}_"
        return super().__new__(cls, _bounded(name, text))


def unique_names(names: list[str]) -> list[str]:
    """Make already-sanitised names unique, deterministically: later duplicates get `_2`, `_3`.

    The caller decides the order (sorted by the documented name), so the result is stable.
    """
    seen: set[str] = set()
    result: list[str] = []
    for name in names:
        candidate, n = name, 2
        while candidate in seen:
            candidate = f"{name}_{n}"
            n += 1
        seen.add(candidate)
        result.append(candidate)
    return result


def operation_method_name(operation_id: str) -> str:
    """The client method / server handler / OpenAPI operationId for an operation id."""
    return str(PythonIdentifier(operation_id, prefix="op"))


def operation_method_names(operation_ids: list[str]) -> dict[str, str]:
    """Map every operation id to a unique method name; client, server and OpenAPI share it."""
    ordered = sorted(set(operation_ids))
    names = unique_names([operation_method_name(i) for i in ordered])
    return dict(zip(ordered, names, strict=True))
