"""Examples checked against the declarations they illustrate.

What a docs author wants to hear about, each pointing at the example line that shows it: a
property the type does not declare, a JSON value of the wrong kind (the string "Boolean" for
a Boolean), a value that is not of its format (DateTimeOffset, Date, Guid), an enum value
outside the documented members, a status in the prose that differs from the status line.
Truncated examples may omit properties, not contradict them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from generator.diagnostics import Diagnostic, make
from generator.model.ir import Api, Operation, Property, TypeDef, type_key

_GUID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
_INTEGER_TYPES = frozenset({"Int16", "Int32", "Int64", "Byte", "SByte"})
_NUMBER_TYPES = frozenset({"Double", "Single", "Decimal"})
_MAX_DEPTH = 32


def _lookup(api: Api, key: str | None) -> TypeDef | None:
    return api.types.get(key) if key else None


def all_properties(api: Api, t: TypeDef) -> dict[str, Property]:
    """Own and inherited properties and navigation properties, by lower-cased JSON name."""
    props: dict[str, Property] = {}
    chain = [t]
    seen = {t.key_name}
    current = t.base_type
    while current and current in api.types and current not in seen:
        seen.add(current)
        chain.append(api.types[current])
        current = api.types[current].base_type
    for member in reversed(chain):
        for p in member.properties + member.navigation:
            props[p.name.lower()] = p
    return props


class _Checker:
    def __init__(self, api: Api, path: str, line: int, raw: str) -> None:
        self.api, self.path, self.line, self.raw = api, path, line, raw
        self.diags: list[Diagnostic] = []

    def at(self, name: str) -> int:
        """The page line of the first `"name":` in the example body, else the block's line."""
        needle = f'"{name}"'
        index = self.raw.find(needle)
        return self.line + (self.raw.count("\n", 0, index) if index >= 0 else 0)

    def report(self, name: str, code: str, message: str) -> None:
        self.diags.append(make(self.path, self.at(name), code, message))

    def check_object(self, value: Any, t: TypeDef, depth: int = 0) -> None:
        if depth > _MAX_DEPTH or not isinstance(value, dict):
            return
        odata = value.get("@odata.type")
        if isinstance(odata, str) and odata.strip("#"):
            short = odata.strip("#").rsplit(".", 1)[-1]
            namespace = odata.strip("#").rpartition(".")[0]
            actual = self.api.types.get(type_key(short, namespace)) or self.api.types.get(short.lower())
            if actual is not None:
                t = actual
        if t.kind in ("placeholder", "enum"):
            return
        props = all_properties(self.api, t)
        for name, item in value.items():
            if name.startswith("@") or "@odata." in name:
                continue
            prop = props.get(name.lower())
            if prop is None:
                if not t.open_type and props:
                    self.report(name, "D501", f"`{name}` is not a property of `{t.name}`")
                continue
            self.check_value(name, item, prop, depth)

    def check_value(self, name: str, item: Any, prop: Property, depth: int) -> None:
        if item is None:
            return
        ref = prop.type
        if ref.collection:
            if not isinstance(item, list):
                self.report(name, "D502", f"`{name}` should be a JSON array ({ref.name} collection), not {_kind(item)}")
                return
            for element in item[:50]:
                self.check_single(name, element, prop, depth)
            return
        self.check_single(name, item, prop, depth)

    def check_single(self, name: str, item: Any, prop: Property, depth: int) -> None:
        ref = prop.type
        if ref.primitive:
            problem = primitive_problem(ref.name, item)
            if problem:
                code = "D503" if isinstance(item, str) and ref.name not in {"Boolean"} | _INTEGER_TYPES | _NUMBER_TYPES else "D502"
                self.report(name, code, f"`{name}` ({ref.name}): {problem}")
            return
        target = _lookup(self.api, ref.resolved)
        if target is None:
            return
        if target.kind == "enum" and target.members:
            if isinstance(item, str):
                names = {m.name.lower() for m in target.members}
                bad = [v for v in item.split(",") if v.strip().lower() not in names]
                if bad:
                    self.report(name, "D504", f"`{name}` value {item!r} is not a member of `{target.name}`")
            else:
                self.report(name, "D502", f"`{name}` should be a `{target.name}` member string, not {_kind(item)}")
            return
        if target.kind in ("entity", "complex"):
            if not isinstance(item, dict):
                self.report(name, "D502", f"`{name}` should be a JSON object (`{target.name}`), not {_kind(item)}")
                return
            self.check_object(item, target, depth + 1)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}.get(type(value), "null")


def primitive_problem(name: str, value: Any) -> str | None:
    """Why `value` is not a valid JSON value of primitive `name`, or None when it is."""
    if name == "Boolean":
        return None if isinstance(value, bool) else f"expected true or false, got {value!r}"
    if name in _INTEGER_TYPES:
        return None if isinstance(value, int) and not isinstance(value, bool) else f"expected an integer, got {value!r}"
    if name in _NUMBER_TYPES:
        ok = (isinstance(value, (int, float)) and not isinstance(value, bool)) or value in ("NaN", "INF", "-INF")
        return None if ok else f"expected a number, got {value!r}"
    if name in ("String", "Binary", "Duration", "TimeOfDay"):
        return None if isinstance(value, str) else f"expected a string, got {_kind(value)}"
    if name == "DateTimeOffset":
        return _parse_or_problem(value, _datetime, "an ISO 8601 date-time")
    if name == "Date":
        return _parse_or_problem(value, dt.date.fromisoformat, "an ISO 8601 date")
    if name == "Guid":
        return None if isinstance(value, str) and _GUID.match(value) else f"{value!r} is not a GUID"
    return None


def _datetime(text: str) -> object:
    return dt.datetime.fromisoformat(text.replace("z", "Z"))


def _parse_or_problem(value: Any, parse: Any, what: str) -> str | None:
    if not isinstance(value, str):
        return f"expected a string holding {what}, got {_kind(value)}"
    try:
        parse(value)
    except ValueError:
        return f"{value!r} is not {what}"
    return None


def check_examples(api: Api) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for op in api.operations:
        diags.extend(_check_operation(api, op))
    return diags


def _check_operation(api: Api, op: Operation) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    request_type = _lookup(api, op.request_type.resolved if op.request_type else None)
    response_type = _lookup(api, op.response_type.resolved if op.response_type else None)
    for example in op.examples:
        req, resp = example.request, example.response
        if req is not None and request_type is not None and isinstance(req.body, dict):
            checker = _Checker(api, req.source.path, req.body_line or req.source.line, req.body_raw)
            checker.check_object(req.body, request_type)
            diags.extend(checker.diags)
        if resp is None:
            continue
        documented = op.response_status
        if documented and resp.status and resp.status != documented and not resp.expect_error:
            diags.append(make(resp.source.path, resp.source.line + 1, "D505", f"the text says {documented}, the example's status line says {resp.status}"))
        target = response_type
        if resp.odata_type:
            namespace, _, short = resp.odata_type.rpartition(".")
            target = api.types.get(type_key(short, namespace)) or target
        if target is None or not isinstance(resp.body, dict):
            continue
        checker = _Checker(api, resp.source.path, resp.body_line or resp.source.line, resp.body_raw)
        value = resp.body.get("value")
        items: list[Any] = value if isinstance(value, list) and (op.response_collection or resp.is_collection) else [resp.body]
        for item in items[:50]:
            checker.check_object(item, target)
        diags.extend(checker.diags)
    return diags
