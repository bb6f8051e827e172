"""Hand-built IRs and a fixture that renders one into an importable package."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from generator.model.ir import (
    Api,
    EnumMember,
    Example,
    HttpRequest,
    HttpResponse,
    Operation,
    Page,
    Parameter,
    PathTemplate,
    Property,
    Source,
    TypeDef,
    TypeRef,
)
from generator.output.format import format_files
from generator.render import render


def prop(name: str, type_name: str, collection: bool = False, description: str = "") -> Property:
    from generator.model.ir import PRIMITIVES

    primitive = type_name in PRIMITIVES
    ref = TypeRef(
        type_name,
        collection=collection,
        primitive=primitive,
        resolved=None if primitive else type_name.lower(),
    )
    return Property(name, ref, description=description, source=Source("resources/x.md", 20))


def ref(name: str) -> TypeRef:
    return TypeRef(name, resolved=name.lower())


def example(
    name: str,
    method: str,
    path: str,
    body: object,
    status: int,
    response: object,
    line: int,
    page: str = "api/job-create.md",
    truncated: bool = False,
) -> Example:
    src = Source(page, line)
    request = HttpRequest(
        method,
        "https://graph.microsoft.com/v1.0" + path,
        path,
        body=body,
        body_is_json=body is not None,
        body_raw="" if body is None else "{...}",
        source=src,
    )
    reply = HttpResponse(
        status,
        body=response,
        body_is_json=response is not None,
        body_raw="" if response is None else "{...}",
        truncated=truncated,
        source=Source(page, line + 10),
    )
    return Example(name, request, reply, src)


def sample_api() -> Api:
    """A small Graph: inheritance, polymorphism, an enum, a placeholder, five kinds of operation."""
    entity = TypeDef(
        "entity",
        "entity",
        properties=[prop("id", "String")],
        source=Source("resources/entity.md", 1),
    )
    directory_object = TypeDef(
        "directoryObject",
        "entity",
        base_type="entity",
        properties=[prop("deletedDateTime", "DateTimeOffset")],
        source=Source("resources/directoryobject.md", 1),
    )
    user = TypeDef(
        "user",
        "entity",
        base_type="directoryObject",
        description="A user.",
        properties=[
            prop("displayName", "String", description="Name shown."),
            prop("manager", "directoryObject"),
            prop("state", "jobState"),
            prop("score", "Double"),
            prop("birthday", "Date"),
            prop("tags", "String", collection=True),
        ],
        source=Source("resources/user.md", 1),
    )
    job = TypeDef(
        "synchronizationJob",
        "entity",
        base_type="entity",
        properties=[
            prop("templateId", "String"),
            prop("schedule", "synchronizationSchedule"),
            prop("enabled", "Boolean"),
            prop("count", "Int32"),
            prop("owner", "user"),
        ],
        source=Source("resources/job.md", 1),
    )
    state = TypeDef(
        "jobState",
        "enum",
        members=[EnumMember("active"), EnumMember("unknownFutureValue")],
        source=Source("resources/jobstate.md", 1),
    )
    schedule = TypeDef(
        "synchronizationSchedule",
        "placeholder",
        placeholder_reason="D401: `synchronizationSchedule` is referenced but no page defines it",
        source=Source("resources/job.md", 12),
    )
    types = {t.key_name: t for t in (entity, directory_object, user, job, state, schedule)}

    job_body = {"templateId": "BoxOutDelta", "enabled": True}
    job_reply = {
        "@odata.type": "#microsoft.graph.synchronizationJob",
        "id": "j1",
        "templateId": "BoxOutDelta",
        "enabled": True,
        "count": 3,
        "owner": {
            "@odata.type": "#microsoft.graph.user",
            "displayName": "Ann",
            "deletedDateTime": "2021-01-01T10:00:00.1234567Z",
        },
    }
    create = Operation(
        "create_job",
        "Create job",
        "Create a synchronization job.",
        "POST",
        paths=[
            PathTemplate(
                "/servicePrincipals/{id}/synchronization/jobs",
                "/servicePrincipals/{id}/synchronization/jobs",
                ["id"],
            )
        ],
        request_type=ref("synchronizationJob"),
        response_type=ref("synchronizationJob"),
        response_status=201,
        examples=[
            example(
                "create_job",
                "POST",
                "/servicePrincipals/sp1/synchronization/jobs",
                job_body,
                201,
                job_reply,
                40,
            )
        ],
        source=Source("api/job-create.md", 1),
    )
    list_users = Operation(
        "list_users",
        "List users",
        "",
        "GET",
        paths=[
            PathTemplate("/users", "/users"),
            PathTemplate("/groups/{group-id}/members", "/groups/{group-id}/members", ["group-id"]),
        ],
        response_type=ref("directoryObject"),
        response_collection=True,
        response_status=200,
        examples=[
            example(
                "list_users",
                "GET",
                "/groups/g1/members",
                None,
                200,
                {
                    "value": [
                        {
                            "@odata.type": "#microsoft.graph.user",
                            "id": "u1",
                            "state": "brandNew",
                            "score": 1,
                            "birthday": "1990-05-01",
                        }
                    ],
                    "@odata.nextLink": "https://next",
                },
                10,
                page="api/user-list.md",
            )
        ],
        source=Source("api/user-list.md", 1),
    )
    assign = Operation(
        "assign_license",
        "Assign license",
        "",
        "POST",
        paths=[PathTemplate("/users/{id}/assignLicense", "/users/{id}/assignLicense", ["id"])],
        request_params=[
            Parameter("addLicenses", "body", TypeRef("String", collection=True, primitive=True)),
            Parameter("disabled", "body", TypeRef("Boolean", primitive=True)),
        ],
        response_type=ref("user"),
        response_status=200,
        examples=[
            example(
                "assign_license",
                "POST",
                "/users/u1/assignLicense",
                {"addLicenses": ["a"]},
                200,
                {"id": "u1", "displayName": "Ann"},
                10,
                page="api/user-assign.md",
            ),
            example(
                "assign_license_bad",
                "POST",
                "/users/u2/assignLicense",
                {"disabled": "Boolean"},
                200,
                {"id": "u2"},
                40,
                page="api/user-assign.md",
            ),
        ],
        source=Source("api/user-assign.md", 1),
    )
    delete = Operation(
        "delete_user",
        "Delete user",
        "",
        "DELETE",
        paths=[PathTemplate("/users/{id}", "/users/{id}", ["id"])],
        response_status=204,
        examples=[
            example(
                "delete_user", "DELETE", "/users/u1", None, 204, None, 10, page="api/user-delete.md"
            )
        ],
        source=Source("api/user-delete.md", 1),
    )
    broken = Operation(
        "create_thing",
        "Create thing",
        "",
        "POST",
        paths=[PathTemplate("** Collection URI not found", "** Collection URI not found")],
        request_type=ref("synchronizationJob"),
        response_type=ref("synchronizationJob"),
        response_status=201,
        examples=[
            example(
                "create_thing",
                "POST",
                "",
                {"templateId": "x"},
                201,
                {"templateId": "x"},
                10,
                page="api/thing-create.md",
            )
        ],
        source=Source("api/thing-create.md", 1),
    )
    operations = sorted([create, list_users, assign, delete, broken], key=lambda o: o.id)
    pages = sorted({op.source.path for op in operations} | {t.source.path for t in types.values()})
    return Api(
        types=dict(sorted(types.items())),
        operations=operations,
        pages=[Page(path) for path in pages],
    )


@pytest.fixture(scope="session")
def build_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., ModuleType]]:
    """Render an Api into a temporary folder as package `name`, format it, import it.

    Built once per name for the session (rendering and black take a second); forgotten after.
    """
    root = tmp_path_factory.mktemp("packages")
    built: dict[str, ModuleType] = {}

    def build(api: Api, name: str, templates: Path | None = None) -> ModuleType:
        if name in built:
            return built[name]
        write_package(api, name, root, templates)
        if str(root) not in sys.path:
            sys.path.insert(0, str(root))
        importlib.invalidate_caches()
        built[name] = importlib.import_module(name)
        return built[name]

    yield build
    for name in built:
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module]
    if str(root) in sys.path:
        sys.path.remove(str(root))


def write_package(api: Api, name: str, root: Path, templates: Path | None = None) -> Path:
    result = render(api, name, templates)
    files = format_files({p: f.text for p, f in result.files.items()}, "black", jobs=1)
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root / name
