"""Resource and enum pages to `TypeDef`s: property and relationship tables, member tables,
the JSON representation and its annotation, and inheritance stated in prose."""

from __future__ import annotations

import re
from typing import Any

from generator.diagnostics import Diagnostic, make
from generator.model import tables
from generator.model.ir import EnumMember, Property, Source, TypeDef
from generator.model.prose import description_flags, inherits_from, says_open_type
from generator.model.sections import PageLayout, Placed
from generator.model.typeref import link_target, parse_type_cell, split_qualified
from generator.parse.annotations import dialect_reason
from generator.parse.lenient_json import read_json
from generator.parse.inline import links, plain

_TITLE_SUFFIX = re.compile(
    r"\s+(?:resource|complex|entity|enum(?:eration)?|object)?\s*(?:type|resource|object|enum(?:eration)?)\s*$",
    re.IGNORECASE,
)
_VALUES_HEADING = re.compile(r"^`?([A-Za-z_][\w.]*)`?\s+(?:values|members|enum(?:eration)?(?:\s+type)?)$", re.IGNORECASE)
# Subsections of Properties whose tables describe something else than the type's own properties.
_OTHER_SHAPE = re.compile(r"^properties of\b|\bpropert(?:y|ies)(?: values)?$|\bderived types\b|\b(?:values|options|members)$", re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z_@][\w.@-]*$")
# Documented names are kept verbatim, identifiers or not (`1Q`, `30dActive`, `$skiptoken`; enum
# values `0`, `24x7`, `+plus`, `north east 2`): only empty cells and prose are refused (D205).
_DOCUMENTED_NAME = re.compile(r"^[^\s|<>()\[\]{}\"',;]{1,100}$")
_DOCUMENTED_VALUE = re.compile(r"^[^\s|<>()\[\]{}\"',;]{1,60}(?: [^\s|<>()\[\]{}\"',;.]{1,60}){0,3}$")


def _why(name: str, limit: int) -> str:
    """Why a cell is not read as a name: too long for one (prose is), or the characters in it."""
    if not re.search(r"[\s|<>()\[\]{}\"',;]", name) and len(name) > limit:
        return f" (longer than {limit} characters: read as prose)"
    return " (it holds spaces, brackets, quotes or punctuation: read as prose)"


def type_name_from_title(title: str) -> str:
    name = _TITLE_SUFFIX.sub("", plain(title)).strip().strip("`*")
    return name.split()[0] if name.split() else ""


def read_types(layout: PageLayout, path: str, kind_hint: str, namespace: str | None, diags: list[Diagnostic]) -> list[TypeDef]:
    """All types a resource or enum page defines (one main type, plus `### x values` enums)."""
    resources = [p for p in layout.placed if p.annotation and str(p.annotation.get("blockType", "")).lower() == "resource"]
    resource = resources[0] if resources else None
    # Further resource annotations under their own heading define further types (OneDrive's
    # `error.md` defines `error` and, under "#### odata.error resource type", `odata.error`).
    others = {id(p): TypeDef("", "complex") for p in resources[1:] if p.subsection and p.subsection != resource.subsection}  # type: ignore[union-attr]
    owner_of: dict[str, TypeDef] = {}
    for p in resources[1:]:
        other = others.get(id(p))
        odata = (p.annotation or {}).get("@odata.type")
        if other is None or not isinstance(odata, str) or not odata.strip():
            others.pop(id(p), None)
            continue
        other.namespace, other.name = split_qualified(odata)
        other.source = Source(path, p.block.line)
        owner_of[p.subsection] = other
        _apply_resource_annotation(other, p, path, diags)
    main_name = _main_name(layout, path, resource)
    main = TypeDef(main_name, "enum" if kind_hint == "enumPageType" else "complex", namespace, source=Source(path, layout.title_line or 1))
    intro = " ".join(b.text for b in layout.intro)
    main.description = _first_description(layout)
    base = inherits_from(intro)
    if base:
        main.base_type = base
    main.open_type = says_open_type(intro)
    extra_enums: list[TypeDef] = []
    for placed in layout.placed:
        block = placed.block
        if block.kind != "table":
            continue
        columns = tables.classify(block.header, placed.section, placed.subsection)
        if columns is None:
            continue
        if columns.kind == tables.MEMBERS:
            heading = _VALUES_HEADING.match(placed.heading.strip())
            members = _members(placed, columns, path, diags)
            if heading and heading.group(1).lower() != main_name.lower():
                ns, short = split_qualified(heading.group(1))
                extra_enums.append(TypeDef(short, "enum", ns or namespace, members=members, source=Source(path, block.line)))
            elif main.kind == "enum" or not (main.properties or main.navigation):
                main.kind = "enum"
                main.members.extend(members)
        elif columns.kind in (tables.PROPERTIES, tables.RELATIONSHIPS) and main.kind != "enum":
            if placed.subsection and _OTHER_SHAPE.search(placed.subsection):
                # "### Properties of a policy definition", "#### ageGroup property": the shape
                # of a nested JSON value or one property's values, not the type's properties
                continue
            holder = owner_of.get(placed.subsection, main)
            target = holder.navigation if columns.kind == tables.RELATIONSHIPS else holder.properties
            target.extend(read_properties(placed, columns, path, diags))
    if resource is not None:
        _apply_resource_annotation(main, resource, path, diags)
    _report_duplicates(main, path, diags)
    if main.kind != "enum":
        main.entity_evidence = entity_evidence(layout, main)
    types = [main] if (main.kind != "enum" or main.members or not extra_enums) else []
    for other in owner_of.values():
        _report_duplicates(other, path, diags)
    return types + list(owner_of.values()) + extra_enums


_CRUD = ("get", "list", "create", "update", "delete", "read", "add", "remove", "replace", "upsert")
_NO_CONTENT = ("none", "no content", "")


def entity_evidence(layout: PageLayout, main: TypeDef) -> list[str]:
    """What the page says that makes `main` an entity (see resolve/kinds.py):
    "relationships" for a relationships table, or a Relationships section on a type that has an
    `id`; "methods" for a Methods table row of a CRUD page returning the type (or nothing)."""
    found: list[str] = []
    has_id = any(p.name == "id" for p in main.properties)
    if main.navigation or (has_id and any(p.section.startswith("relationship") for p in layout.placed)):
        found.append("relationships")
    name = main.name.lower()
    for placed in layout.placed:
        block = placed.block
        if block.kind != "table" or "methods" in found:
            continue
        columns = tables.classify(block.header, placed.section, placed.subsection)
        if columns is None or columns.kind != tables.METHODS:
            continue
        for row in block.rows:
            label = plain(tables.cell(row.cells, columns.name)).lower()
            returns = plain(tables.cell(row.cells, columns.type)).lower()
            words = re.findall(r"[a-z]+", returns)
            if label.split()[:1] and label.split()[0] in _CRUD and (name in words or returns.strip(" .") in _NO_CONTENT):
                found.append("methods")
                break
    return found


def method_links(layout: PageLayout, path: str) -> list[str]:
    """Specs-relative API pages linked from the page's Methods tables."""
    found: list[str] = []
    for placed in layout.placed:
        block = placed.block
        if block.kind != "table":
            continue
        columns = tables.classify(block.header, placed.section, placed.subsection)
        if columns is None or columns.kind != tables.METHODS:
            continue
        for row in block.rows:
            for _, target in links(tables.cell(row.cells, columns.name)):
                resolved = link_target(path, target)
                if resolved and resolved not in found:
                    found.append(resolved)
    return found


def _main_name(layout: PageLayout, path: str, resource: Placed | None) -> str:
    if resource is not None:
        odata = resource.annotation.get("@odata.type") if resource.annotation else None
        if isinstance(odata, str) and odata.strip():
            return split_qualified(odata)[1]
    name = type_name_from_title(layout.title)
    if name and _NAME.match(name):
        return name
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    return stem.rsplit("-", 1)[-1] or stem


def _first_description(layout: PageLayout) -> str:
    for block in layout.intro:
        text = plain(block.text)
        if text and not text.lower().startswith(("namespace:", "[!")) and "note:" not in text.lower()[:10]:
            return text
    return ""


def read_properties(placed: Placed, columns: tables.Columns, path: str, diags: list[Diagnostic]) -> list[Property]:
    props: list[Property] = []
    width = len(placed.block.header)
    for row in placed.block.rows:
        if tables.is_group_label(row.cells):
            continue
        if len(row.cells) != width:
            diags.append(make(path, row.line, "D201", f"row has {len(row.cells)} cells, header has {width}"))
        name = plain(tables.cell(row.cells, columns.name)).strip("`* ")
        if not name or name.startswith("@"):  # `@odata.etag` rows document annotations
            continue
        if not _DOCUMENTED_NAME.match(name):
            diags.append(make(path, row.line, "D205", f"property name {name!r} is not a name{_why(name, 100)}"))
            continue
        type_text = tables.cell(row.cells, columns.type)
        ref = parse_type_cell(type_text, path)
        if ref is None:
            diags.append(make(path, row.line, "D202", f"type cell {type_text!r} of `{name}` could not be read"))
            continue
        description = tables.cell(row.cells, columns.description)
        flags = description_flags(description)
        props.append(
            Property(
                name, ref, plain(description), flags.read_only, flags.nullable, flags.required,
                flags.filterable, flags.possible_values, inherits_from(description), Source(path, row.line),
            )
        )
    return props


def _members(placed: Placed, columns: tables.Columns, path: str, diags: list[Diagnostic]) -> list[EnumMember]:
    members: list[EnumMember] = []
    for row in placed.block.rows:
        if tables.is_group_label(row.cells):
            continue
        name = plain(tables.cell(row.cells, columns.name)).strip("`* ")
        if not name:
            continue
        if not _DOCUMENTED_VALUE.match(name):
            diags.append(make(path, row.line, "D205", f"enum member {name!r} is not a value{_why(name, 60)}"))
            continue
        value_text = plain(tables.cell(row.cells, columns.value))
        value = int(value_text) if re.fullmatch(r"-?\d+", value_text) else None
        members.append(EnumMember(name, value, plain(tables.cell(row.cells, columns.description)), Source(path, row.line)))
    return members


def _apply_resource_annotation(main: TypeDef, resource: Placed, path: str, diags: list[Diagnostic]) -> None:
    ann: dict[str, Any] = resource.annotation or {}
    key = ann.get("keyProperty")
    if isinstance(key, str) and key.strip():
        main.key = [key.strip()]
        main.kind = "entity"
    base = ann.get("baseType")
    if isinstance(base, str) and base.strip():
        main.base_type = split_qualified(base)[1]
        ns = split_qualified(base)[0]
        if ns:
            main.base_type = f"{ns}.{main.base_type}"
    if ann.get("openType") is True:
        main.open_type = True
    if ann.get("abstract") is True or str(ann.get("abstract", "")).lower() == "true":
        main.abstract = True
    odata = ann.get("@odata.type")
    if isinstance(odata, str) and odata.strip():
        namespace = split_qualified(odata)[0]
        if namespace:
            main.namespace = namespace
    block = resource.block
    reading = read_json(block.text)
    reason = dialect_reason(reading.reason)
    main.json_example = reading.value
    main.json_line = block.line + 1
    if reason:
        # at the line of the first problem the dialect does not allow (a trailing comma's line)
        line = block.line + max(reading.line_of_first(frozenset({"comment"})), 1)
        diags.append(make(path, line, "D307", f"JSON representation is not strict JSON: {reason}"))


def _report_duplicates(main: TypeDef, path: str, diags: list[Diagnostic]) -> None:
    for group in (main.properties, main.navigation):
        seen: set[str] = set()
        keep: list[Property] = []
        for prop in group:
            if prop.name.lower() in seen:
                diags.append(make(path, prop.source.line, "D203", f"`{prop.name}` is listed twice in `{main.name}`"))
                continue
            seen.add(prop.name.lower())
            keep.append(prop)
        group[:] = keep
