"""The type-cell grammar: `String`, `Int32 collection`, `[user](user.md) collection`,
`Collection(microsoft.graph.x)`, `Edm.Guid`, `[x][]`, bare enum names, and the spellings of
older dialects of the family (`string`, `int`, `timestamp`, `url`, `GUID`)."""

from __future__ import annotations

import functools
import posixpath
import re

from generator.model.ir import TypeRef
from generator.parse.inline import links, plain

# Lower-cased spelling -> canonical primitive (see ir.PRIMITIVES).
PRIMITIVE_SPELLINGS: dict[str, str] = {
    "string": "String", "str": "String", "url": "String", "uri": "String", "text": "String",
    "char": "String", "email": "String",
    "int": "Int32", "int32": "Int32", "integer": "Int32", "number": "Double",
    "int64": "Int64", "long": "Int64", "int16": "Int16", "short": "Int16",
    "byte": "Byte", "sbyte": "SByte",
    "bool": "Boolean", "boolean": "Boolean",
    "double": "Double", "float": "Double", "single": "Single", "decimal": "Decimal",
    "datetimeoffset": "DateTimeOffset", "datetime": "DateTimeOffset", "timestamp": "DateTimeOffset",
    "date": "Date", "timeofday": "TimeOfDay", "time": "TimeOfDay", "duration": "Duration",
    "timespan": "Duration",
    "guid": "Guid", "uuid": "Guid",
    "binary": "Binary", "byte[]": "Binary", "base64": "Binary",
    "stream": "Stream",
    "json": "Json", "object": "Object", "any": "Object", "dynamic": "Object",
}

# Type cells of several words that name a primitive (and format).
PHRASES: dict[str, tuple[str, str]] = {
    "relative url": ("String", ""), "absolute url": ("String", "url"), "url string": ("String", "url"),
    "date time": ("DateTimeOffset", ""), "date and time": ("DateTimeOffset", ""),
}

# Spellings that refine String with a checkable format.
FORMATS: dict[str, str] = {"url": "url", "uri": "url"}

_COLLECTION_OF = re.compile(r"^collection\s*(?:\(\s*(.+?)\s*\)|of\s+(.+))$", re.IGNORECASE)
_COLLECTION_IN_LINK = re.compile(r"\.md\s+collection\s*\)", re.IGNORECASE)
_JSON = re.compile(r"\bjson\b", re.IGNORECASE)
_COLLECTION_WORD = re.compile(r"\bcollection\b|\[\]$", re.IGNORECASE)
_QUALIFIED = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$")
_NOISE = re.compile(r"\s*\((?:optional|required|identifier|read-?only|nullable|enum|flags)[^)]*\)\s*", re.IGNORECASE)


def split_qualified(name: str) -> tuple[str | None, str]:
    """`microsoft.graph.callRecords.session` -> ("microsoft.graph.callRecords", "session")."""
    name = name.strip().lstrip("#")
    if name.lower().startswith("edm."):
        name = name[4:]
    if name.lower().startswith("graph."):
        name = "microsoft." + name
    if "." not in name:
        return None, name
    namespace, _, short = name.rpartition(".")
    return (None if namespace.lower() == "microsoft.graph" else namespace), short


def link_target(page: str, target: str) -> str | None:
    """A link target made specs-relative (anchor dropped), or None for web links and anchors."""
    target = target.split("#", 1)[0].strip()
    if not target or "://" in target or target.startswith(("/", "mailto:")):
        return None
    if not target.lower().endswith(".md"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
    return joined.lower()


def parse_type_cell(cell: str, page: str) -> TypeRef | None:
    """Read one type cell; None when it names nothing readable (the caller reports D202).
    A new TypeRef each time (resolve fills in `resolved`); what it holds is read once per
    cell text and folder of the page (links are relative to it)."""
    fields = _type_cell(cell.strip(), posixpath.dirname(page))
    return None if fields is None else TypeRef(*fields)


_TypeFields = tuple[str, bool, bool, "str | None", "str | None", str, None, str]


@functools.lru_cache(maxsize=8192)  # `String`, `Boolean` and links to the same pages repeat
def _type_cell(raw: str, folder: str) -> _TypeFields | None:
    ref = _read_type_cell(raw, posixpath.join(folder, "_"))
    if ref is None:
        return None
    return (ref.name, ref.collection, ref.primitive, ref.namespace, ref.link, ref.raw, None, ref.format)


def _read_type_cell(raw: str, page: str) -> TypeRef | None:
    if not raw:
        return None
    found = links(raw)
    text = plain(raw)
    collection = bool(_COLLECTION_WORD.search(text) or _COLLECTION_OF.match(text) or _COLLECTION_IN_LINK.search(raw))
    if found:
        label, target = found[0]
        # `[timeZoneInformation](timezoneinformation.md collection)`: a word leaked into the target
        if " " in target:
            target = target.split()[0]
            collection = True
        name = _clean_name(label)
        if not name:
            return None
        prim = PRIMITIVE_SPELLINGS.get(name.lower())
        if prim and not (target and target.lower().startswith(name.lower())):
            return TypeRef(prim, collection, True, raw=raw)
        namespace, short = split_qualified(name)
        return TypeRef(short, collection, False, namespace, link_target(page, target), raw)
    phrase = PHRASES.get(" ".join(text.lower().replace("`", "").split()).strip(" .*"))
    if phrase is not None:
        return TypeRef(phrase[0], collection, True, raw=raw, format=phrase[1])
    name = _clean_name(text)
    if not name:
        return None
    prim = PRIMITIVE_SPELLINGS.get(name.lower())
    if prim:
        return TypeRef(prim, collection, True, raw=raw, format=FORMATS.get(name.lower(), ""))
    if not _QUALIFIED.match(name):
        return None
    namespace, short = split_qualified(name)
    prim = PRIMITIVE_SPELLINGS.get(short.lower()) if namespace is None else None
    if prim:
        return TypeRef(prim, collection, True, raw=raw)
    return TypeRef(short, collection, False, namespace, None, raw)


def _clean_name(text: str) -> str:
    text = text.strip()
    match = _COLLECTION_OF.match(text)
    if match:
        text = match.group(1) or match.group(2)
    if _JSON.search(text):  # "JSON object", "Untyped JSON object"
        return "Json"
    text = _NOISE.sub(" ", text)
    text = _COLLECTION_WORD.sub(" ", text)
    text = text.replace("`", "").strip(" .,;:*")
    parts = text.split()
    if not parts:
        return ""
    # "String (identifier)" is handled by _NOISE; "String or null" / "Edm.String" keep the first word.
    return parts[0].strip(" .,;:()")
