"""What the generated tests of an example check, and which findings make them fail.

Pure functions of the IR and the operation views, used by `fixtures.FixtureBuilder`.
"""

from __future__ import annotations

import re
from typing import Any

from generator.diagnostics import Diagnostic
from generator.model.ir import Api, Example, Operation, Property, TypeDef, TypeRef
from generator.model.names import PythonIdentifier
from generator.render.view import OperationView
from generator.resolve.checks import LENIENT_NOTE, check_examples

_MODEL_FAILURE = re.compile(r"\((DateTimeOffset|Date)\):")


def breaks_model(d: Diagnostic) -> bool:
    """Findings the generated models reject at run time (others load and round-trip)."""
    return d.code == "D502" or (
        d.code == "D503" and bool(_MODEL_FAILURE.search(d.message)) and LENIENT_NOTE not in d.message
    )


def example_ranges(api: Api) -> dict[int, tuple[str, int, int]]:
    """id(example) -> (page, first line, first line of the next example on the page)."""
    starts: dict[str, list[tuple[int, int]]] = {}
    for op in api.operations:
        for ex in op.examples:
            starts.setdefault(ex.source.path, []).append((ex.source.line, id(ex)))
    ranges: dict[int, tuple[str, int, int]] = {}
    for page, items in starts.items():
        items.sort()
        for i, (line, ident) in enumerate(items):
            end = items[i + 1][0] if i + 1 < len(items) else 1 << 30
            ranges[ident] = (page, line, max(end, line + 1))
    return ranges


def body_findings(api: Api, op: Operation, body_type: str | None) -> list[Diagnostic]:
    """The resolver's checks run on a request body the resolver did not check: inline
    parameters (as if they were a type), or a type the renderer recognised the table as."""
    key = body_type
    types = dict(api.types)
    if key is None:
        props = [
            Property(name=p.name, type=p.type or TypeRef("Object", primitive=True), source=p.source)
            for p in op.request_params
        ]
        key = f"\x00{op.id} request body"
        types[key] = TypeDef(
            name=f"{op.id} request body", kind="complex", properties=props, source=op.source
        )
    probe = Operation(
        id=op.id,
        title="",
        method=op.method,
        examples=op.examples,
        request_type=TypeRef(types[key].name, resolved=key),
        source=op.source,
    )
    return [d for d in check_examples(Api(types=types, operations=[probe])) if breaks_model(d)]


def misspelled(body: Any, declared: list[str], inline: bool = True) -> str | None:
    """A top-level property spelled with other letter case than documented, when that breaks
    the round trip: inline parameters are sent with the documented spelling; a model loads
    the key into the documented attribute only when the key is that attribute's name (`url`
    for `URL`), and otherwise keeps it as an extra key, written back as it was."""
    if not isinstance(body, dict):
        return None
    exact = set(declared)
    folded = {name.lower(): name for name in declared}
    for key in body:
        if key not in exact and key.lower() in folded:
            documented = folded[key.lower()]
            if inline or key == PythonIdentifier(documented):
                return f"the example spells `{key}`, the docs `{documented}`"
    return None


def _success(ex: Example) -> bool:
    resp = ex.response
    return resp is not None and (resp.status or 200) < 400


def round_trip_parts(
    view: OperationView, body_model: str | None, ex: Example, to_api: bool
) -> list[str]:
    """The example bodies a model loads and dumps back, JSON objects with a model: `request`
    (when sent to the API: a callback's body is no request body), `response`, or `item` (one
    object shown for a collection: loaded as one item)."""
    parts = []
    if to_api and body_model and ex.request is not None and isinstance(ex.request.body, dict):
        parts.append("request")
    body = ex.response.body if ex.response is not None else None
    if view.response_kind in ("model", "collection") and isinstance(body, dict) and _success(ex):
        paged = isinstance(body.get("value"), list)
        parts.append("item" if view.response_kind == "collection" and not paged else "response")
    return parts


def media(ex: Example) -> bool:
    """The example calls a `/$value` path: the response is the entity's media, not JSON."""
    return ex.request is not None and ex.request.path.rstrip("/").endswith("/$value")


def response_problem(view: OperationView, ex: Example) -> str | None:
    """Why the client of `view` cannot read `ex`'s documented success response as documented."""
    resp = ex.response
    if resp is None or not _success(ex) or (resp.body is None and not resp.body_raw.strip()):
        return None
    if view.media_paths and media(ex):
        return None
    if view.response_kind == "model" and not isinstance(resp.body, dict):
        return "the response body is not a JSON object"
    if view.response_kind == "collection" and not (
        isinstance(resp.body, dict) and isinstance(resp.body.get("value"), list)
    ):
        return "the response body is not a collection object (`value` array)"
    return None


def decodes_response(view: OperationView, ex: Example) -> bool:
    """Whether the client of `view` loads `ex`'s documented response into a model."""
    resp = ex.response
    return (
        view.response_kind in ("model", "collection")
        and not (view.media_paths and media(ex))
        and resp is not None
        and resp.body is not None
        and _success(ex)
    )


def wrapped(view: OperationView | None, ex: Example) -> bool:
    """A single object documented inside a `{"value": {...}}` wrapper (an Intune pages' defect):
    the mock answers with another example of the route when it has one."""
    body = ex.response.body if ex.response is not None else None
    return (
        view is not None
        and view.response_kind == "model"
        and isinstance(body, dict)
        and isinstance(body.get("value"), dict)
        and not [k for k in body if k != "value" and not k.startswith("@")]
    )
