"""Examples checked against the declarations they illustrate.

What a docs author wants to hear about, each pointing at the example line that shows it: a
property the type does not declare (names match with their case, as the docs' own validator
matches them: `ConferenceId` is no spelling of `conferenceId`), a JSON value of the wrong kind
(the string "Boolean" for a Boolean), a value that is not of its format, an enum value outside
the documented members, a status in the prose that differs from the status line. Truncated
examples may omit properties, not contradict them.

Formats are checked strictly, as ISO 8601 / RFC 3339 and OData define them: DateTimeOffset is
a date and a time with an offset or `Z` (`2015-07-08T15:48:00Z`; not `July 8, 2015 3:48 PM`,
not `2025-W44-6`, not a time without an offset), Date is `YYYY-MM-DD`, TimeOfDay `hh:mm[:ss[.f]]`,
Duration `PnDTnHnMnS` (`PT1H`, not `1 day, 0:00:00`), Guid 8-4-4-4-12 hex digits, a URL-typed
property an absolute URL. A finding that the generated models still load (they read dates with
Python's lenient `fromisoformat` and keep other formats as text) says so with `LENIENT_NOTE`,
so the generated tests do not expect it to fail.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from generator.diagnostics import Diagnostic, make
from generator.model.ir import Api, Operation, Property, TypeDef, type_key
from generator.resolve.example_paths import api_host, calls_api

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = r"\d{2}:\d{2}(?::\d{2}(?:\.\d{1,12})?)?"
_DATETIME = re.compile(rf"^\d{{4}}-\d{{2}}-\d{{2}}[Tt]{_TIME}(?:[Zz]|[+-]\d{{2}}:\d{{2}})$")
_TIME_OF_DAY = re.compile(rf"^{_TIME}$")
_NUM = r"\d+(?:[.,]\d+)?"
_DURATION = re.compile(
    rf"^-?P(?=\d|T\d)(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}W)?(?:{_NUM}D)?(?:T(?=\d)(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?$"
)
_ABSOLUTE_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#]+[^\s]*$")
# Appended to a format finding that the generated models nevertheless load (see module doc).
LENIENT_NOTE = "(models read it leniently)"
_INTEGER_TYPES = frozenset({"Int16", "Int32", "Int64", "Byte", "SByte"})
_NUMBER_TYPES = frozenset({"Double", "Single", "Decimal"})
_MAX_DEPTH = 32
# An object with at least this many properties, most of them undeclared, is reported once.
_MISFIT_MIN = 4
_MISFIT_LISTED = 5  # undeclared names the finding lists


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


class _Types:
    """What the checks ask of `api.types` again and again, computed once per `check_examples`
    (which changes no type): each type's `all_properties`, and the entity and complex types with
    their own property names (lower-cased) in key order, for `closest_type`."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.props: dict[int, tuple[TypeDef, dict[str, Property]]] = {}
        self.candidates: list[tuple[str, TypeDef, set[str]]] | None = None

    def all_properties(self, t: TypeDef) -> dict[str, Property]:
        known = self.props.get(id(t))
        if known is None:  # the type is kept with its properties: its id is not reused meanwhile
            known = self.props[id(t)] = (t, all_properties(self.api, t))
        return known[1]

    def structured(self) -> list[tuple[str, TypeDef, set[str]]]:
        if self.candidates is None:
            self.candidates = [
                (key, other, {p.name.lower() for p in other.properties + other.navigation})
                for key, other in sorted(self.api.types.items())
                if other.kind in ("entity", "complex")
            ]
        return self.candidates


class _Checker:
    def __init__(self, api: Api, path: str, line: int, raw: str, types: _Types | None = None) -> None:
        self.api, self.path, self.line, self.raw = api, path, line, raw
        self.types = types or _Types(api)
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
            elif short.lower() != t.name.lower():
                return  # the object says it is a type no page documents: nothing to check it against
        if t.kind in ("placeholder", "enum"):
            return
        props = self.types.all_properties(t)
        names = [n for n in value if not n.startswith("@") and "@odata." not in n]
        undeclared = [n for n in names if n.lower() not in props]
        misfit = not t.open_type and bool(props) and len(names) >= _MISFIT_MIN and len(undeclared) * 2 > len(names)
        if misfit:
            # Most of the object is foreign to the type: one finding for the object, not one per
            # property; the properties it does declare are still checked.
            like = self.closest_type(names, t, len(names) - len(undeclared))
            hint = f"; it looks like `{like.name}`" if like is not None else ""
            listed = ", ".join(f"`{n}`" for n in undeclared[:_MISFIT_LISTED]) + (", ..." if len(undeclared) > _MISFIT_LISTED else "")
            self.report(
                undeclared[0], "D501",
                f"example object is not of type `{t.name}`: {len(undeclared)} of {len(names)} properties are not declared by it ({listed}){hint}",
            )
        for name, item in value.items():
            if name.startswith("@") or "@odata." in name:
                continue
            prop = props.get(name.lower())
            if prop is None:
                if not t.open_type and props and not misfit:
                    self.report(name, "D501", f"`{name}` is not a property of `{t.name}`")
                continue
            if prop.name != name:
                self.report(name, "D501", f"`{name}` is not a property of `{t.name}`: the docs spell it `{prop.name}`")
            self.check_value(name, item, prop, depth)

    def closest_type(self, names: list[str], checked: TypeDef, declared: int) -> TypeDef | None:
        """The documented entity or complex type declaring the most of `names` (more than half of
        them, and more than the `declared` that `checked` does), ties broken by name; else None."""
        wanted = {n.lower() for n in names}
        best: tuple[int, str] = (declared, "")
        found = None
        for key, other, own in self.types.structured():
            if other is checked:
                continue
            if len(own & wanted) * 2 <= len(wanted):
                continue  # cheap bound: inherited properties are counted only for candidates
            score = len(wanted & set(self.types.all_properties(other)))
            if score > best[0]:
                best, found = (score, key), other
        return found

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
            problem = primitive_problem(ref.name, item, ref.format)
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


def primitive_problem(name: str, value: Any, fmt: str = "") -> str | None:
    """Why `value` is not a valid JSON value of primitive `name`, or None when it is.

    `fmt` is a refinement of String the docs state (`url`: an absolute URL)."""
    if name == "Boolean":
        return None if isinstance(value, bool) else f"expected true or false, got {value!r}"
    if name in _INTEGER_TYPES:
        return None if isinstance(value, int) and not isinstance(value, bool) else f"expected an integer, got {value!r}"
    if name in _NUMBER_TYPES:
        ok = (isinstance(value, (int, float)) and not isinstance(value, bool)) or value in ("NaN", "INF", "-INF")
        return None if ok else f"expected a number, got {value!r}"
    if name in ("String", "Binary", "Duration", "TimeOfDay", "Guid", "DateTimeOffset", "Date") and not isinstance(value, str):
        return f"expected a string, got {_kind(value)}"
    if not isinstance(value, str):
        return None
    if name == "DateTimeOffset":
        return _temporal(value, _DATETIME, _datetime, "an ISO 8601 date-time with an offset or Z")
    if name == "Date":
        return _temporal(value, _DATE, dt.date.fromisoformat, "an ISO 8601 date (YYYY-MM-DD)")
    if name == "TimeOfDay":
        return _temporal(value, _TIME_OF_DAY, dt.time.fromisoformat, "a time of day (hh:mm:ss)", lenient=True)
    if name == "Duration" and not _DURATION.match(value):
        return f"{value!r} is not an ISO 8601 duration (such as PT1H) {LENIENT_NOTE}"
    if name == "Guid" and not _GUID.match(value):
        return f"{value!r} is not a GUID {LENIENT_NOTE}"
    if name == "String" and fmt == "url" and not _ABSOLUTE_URL.match(value):
        return f"{value!r} is not an absolute URL {LENIENT_NOTE}"
    return None


def _datetime(text: str) -> object:
    return dt.datetime.fromisoformat(text.replace("z", "Z"))


def _temporal(value: str, strict: re.Pattern[str], parse: Any, what: str, lenient: bool = False) -> str | None:
    """None when `value` matches `strict` and `parse` accepts it; else why, with LENIENT_NOTE
    when the models' reader (`parse`, or any text when `lenient`) still loads it."""
    try:
        parse(value)
        loads = True
    except ValueError:
        loads = False
    if loads and strict.match(value):
        return None
    return f"{value!r} is not {what}" + (f" {LENIENT_NOTE}" if loads or lenient else "")


def check_examples(api: Api, host: str | None = None) -> list[Diagnostic]:
    """Example bodies and statuses against the documented types; `host`: `api_host(api)`,
    when the caller has it already (this function changes nothing in `api`)."""
    diags: list[Diagnostic] = []
    host = api_host(api) if host is None else host
    types = _Types(api)
    for op in api.operations:
        diags.extend(_check_operation(api, op, host, types))
    return diags


def _check_operation(api: Api, op: Operation, host: str, types: _Types) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    request_type = _lookup(api, op.request_type.resolved if op.request_type else None)
    response_type = _lookup(api, op.response_type.resolved if op.response_type else None)
    for example in op.examples:
        req, resp = example.request, example.response
        elsewhere = req is not None and not calls_api(req, host)  # a request to the app, or to an upload URL
        if req is not None and request_type is not None and isinstance(req.body, dict) and not elsewhere:
            checker = _Checker(api, req.source.path, req.body_line or req.source.line, req.body_raw, types)
            checker.check_object(req.body, request_type)
            diags.extend(checker.diags)
        if resp is None:
            continue
        documented = op.response_status
        # "returns `201 Created` or `202 Accepted`": any success the text names (errors it names are not)
        statuses = {documented, *(c for c in op.response_statuses if documented and (c < 400) == (documented < 400))}
        if documented and resp.status and resp.status not in statuses and not resp.expect_error and not elsewhere:
            said = " or ".join(str(c) for c in [documented, *(c for c in op.response_statuses if c in statuses and c != documented)])
            diags.append(make(resp.source.path, resp.source.line + 1, "D505", f"the text says {said}, the example's status line says {resp.status}"))
        target = response_type
        if resp.odata_type:
            # The annotation names the example's type: check against it (a notification sent to
            # the app's callback is a `commsNotifications`, not the operation's response), not at
            # all when no page documents it, unless it is the response type by another spelling.
            namespace, _, short = resp.odata_type.rpartition(".")
            named = api.types.get(type_key(short, namespace)) or api.types.get(short.lower())
            if named is not None:
                target = named
            elif response_type is None or short.lower() != response_type.name.lower():
                target = None
        elif elsewhere:
            target = None  # the answer of another host (an upload URL) is not the operation's response
        if target is None or not isinstance(resp.body, dict):
            continue
        checker = _Checker(api, resp.source.path, resp.body_line or resp.source.line, resp.body_raw, types)
        value = resp.body.get("value")
        items: list[Any] = value if isinstance(value, list) and (op.response_collection or resp.is_collection) else [resp.body]
        if isinstance(value, dict) and len(resp.body) == 1 and "value" not in types.all_properties(target):
            # `{"value": {...}}` for one object (a family of generated pages): the object is
            # checked, the wrapping reported once.
            checker.report("value", "D501", f"`value` is not a property of `{target.name}`: the example wraps the object in `value`")
            items = [value]
        for item in items[:50]:
            checker.check_object(item, target)
        diags.extend(checker.diags)
    return diags
