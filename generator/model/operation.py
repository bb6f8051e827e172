"""API pages to an `Operation`: HTTP request lines, parameters, headers, permissions, body,
response, examples."""

from __future__ import annotations

import re

from generator.diagnostics import Diagnostic, make
from generator.model import tables
from generator.model.examples import read_examples
from generator.model.ir import Operation, Parameter, ParamLocation, PathTemplate, Permission, PermissionKind, Source, TypeRef
from generator.model.prose import description_flags, status_codes
from generator.model.resource import read_properties
from generator.model.sections import PageLayout, Placed
from generator.model.typeref import link_target, parse_type_cell
from generator.parse.blocks import Row
from generator.parse.http import parse_request_lines
from generator.parse.inline import links, plain

_SCOPE = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9-]+)+\b")
_ID_CHARS = re.compile(r"[^0-9A-Za-z]+")


def _is_http_request_section(section: str, subsection: str = "") -> bool:
    return section.startswith("http request") or section in ("request", "http requests", "syntax") or subsection.startswith("http request")


def read_operation(layout: PageLayout, path: str, title: str, description: str, diags: list[Diagnostic]) -> Operation:
    op = Operation(id="", title=title, description=description, source=Source(path, layout.title_line or 1))
    for placed in layout.placed:
        block = placed.block
        if block.kind == "code" and _is_http_request_section(placed.section, placed.subsection) and block.tab in ("", "http"):
            if (placed.annotation or {}).get("blockType") in ("request", "response"):
                continue
            lines, more = parse_request_lines(block.text, block.path, block.line + 1)
            diags.extend(more)
            for req in lines:
                if not op.method:
                    op.method = req.method.upper()
                if req.method.upper() == op.method and req.template not in {p.template for p in op.paths}:
                    op.paths.append(PathTemplate(req.url, req.template, list(req.params), Source(block.path, req.line)))
        elif block.kind == "table":
            _read_table(op, placed, path, diags)
    _read_body_and_response(op, layout, path)
    op.examples = read_examples(layout, path, diags)
    first_request = next((e.request for e in op.examples if e.request), None)
    if not op.method and first_request is not None:
        op.method = first_request.method.upper()
    _complete_relative_paths(op)
    if not op.paths:
        _paths_from_examples(op)
    for template in op.paths:
        _dedupe_params(template)
    if not op.paths and not any("http request" in p.section for p in layout.placed):
        diags.append(make(path, op.source.line, "D309", "API page documents no `## HTTP request` block"))
    _add_path_params(op)
    if op.response_type is None:
        typed = next((e.response for e in op.examples if e.response and e.response.odata_type), None)
        ref = parse_type_cell(typed.odata_type, path) if typed and typed.odata_type else None
        if typed is not None and ref is not None and ref.name.lower() not in ("none", "null", "void"):
            ref.collection = op.response_collection = typed.is_collection
            op.response_type = ref
    example_status = next((e.response.status for e in op.examples if e.response and e.response.status), None)
    if op.response_status is None:
        op.response_status = example_status
    op.id = _operation_id(op, path)
    return op


def _read_table(op: Operation, placed: Placed, path: str, diags: list[Diagnostic]) -> None:
    block = placed.block
    section = placed.section
    columns = tables.classify(block.header, section, placed.subsection)
    if columns is None:
        return
    if columns.kind == tables.PERMISSIONS or ("permission" in section or "prerequisite" in section) and "permission" in " ".join(block.header).lower():
        op.permissions.extend(_permissions(block.rows, path))
        return
    if columns.kind == tables.HEADERS or "header" in section:
        for row in block.rows:
            name = plain(tables.cell(row.cells, 0)).strip("`* ")
            if name:
                text = " ".join(plain(c) for c in row.cells[1:])
                op.headers.append(Parameter(name, "header", None, "required" in text.lower(), text, source=Source(path, row.line)))
        return
    if columns.kind in (tables.PROPERTIES, tables.PARAMETERS) and columns.type is not None:
        location: ParamLocation = "body" if "body" in section else ("path" if "path" in section else "query")
        if "function" in section or ("parameter" in section and "query" not in section and op.method == "GET"):
            location = "query"
        for prop in read_properties(placed, columns, path, diags):
            param = Parameter(prop.name, location, prop.type, prop.required, prop.description, prop.possible_values, prop.source)
            {"body": op.request_params, "path": op.path_params}.get(location, op.query_params).append(param)
        return
    if columns.kind == tables.PARAMETERS or "quer" in section:
        for row in block.rows:
            name = plain(tables.cell(row.cells, 0)).strip("`* ")
            if name:
                text = plain(tables.cell(row.cells, columns.description))
                op.query_params.append(Parameter(name, "query", None, description_flags(text).required, text, source=Source(path, row.line)))


def _permissions(rows: list[Row], path: str) -> list[Permission]:
    result: list[Permission] = []
    for row in rows:
        label = plain(tables.cell(row.cells, 0)).lower()
        kind: PermissionKind
        if "personal" in label:
            kind = "delegated_personal"
        elif "delegated" in label or "work or school" in label:
            kind = "delegated_work"
        elif "application" in label:
            kind = "application"
        else:
            continue
        text = " ".join(plain(c) for c in row.cells[1:])
        scopes = [] if "not supported" in text.lower() or "TODO" in text else sorted(set(_SCOPE.findall(text)))
        result.append(Permission(kind, scopes, Source(path, row.line)))
    return result


def _read_body_and_response(op: Operation, layout: PageLayout, path: str) -> None:
    for placed in layout.placed:
        block = placed.block
        if block.kind != "paragraph":
            continue
        if placed.section.startswith("request body") and op.request_type is None:
            if "json representation" in block.text.lower() or "supply a" in block.text.lower():
                op.request_type = _linked_type(block.text, path)
        elif placed.section.startswith("response") and "example" not in placed.section:
            codes = status_codes(block.text)
            if codes and op.response_status is None:
                op.response_status = codes[0]
                op.response_statuses = list(dict.fromkeys(codes))
            if op.response_type is None and ("return" in block.text.lower() or "response body" in block.text.lower()):
                ref = _linked_type(block.text, path)
                if ref is not None:
                    op.response_type = ref
                    op.response_collection = ref.collection


_NAMED_TYPE = re.compile(
    r"\b(?:an?|the|collection of|list of)\s+(?:\*\*|`)([A-Za-z][\w.]*)(?:\*\*|`)\s+(objects?|resources?|entit(?:y|ies)|collection)",
    re.IGNORECASE,
)


def _linked_type(markdown: str, path: str) -> TypeRef | None:
    """The type a sentence names: its first link to a resource page, else a **bold** or `code`
    name followed by "object(s)"; `collection` when the sentence says so."""
    ref = _first_linked_type(markdown, path)
    if ref is not None:
        return ref
    match = _NAMED_TYPE.search(markdown)
    if match is None:
        return None
    ref = parse_type_cell(match.group(1), path)
    if ref is not None:
        lowered = match.group(0).lower()
        ref.collection = lowered.startswith(("collection", "list")) or match.group(2).lower() in ("objects", "resources", "entities", "collection")
    return ref


def _first_linked_type(markdown: str, path: str) -> TypeRef | None:
    for label, target in links(markdown):
        specs_target = link_target(path, target)
        if specs_target is None or "/api/" in f"/{specs_target}" or " " in label.strip():
            continue
        ref = parse_type_cell(f"[{label}]({target})", path)
        if ref is None:
            continue
        around = plain(markdown).lower()
        ref.collection = "collection" in around or f"{label.lower()} objects" in around
        return ref
    return None


def _segments_match(example: list[str], template: list[str]) -> bool:
    for e, t in zip(example, template, strict=True):
        if t.startswith("{"):
            continue
        if e.startswith("{"):  # a placeholder in the example is no literal of the template
            return False
        if e.split("(")[0].lower() != t.split("(")[0].lower():
            return False
    return True


def _complete_relative_paths(op: Operation) -> None:
    """`POST /workbook/names/add` is documented relative to a drive item; the example request
    (`/me/drive/items/{id}/workbook/names/add`) shows the prefix, which completes every path."""
    examples = [e.request.path for e in op.examples if e.request is not None and e.request.path]
    documented = [[s for s in t.template.split("/") if s] for t in op.paths]
    # an example calling a documented path as it stands shows no prefix (`/me/x` beside `/x`)
    examples = [e for e in examples if not any(len(d) == len(segs) and _segments_match(segs, d) for d in documented for segs in [[s for s in e.split("/") if s]])]
    for template in op.paths:
        tail = [s for s in template.template.split("/") if s]
        for example in examples:
            segments = [s for s in example.split("/") if s]
            if tail and len(segments) > len(tail) and _segments_match(segments[-len(tail) :], tail):
                prefix = "/" + "/".join(segments[: -len(tail)])
                first = template.template.split("/")[1:2]
                for path in op.paths:
                    if path.template.split("/")[1:2] == first:
                        path.template = prefix + path.template
                return


def _paths_from_examples(op: Operation) -> None:
    """Pages without a request-syntax block (OneDrive's) show their paths in the examples."""
    for example in op.examples:
        req = example.request
        if req is None or not req.path or req.method.upper() != op.method:
            continue
        if req.path not in {p.template for p in op.paths}:
            params = re.findall(r"\{([^{}]*)\}", req.path)  # no `{` inside: linear on `{{{{`
            op.paths.append(PathTemplate(req.url, req.path, params, req.source))


def _dedupe_params(path: PathTemplate) -> None:
    """`/users/{id}/calendars/{id}` names two different values alike; code needs distinct names,
    so later repeats become `{id2}`, `{id3}` (the documented spelling stays in `raw`)."""
    seen: dict[str, int] = {}
    out: list[str] = []
    params: list[str] = []
    for segment in path.template.split("/"):
        for name in re.findall(r"\{([^{}]*)\}", segment):
            count = seen.get(name, 0) + 1
            seen[name] = count
            unique = name if count == 1 else f"{name}{count}"
            segment = segment.replace("{" + name + "}", "{" + unique + "}", 1) if count > 1 else segment
            params.append(unique)
        out.append(segment)
    path.template = "/".join(out)
    path.params = params


def _add_path_params(op: Operation) -> None:
    known = {p.name for p in op.path_params}
    for template in op.paths:
        for name in template.params:
            if name not in known:
                known.add(name)
                op.path_params.append(Parameter(name, "path", TypeRef("String", primitive=True), True, source=template.source))


def _operation_id(op: Operation, path: str) -> str:
    named = next((e.name for e in op.examples if e.request is not None and e.name), "")
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    if named and not named.startswith(stem + "_"):
        return named
    if op.paths:
        return _ID_CHARS.sub("_", f"{op.method.lower()} {op.paths[0].template}").strip("_")
    return _ID_CHARS.sub("_", stem).strip("_") or "operation"
