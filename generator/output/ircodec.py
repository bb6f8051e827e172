"""The per-page IR (`ir.Page`) as plain JSON data, and back, validated field by field.

The cache stores pages in this form instead of pickles: decoding builds only the IR's own
dataclasses, from their declared field types, so a record can never construct any other object
or run code. A dataclass is written as the list of its field values in declaration order; an
`Any` field (front matter, example bodies) must hold plain JSON data (str-keyed dicts, lists,
str, int, finite float, bool, None). A page holding anything else (a YAML date, a tuple, a str
subclass) raises `Unencodable` and is simply not cached. `decode_page` raises `Invalid` on any
value that does not fit the declared types; the caller treats both as a miss.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any, Literal, Union

from generator.diagnostics import Diagnostic
from generator.model import ir


class Unencodable(ValueError):
    """The page holds a value that plain JSON data cannot represent exactly."""


class Invalid(ValueError):
    """The data does not fit the IR's declared types."""


Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]  # (encode, decode)


def _exact(kind: type) -> Codec:
    def check(value: Any, error: type[ValueError]) -> Any:
        if type(value) is not kind:
            raise error(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return (lambda v: check(v, Unencodable)), (lambda v: check(v, Invalid))


def _plain(value: Any, depth: int = 0) -> bool:
    """Whether `value` is JSON data that survives a round trip unchanged."""
    kind = type(value)
    if kind in (str, int, bool) or value is None:
        return True
    if kind is float:
        return math.isfinite(value)
    if depth > 200:
        return False
    if kind is list:
        return all(_plain(v, depth + 1) for v in value)
    if kind is dict:
        return all(type(k) is str and _plain(v, depth + 1) for k, v in value.items())
    return False


def _any_encode(value: Any) -> Any:
    if not _plain(value):
        raise Unencodable(f"not plain JSON data: {type(value).__name__}")
    return value


def _any_decode(value: Any) -> Any:
    if not _plain(value):
        raise Invalid("not plain JSON data")
    return value


def _optional(inner: Codec) -> Codec:
    enc, dec = inner
    return (lambda v: None if v is None else enc(v)), (lambda v: None if v is None else dec(v))


def _list(inner: Codec) -> Codec:
    enc, dec = inner

    def encode(value: Any) -> Any:
        if type(value) is not list:
            raise Unencodable(f"expected list, got {type(value).__name__}")
        return [enc(v) for v in value]

    def decode(value: Any) -> Any:
        if type(value) is not list:
            raise Invalid("expected a list")
        return [dec(v) for v in value]

    return encode, decode


def _dict(inner: Codec) -> Codec:
    enc, dec = inner

    def encode(value: Any) -> Any:
        if type(value) is not dict or any(type(k) is not str for k in value):
            raise Unencodable("expected a dict with str keys")
        return {k: enc(v) for k, v in value.items()}

    def decode(value: Any) -> Any:
        if type(value) is not dict:
            raise Invalid("expected an object")
        return {k: dec(v) for k, v in value.items()}

    return encode, decode


def _literal(allowed: tuple[Any, ...]) -> Codec:
    def check(value: Any, error: type[ValueError]) -> Any:
        if type(value) is not str or value not in allowed:
            raise error(f"not one of {allowed}")
        return value

    return (lambda v: check(v, Unencodable)), (lambda v: check(v, Invalid))


def _enum(kind: type[enum.IntEnum]) -> Codec:
    def encode(value: Any) -> Any:
        if type(value) is not kind:
            raise Unencodable(f"expected {kind.__name__}")
        return value.name

    def decode(value: Any) -> Any:
        if type(value) is not str or value not in kind.__members__:
            raise Invalid(f"not a {kind.__name__}")
        return kind[value]

    return encode, decode


def _dataclass(kind: type) -> Codec:
    hints = typing.get_type_hints(kind, vars(__import__(kind.__module__, fromlist=["_"])))
    names = [f.name for f in dataclasses.fields(kind) if f.init]
    codecs: list[Codec] = []

    def encode(value: Any) -> Any:
        if type(value) is not kind:
            raise Unencodable(f"expected {kind.__name__}, got {type(value).__name__}")
        return [enc(getattr(value, name)) for name, (enc, _) in zip(names, codecs, strict=True)]

    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != len(names):
            raise Invalid(f"expected {kind.__name__} as a list of {len(names)} fields")
        return kind(*[dec(v) for v, (_, dec) in zip(value, codecs, strict=True)])

    _CODECS[kind] = (encode, decode)  # before the fields: a class may contain itself
    codecs.extend(_codec(hints[name]) for name in names)
    return encode, decode


_CODECS: dict[Any, Codec] = {}


def _codec(hint: Any) -> Codec:
    if hint in _CODECS:
        return _CODECS[hint]
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any:
        return _any_encode, _any_decode
    if hint in (str, int, bool, float):
        return _exact(hint)
    if origin in (Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1 and len(args) == 2:
            return _optional(_codec(rest[0]))
        raise TypeError(f"unsupported union {hint}")
    if origin is list:
        return _list(_codec(args[0]))
    if origin is dict and args[0] is str:
        return _dict(_codec(args[1]))
    if origin is Literal:
        return _literal(args)
    if isinstance(hint, type) and issubclass(hint, enum.IntEnum):
        return _enum(hint)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _dataclass(hint)
    raise TypeError(f"no plain-data codec for {hint!r}")


@cache
def _page_codec() -> Codec:
    _codec(Diagnostic)
    return _codec(ir.Page)


def encode_page(page: ir.Page) -> Any:
    """JSON data for `page` (raises `Unencodable` when it holds a value JSON cannot keep)."""
    return _page_codec()[0](page)


def decode_page(data: Any) -> ir.Page:
    """The `ir.Page` that `encode_page` was given (raises `Invalid` on anything else)."""
    try:
        page = _page_codec()[1](data)
    except (TypeError, ValueError, KeyError, RecursionError) as exc:
        raise Invalid(str(exc)) from exc
    if type(page) is not ir.Page:
        raise Invalid("not a page")
    return page
