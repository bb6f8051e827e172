"""Pages that document several operations, one per section (the OneDrive family's style).

`drive_get.md` documents "Get current user's OneDrive", "Get a user's OneDrive", ... each under
its own H2 with its own `### HTTP request` (or an annotated request block straight under the
H2), and shares the Permissions table, the query parameters and one `## HTTP response` whose
annotation names every request. Each such section is an operation of its own: it keeps its
request, path parameters and body, and gets the page's shared sections (permissions, headers,
response prose, a shared response block). Shared example requests join the operation whose
path they call; those that call none of them form one more operation titled by the page.

A section is an operation section when its H2 is not one of the standard sections of an API
page (HTTP request, Request, Response, Example(s), Syntax) and it holds an HTTP request: a
request-annotated code block, or an unannotated ```http block whose first line is
`METHOD /path`. A page splits only when it has two or more such sections.

A page that states a page-level request syntax (`## HTTP request` first) is one operation,
unless further H2 sections each state their own request under their own `### HTTP request`
(`## Get a single thumbnail` / `### HTTP request`): then each such section is an operation too,
and the page-level syntax, with the page's standard sections (Request body, Response,
Example(s)), is the first operation, the one the page's title names. Sections that only show
an annotated example request under their H2 stay examples of the page's one operation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from generator.model.ir import Operation
from generator.model.sections import PageLayout, Placed
from generator.parse.page import HTTP_TABS

_REQUEST_LINE = re.compile(r"^\s*(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+\S", re.IGNORECASE)
_RESPONSE_LINE = re.compile(r"^\s*HTTP(?:/[\d.]+)?\s+\d{3}", re.IGNORECASE)
# Beyond this many operation sections a page is read as one operation: matching examples to
# sections is quadratic, and no real page documents more than a handful.
MAX_SECTIONS = 100
_STANDARD = ("http request", "request", "response", "example", "syntax", "sample")


@dataclass
class Part:
    """One operation's share of a page: its title, heading line and layout."""

    title: str
    line: int
    layout: PageLayout
    syntax: bool = False  # the section states its request syntax (not only an example)


@dataclass
class Split:
    parts: list[Part]
    shared_requests: list[list[Placed]] = field(default_factory=list)  # request (+ response) groups
    opaque: list[list[Placed]] = field(default_factory=list)  # calls of URLs the API handed out
    shared: list[Placed] = field(default_factory=list)  # shared prose and tables


def _first_line(text: str) -> str:
    return next((line for line in text.split("\n") if line.strip()), "")


def _annotation_kind(placed: Placed) -> str:
    return str((placed.annotation or {}).get("blockType", "")).lower()


def is_request_block(placed: Placed) -> bool:
    block = placed.block
    if block.kind != "code" or block.tab not in HTTP_TABS:
        return False
    kind = _annotation_kind(placed)
    if kind == "request":
        return True
    return kind == "" and block.info in ("http", "") and bool(_REQUEST_LINE.match(_first_line(block.text)))


def _is_response_block(placed: Placed) -> bool:
    block = placed.block
    if block.kind != "code" or block.tab not in HTTP_TABS:
        return False
    kind = _annotation_kind(placed)
    return kind in ("response", "simulatedresponse") or (kind == "" and bool(_RESPONSE_LINE.match(_first_line(block.text))))


def _is_syntax_block(placed: Placed) -> bool:
    """Request syntax: an unannotated or `ignored` request block under an HTTP request heading."""
    block = placed.block
    if block.kind != "code" or block.tab not in HTTP_TABS or _annotation_kind(placed) not in ("", "ignored"):
        return False
    heading = placed.subsection or placed.section
    return heading.startswith(("http request", "syntax")) and bool(_REQUEST_LINE.match(_first_line(block.text)))


def _standard(section: str) -> bool:
    return not section or section.startswith(_STANDARD) or "example" in section


def page_syntax(layout: PageLayout) -> bool:
    """Whether the page states a request syntax in a page-level `## HTTP request` section."""
    return any(p.section.startswith(("http request", "syntax")) and _is_syntax_block(p) for p in layout.placed)


def _states_own_request(layout: PageLayout, section: str) -> bool:
    """Whether an H2 section states its request under its own `### HTTP request` heading."""
    return any(
        p.section == section and p.subsection.startswith(("http request", "syntax")) and (is_request_block(p) or _is_syntax_block(p))
        for p in layout.placed
    )


def operation_sections(layout: PageLayout) -> list[str]:
    """The H2 sections (lower-cased, in page order) that each document an operation.

    On a page with a page-level request syntax, only the sections stating their own request
    under their own `### HTTP request` heading (the page-level operation is not listed)."""
    found: list[str] = []
    for placed in layout.placed:
        opaque = (placed.annotation or {}).get("opaqueUrl") is True
        if placed.section not in found and not _standard(placed.section) and not opaque and (is_request_block(placed) or _is_syntax_block(placed)):
            found.append(placed.section)
    if found and page_syntax(layout):
        return [s for s in found if _states_own_request(layout, s)]
    return found


def _page_level(section: str) -> bool:
    """A standard section of a page-level operation (HTTP request, Request body, Response,
    Example(s)); headers, permissions and parameters are shared by every operation."""
    return bool(section) and _standard(section) and "header" not in section and "parameter" not in section


def split(layout: PageLayout) -> Split | None:
    """One `Part` per operation section, or None when the page documents one operation."""
    sections = operation_sections(layout)
    stated = bool(sections) and page_syntax(layout)
    if not (1 if stated else 2) <= len(sections) <= MAX_SECTIONS:
        return None
    own: dict[str, list[Placed]] = {s: [] for s in sections}
    shared: list[Placed] = []
    first: list[Placed] = []  # the page-level operation's own blocks (page syntax only)
    for placed in layout.placed:
        if placed.section in own:
            # The H3s of the section play the H2s of a one-operation page.
            section = placed.subsection or "http request"
            own[placed.section].append(replace(placed, section=section, subsection=""))
        elif stated and _page_level(placed.section):
            first.append(placed)
        else:
            shared.append(placed)
    groups, shared_responses, rest = _shared_examples(shared)
    # Requests to an opaque URL the API handed out (an upload session's) are not operations.
    opaque = [g for g in groups if (g[0].annotation or {}).get("opaqueUrl") is True]
    groups = [g for g in groups if g not in opaque]
    parts: list[Part] = []
    if stated:
        merged = sorted(first + rest, key=lambda p: (p.block.line, p.block.path))
        line = layout.title_line
        parts.append(Part(layout.title, line, PageLayout(layout.title, line, layout.intro, merged, layout.page_annotations), True))
    for section in sections:
        blocks = own[section]
        names = {str((p.annotation or {}).get("name", "")) for p in blocks if is_request_block(p)}
        answered = any(_is_response_block(p) for p in blocks)
        extra = [] if answered else [r for r in shared_responses if _answers(r, names)]
        merged = sorted(blocks + rest + extra, key=lambda p: (p.block.line, p.block.path))
        # the section's H2 (not its first block, which may be a request fence)
        heading = (blocks[0].section_line or blocks[0].block.line) if blocks else layout.title_line
        title = next((p.section_title for p in layout.placed if p.section == section), section)
        syntax = any(_is_syntax_block(p) or (is_request_block(p) and p.section.startswith(("http request", "syntax"))) for p in blocks)
        parts.append(Part(title, heading, PageLayout(title, heading, [], merged, layout.page_annotations), syntax))
    return Split(parts, shared_requests=groups, opaque=opaque, shared=rest)


def _answers(response: Placed, names: set[str]) -> bool:
    """A shared response answers a section's request unless its annotation names others."""
    named = (response.annotation or {}).get("name")
    if isinstance(named, str):
        named = [named]
    if not isinstance(named, list) or not named:
        return True
    return bool(names & {str(n) for n in named})


def _shared_examples(shared: list[Placed]) -> tuple[list[list[Placed]], list[Placed], list[Placed]]:
    """Shared code blocks: request groups (a request and its response), lone responses, rest."""
    groups: list[list[Placed]] = []
    responses: list[Placed] = []
    rest: list[Placed] = []
    open_group: list[Placed] | None = None
    for placed in shared:
        if is_request_block(placed):
            open_group = [placed]
            groups.append(open_group)
        elif _is_response_block(placed):
            if open_group is not None and len(open_group) == 1:
                open_group.append(placed)
            else:
                responses.append(placed)
            open_group = None
        else:
            rest.append(placed)
    return groups, responses, rest


def calls(template: str, path: str) -> bool:
    """Whether request path `path` is an instance of path template `template`."""
    want = [s for s in template.split("?")[0].split("/") if s]
    have = [s for s in path.split("?")[0].split("/") if s]
    if len(want) != len(have):
        return False
    return all("{" in w or w.lower() == h.lower() for w, h in zip(want, have, strict=True))


def last_segment(path: str) -> str:
    """The last segment of a path or template, lower-cased, without its parentheses."""
    segments = [s for s in path.split("?")[0].split("/") if s]
    return segments[-1].split("(")[0].lower() if segments else ""


_KEY_SEGMENT = re.compile(r"^\{[^{}/]+\}$")


def path_addressing_of(op: Operation, other: Operation) -> bool:
    """Whether every path of `op` addresses, by a path (`/sites/{hostname}:/{relative-path}`),
    what a path of `other` addresses by key (`/sites/{site-id}`), with the same method."""
    if not op.paths or op.method != other.method:
        return False
    for template in op.paths:
        head = template.template.split(":", 1)[0]
        if head == template.template or "/" not in head.strip("/"):
            return False
        parent = head.rsplit("/", 1)[0].lower()
        if not any(
            t.template.rsplit("/", 1)[0].lower() == parent and _KEY_SEGMENT.match(t.template.rsplit("/", 1)[1]) and ":" not in t.template
            for t in other.paths
        ):
            return False
    return True
