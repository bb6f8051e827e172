"""Keys of a resource's JSON representation that no property table declares.

When a page has property tables, they are authoritative: an extra key in the JSON sample is
reported (D406) so the author can complete the table or fix the sample. When a page has no
property table at all, the JSON representation is the only description of the type, and its
keys become the properties, typed from the sample values (`"String"`, `true`,
`{"@odata.type": "microsoft.graph.x"}`, `["String"]`) and the older dialect's type hints
(`"url"`, `"timestamp"`, `"String (timestamp)"`, `"string (identifier)"`, `"etag"`,
`{"@odata.type": "Edm.Stream"}`). A `"url"` hint also marks a String property declared by a
table as a URL.
"""

from __future__ import annotations

import re
from typing import Any

from generator.diagnostics import Diagnostic, make
from generator.model.ir import Api, Property, Source, TypeRef
from generator.model.typeref import FORMATS, PRIMITIVE_SPELLINGS, split_qualified
from generator.resolve.checks import all_properties


_PROPERTY_NAME = re.compile(r"^[a-z][A-Za-z0-9]*$")


def _infer(value: Any) -> TypeRef:
    if isinstance(value, list):
        inner = _infer(value[0]) if value else TypeRef("Object", primitive=True)
        inner.collection = True
        return inner
    if isinstance(value, bool):
        return TypeRef("Boolean", primitive=True)
    if isinstance(value, int):
        return TypeRef("Int32", primitive=True)
    if isinstance(value, float):
        return TypeRef("Double", primitive=True)
    if isinstance(value, dict):
        odata = value.get("@odata.type")
        if isinstance(odata, str) and odata.strip("#").strip():
            edm = odata.strip("#").strip()
            if edm.lower().startswith("edm.") and edm[4:].lower() in PRIMITIVE_SPELLINGS:
                return TypeRef(PRIMITIVE_SPELLINGS[edm[4:].lower()], primitive=True)
            namespace, short = split_qualified(odata)
            return TypeRef(short, namespace=namespace)
        return TypeRef("Json", primitive=True)
    if isinstance(value, str):
        word = hint(value)
        return TypeRef(PRIMITIVE_SPELLINGS.get(word, "String"), primitive=True, format=FORMATS.get(word, ""))
    return TypeRef("Object", primitive=True)


def hint(value: str) -> str:
    """The type word of a placeholder value: "url", "String (timestamp)" -> "timestamp",
    "string (identifier)" -> "identifier", "etag"; lower-cased."""
    return value.split("(")[-1].strip(" )").lower() if "(" in value else value.strip().lower()


def add_json_only_properties(api: Api) -> list[Diagnostic]:
    """Add to each type the keys of its JSON representation that no table declares."""
    diags: list[Diagnostic] = []
    for t in api.types.values():
        if t.kind not in ("entity", "complex") or t.open_type or not isinstance(t.json_example, dict):
            continue
        declared = all_properties(api, t)
        adopt = not (t.properties or t.navigation)
        for name, value in t.json_example.items():
            # Sample keys of dictionaries (`String-value`, GUIDs, `Author`) are data, not names.
            if not _PROPERTY_NAME.match(name):
                continue
            if name.lower() in declared:
                # The table says String, the JSON representation "url": the older dialect's
                # way to say the string is a URL (checked as one in examples).
                prop = declared[name.lower()]
                if isinstance(value, str) and prop.type.primitive and prop.type.name == "String" and not prop.type.format:
                    prop.type.format = FORMATS.get(hint(value), "")
                continue
            line = t.json_line or t.source.line
            if adopt:
                prop = Property(name, _infer(value), source=Source(t.source.path, line))
                t.properties.append(prop)
                declared[name.lower()] = prop
                continue
            diags.append(make(t.source.path, line, "D406", f"`{name}` appears in the JSON representation of `{t.name}` but in no property table"))
    return diags
