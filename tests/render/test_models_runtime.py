"""Generated models used as a Graph developer would: polymorphic writes, strict construction,
change tracking over a GET then PATCH, exact numbers, and every documented name kept.

A hand-built IR is rendered, imported and executed; requests go to an `httpx.MockTransport`.
"""

from __future__ import annotations

import copy
import decimal
import json
import pickle
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest

from generator.model.ir import Api, EnumMember, Page, Source, TypeDef
from generator.model.names import GRAPH_MODEL_NAMES, AttributeName, model_reserved
from generator.render import render
from tests.render.conftest import prop


def _type(name: str, kind: str, base: str | None = None, props: Any = (), **kw: Any) -> TypeDef:
    return TypeDef(
        name,
        kind,  # type: ignore[arg-type]
        base_type=base,
        properties=list(props),
        source=Source(f"resources/{name.lower()}.md", 1),
        **kw,
    )


def models_api() -> Api:
    types = [
        _type("entity", "entity", props=[prop("id", "String")]),
        _type("attachment", "entity", "entity", [prop("name", "String")]),
        _type(
            "fileAttachment",
            "entity",
            "attachment",
            [prop("contentBytes", "Binary"), prop("related", "attachment")],
        ),
        _type(
            "physicalAddress", "complex", props=[prop("city", "String"), prop("street", "String")]
        ),
        _type(
            "user",
            "entity",
            "entity",
            [
                prop("displayName", "String"),
                prop("createdDateTime", "DateTimeOffset"),
                prop("address", "physicalAddress"),
                prop("attachments", "attachment", collection=True),
            ],
        ),
        _type(
            "event",
            "entity",
            "entity",
            [prop("subject", "String"), prop("attachments", "attachment", collection=True)],
            open_type=True,
        ),
        _type("mystery", "placeholder", placeholder_reason="D401 no page documents it"),
        _type("clip", "complex", props=[prop("name", "String")]),
        _type("linkClip", "complex", "clip", [prop("url", "String")]),
        _type("video", "complex", props=[prop("clip", "clip")]),
        _type(
            "price",
            "complex",
            props=[
                prop("amount", "Decimal"),
                prop("amounts", "Decimal", collection=True),
                prop("quantity", "Int64"),
                prop("ratio", "Double"),
                prop("since", "DateTimeOffset"),
                prop("day", "Date"),
                prop("at", "TimeOfDay"),
                prop("span", "Duration"),
            ],
        ),
        _type(
            "oddNames",
            "complex",
            props=[
                prop("id", "String"),
                prop("type", "String"),
                prop("class", "String"),
                prop("register", "String"),
                prop("mro", "String"),
                prop("modelDump", "String"),
                prop("json", "String"),
                prop("1Q", "Int32"),
                prop("30dActive", "Int32"),
                prop("plus", "String"),
                prop("+plus", "String"),
                prop("kind", "oddValues"),
            ],
        ),
        _type("openThing", "complex", props=[prop("name", "String")], open_type=True),
        _type(
            "oddValues",
            "enum",
            members=[EnumMember(v) for v in ("0", "24x7", "north east 2", "+plus", "plus")],
        ),
    ]
    by_key = {t.key_name: t for t in types}
    pages = sorted(t.source.path for t in types)
    return Api(types=dict(sorted(by_key.items())), pages=[Page(p) for p in pages])


@pytest.fixture(scope="module")
def pkg(build_package) -> ModuleType:  # type: ignore[no-untyped-def]
    import importlib

    package = build_package(models_api(), "models_runtime_pkg")
    for module in ("models", "client", "_http", "_base"):
        importlib.import_module(f"models_runtime_pkg.{module}")
    return package


def _client(pkg: ModuleType, replies: list[httpx.Response], sent: list[httpx.Request]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return replies.pop(0)

    return pkg.client.Client("https://graph.test/v1.0", transport=httpx.MockTransport(handler))


# -- polymorphic writes -----------------------------------------------------------------------


def test_derived_type_built_in_python_writes_its_odata_type(pkg: ModuleType) -> None:
    m = pkg.models
    file = m.FileAttachment(name="a.txt", content_bytes="aGk=")
    assert file.to_json() == {
        "@odata.type": "#microsoft.graph.fileAttachment",
        "name": "a.txt",
        "contentBytes": "aGk=",
    }
    assert next(iter(file.to_json())) == "@odata.type"
    assert file.odata_type is None  # written at serialisation time, nothing stored
    # a type with no base type writes none; a derived one read without its tag writes it too
    assert m.Clip(name="c").to_json() == {"name": "c"}
    assert m.FileAttachment.model_validate({"name": "b"}).to_json() == {
        "@odata.type": "#microsoft.graph.fileAttachment",
        "name": "b",
    }
    # a tag that was read (or set) is written as it is
    other = {"@odata.type": "#Microsoft.OutlookServices.FileAttachment", "name": "o"}
    assert m.FileAttachment.model_validate(other).to_json() == other
    # every dump writes it: model_dump by attribute names, by alias, model_dump_json
    tag = "#microsoft.graph.fileAttachment"
    assert file.model_dump(exclude_unset=True)["@odata.type"] == tag
    assert file.model_dump(by_alias=False, exclude_unset=True)["odata_type"] == tag
    assert json.loads(file.model_dump_json(exclude_unset=True))["@odata.type"] == (
        "#microsoft.graph.fileAttachment"
    )
    assert "@odata.type" not in file.model_dump(exclude={"odata_type"})
    assert file.model_dump()["@odata.type"] == tag  # filled in where it is None
    # the serialisation schema stays the model's own (FastAPI documents responses with it)
    schema = m.FileAttachment.model_json_schema(mode="serialization")
    assert {"@odata.type", "name", "contentBytes"} <= set(schema["properties"])


def test_subtype_in_base_typed_property_keeps_its_type_both_ways(pkg: ModuleType) -> None:
    m = pkg.models
    video = m.Video(clip=m.LinkClip(name="c", url="https://x"))
    sent = video.to_json()
    assert sent == {
        "clip": {"@odata.type": "#microsoft.graph.linkClip", "name": "c", "url": "https://x"}
    }
    back = m.Video.model_validate(json.loads(json.dumps(sent)))
    assert type(back.clip) is m.LinkClip and back.clip.url == "https://x"
    # a subtype read from JSON without its tag is read back as itself
    untagged = m.LinkClip.model_validate({"url": "u"})
    video = m.Video(clip=untagged)
    assert type(m.Video.model_validate(video.to_json()).clip) is m.LinkClip
    # the same through a property typed by the model's own base class (imported, not deferred)
    file = m.FileAttachment(related=m.FileAttachment.model_validate({"name": "r"}))
    assert type(m.FileAttachment.model_validate(file.to_json()).related) is m.FileAttachment
    user = m.User(attachments=[m.FileAttachment(name="a", content_bytes="aGk=")])
    again = m.User.model_validate(user.to_json())
    assert type(again.attachments[0]) is m.FileAttachment


def test_subtype_assigned_or_appended_keeps_its_type_without_mutation(pkg: ModuleType) -> None:
    m, _http = pkg.models, pkg._http
    fa = m.FileAttachment.model_validate({"name": "b"})
    tagged = {"@odata.type": "#microsoft.graph.fileAttachment", "name": "b"}
    ev = m.Event()
    ev.attachments = [fa]  # assigned: no validation runs
    assert ev.to_json()["attachments"] == [tagged]
    back = m.Event.model_validate(json.loads(_http.dumps(_http.encode(ev))))
    assert type(back.attachments[0]) is m.FileAttachment
    ev.attachments.append(m.FileAttachment.model_validate({"name": "c"}))  # appended
    assert [a["@odata.type"] for a in ev.to_json()["attachments"]] == [tagged["@odata.type"]] * 2
    # passing it to a constructor or model_validate leaves the original as it was
    m.Event(attachments=[fa])
    m.User.model_validate({"attachments": [fa]})
    assert fa.odata_type is None and "odata_type" not in fa.model_fields_set
    assert fa.to_json() == tagged and m.FileAttachment.model_validate({"name": "b"}) == fa


def test_typos_are_errors_on_every_model_open_types_too(pkg: ModuleType) -> None:
    m = pkg.models
    assert m.Event.__graph_open__ and "additional_data" in m.Event.__doc__  # an open type
    with pytest.raises(
        TypeError, match="unexpected keyword argument 'subjct'; did you mean 'subject'"
    ):
        m.Event(subjct="typo")
    with pytest.raises(TypeError, match="'color'.*additional_data"):
        m.OpenThing(name="n", color="red")
    with pytest.raises(TypeError, match="unexpected keyword argument 'anything'"):
        m.Mystery(anything=1)  # a placeholder has no documented properties
    assert m.Event(subject="ok", id="1").to_json()["subject"] == "ok"
    # attribute assignment: a typo is an AttributeError with a hint, the body is untouched
    fa = m.FileAttachment(name="a")
    with pytest.raises(AttributeError, match="'nmae'; did you mean 'name'") as caught:
        fa.nmae = "typo"
    assert caught.value.name == "nmae"
    with pytest.raises(AttributeError, match="did you mean 'content_bytes'"):
        fa.contentBytes = "aGk="  # a JSON name: the attribute is named
    assert "nmae" not in fa.to_json() and fa.to_json()["name"] == "a"
    fa.name = "b"
    assert fa.to_json()["name"] == "b"


def test_additional_data_holds_dynamic_and_undocumented_properties(pkg: ModuleType) -> None:
    m, _http = pkg.models, pkg._http
    # dynamic properties of an open type: an explicit bag, written back
    thing = m.OpenThing(name="n", additional_data={"color": "red"})
    assert thing.additional_data == {"color": "red"}
    assert thing.to_json() == {"name": "n", "color": "red"}
    thing.additional_data["size"] = 2
    assert _http.dumps(_http.encode(thing)) == b'{"name":"n","color":"red","size":2}'
    with pytest.raises(ValueError, match="'name' is a documented property"):
        m.OpenThing(additional_data={"name": "x"})
    with pytest.raises(TypeError, match="mapping"):
        thing.additional_data = ["color"]
    thing.additional_data = {"shape": "round"}
    assert thing.to_json() == {"name": "n", "shape": "round"}
    # what the server sends beyond the docs is kept, readable and written back
    read = m.Event.model_validate({"subject": "s", "isDraft": False})
    assert read.additional_data == {"isDraft": False}
    assert read.to_json() == {"@odata.type": "#microsoft.graph.event", "subject": "s", "isDraft": False}
    placeholder = m.Mystery.model_validate({"anything": [1]})
    assert placeholder.additional_data == {"anything": [1]} and placeholder.to_json() == {
        "anything": [1]
    }
    # a change inside the bag is a change for PATCH
    loaded = _http.decode_model(
        httpx.Response(200, json={"id": "e1", "isDraft": False}), m.Event
    )
    loaded.additional_data["isDraft"] = True
    assert loaded.changes() == {"isDraft": True}


# -- change tracking --------------------------------------------------------------------------

USER = {
    "@odata.context": "https://graph.test/v1.0/$metadata#users/$entity",
    "id": "u1",
    "displayName": "Ann",
    "createdDateTime": "2021-01-01T10:00:00.1234567Z",
    "address": {"city": "Oslo", "street": "Main 1"},
}


def test_patch_after_get_sends_only_what_changed(pkg: ModuleType) -> None:
    _http = pkg._http
    sent: list[httpx.Request] = []
    replies = [httpx.Response(200, json=USER), httpx.Response(204), httpx.Response(204)]
    with _client(pkg, replies, sent) as graph:
        user = _http.decode_model(graph._send("GET", "/users/u1"), pkg.models.User)
        assert user.changes() == {}  # the @odata.type a User writes by itself is no change
        user.display_name = "Bo"
        graph._send("PATCH", "/users/u1", body=user, has_body=True)
        assert json.loads(sent[-1].content) == {"displayName": "Bo"}
        assert sent[-1].headers["content-type"] == "application/json"
        # the PATCH succeeded: the model is marked loaded, the change is not sent again;
        # a nested change sends that complex value whole (Graph replaces complex values)
        assert user.changes() == {}
        user.address.city = "Bergen"
        graph._send("PATCH", "/users/u1", body=user, has_body=True)
        assert json.loads(sent[-1].content) == {"address": {"city": "Bergen", "street": "Main 1"}}
    # other methods send the whole model; mark_loaded() starts tracking afresh
    assert json.loads(_http.dumps(_http.encode(user)))["id"] == "u1"
    assert user.mark_loaded().changes() == {}


def test_failed_patch_keeps_the_changes_to_send(pkg: ModuleType) -> None:
    sent: list[httpx.Request] = []
    replies = [httpx.Response(412, json={"error": {"code": "PreconditionFailed"}}), httpx.Response(200)]
    user = pkg.models.User(display_name="New")
    with _client(pkg, replies, sent) as graph:
        with pytest.raises(pkg._http.GraphError):
            graph._send("PATCH", "/users/u1", body=user, has_body=True)
        assert user.changes()["displayName"] == "New"
        graph._send("PATCH", "/users/u1", body=user, has_body=True)  # a model built in Python
        assert user.changes() == {}  # marked loaded after the successful PATCH
        user.display_name = "Newer"
        assert user.changes() == {"displayName": "Newer"}
    # other methods do not mark anything
    posted = pkg.models.User(display_name="P")
    with _client(pkg, [httpx.Response(201, json={"id": "9"})], sent) as graph:
        graph._send("POST", "/users", body=posted, has_body=True)
    assert posted.changes()["displayName"] == "P"


def test_copies_and_pickles_keep_loaded_state_and_exact_values(pkg: ModuleType) -> None:
    user = pkg._http.decode_model(httpx.Response(200, json=USER), pkg.models.User)
    for copied in (
        user.model_copy(deep=True),
        user.model_copy(),
        copy.deepcopy(user),
        copy.copy(user),
        pickle.loads(pickle.dumps(user)),
    ):
        assert copied.changes() == {}, copied.changes()
        assert copied.to_json()["createdDateTime"] == "2021-01-01T10:00:00.1234567Z"
        assert copied.to_json() == user.to_json()
        copied.display_name = "Changed"
        assert copied.changes() == {"displayName": "Changed"}
    assert user.changes() == {}  # a deep copy's change is its own
    price = pkg.models.Price.model_validate(pkg._base.loads(PRICE), context=pkg._base.LOADED)
    for copied in (copy.deepcopy(price), pickle.loads(pickle.dumps(price))):
        assert pkg._http.dumps(copied.to_json()).decode() == PRICE and copied.changes() == {}


def test_model_built_from_scratch_sends_what_was_set(pkg: ModuleType) -> None:
    sent: list[httpx.Request] = []
    with _client(pkg, [httpx.Response(204)], sent) as graph:
        graph._send("PATCH", "/users/u1", body=pkg.models.User(display_name="New"), has_body=True)
    assert json.loads(sent[0].content) == {
        "@odata.type": "#microsoft.graph.user",
        "displayName": "New",
    }


def test_collection_items_are_tracked(pkg: ModuleType) -> None:
    response = httpx.Response(200, json={"value": [USER, {**USER, "id": "u2"}]})
    page = pkg._http.decode_collection(response, pkg.models.User)
    page.value[1].display_name = "Cy"
    assert [u.changes() for u in page.value] == [{}, {"displayName": "Cy"}]


# -- exact values -----------------------------------------------------------------------------

PRICE = (
    '{"amount":0.3333333333333333333,"amounts":[1.10,2E+3],"quantity":9007199254740993,'
    '"ratio":1.10,"since":"2021-01-01T10:00:00.1234567+02:00","day":"2021-02-03",'
    '"at":"10:00:00.0000000","span":"PT1H30M"}'
)


def test_decimal_and_exact_values_round_trip(pkg: ModuleType) -> None:
    _http = pkg._http
    sent: list[httpx.Request] = []
    replies = [httpx.Response(200, content=PRICE.encode()), httpx.Response(201)]
    with _client(pkg, replies, sent) as graph:
        price = _http.decode_model(graph._send("GET", "/prices/1"), pkg.models.Price)
        assert price.amount == decimal.Decimal("0.3333333333333333333")
        assert isinstance(price.amount, decimal.Decimal)
        assert price.quantity == 9007199254740993 and price.since.hour == 10
        graph._send("POST", "/prices", body=price, has_body=True)
    assert sent[-1].content.decode() == PRICE  # same digits, same texts, same order
    built = pkg.models.Price(amount=decimal.Decimal("12.50"), ratio=0.1)
    assert _http.dumps(_http.encode(built)) == b'{"amount":12.50,"ratio":0.1}'
    assert pkg.models.Price.model_validate({"amount": 0.1}).amount == decimal.Decimal("0.1")
    with pytest.raises(pydantic.ValidationError):
        pkg.models.Price.model_validate({"amount": "lots"})
    # model_dump_json / model_dump(mode="json") write a Decimal as the nearest float (pydantic
    # writes no other JSON number); to_json() with _http.dumps (what the client sends) is exact
    assert json.loads(price.model_dump_json())["amount"] == 0.3333333333333333
    assert pkg.models.Price.model_validate({"amount": "NaN"}).to_json() == {"amount": "NaN"}
    # any text is sent as valid JSON (non-ASCII escaped, a lone surrogate too)
    assert _http.dumps({"a": "\u00e9\ud800", "b": [True, None, 1]}) == (
        b'{"a":"\\u00e9\\ud800","b":[true,null,1]}'
    )


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [("amount", "1.10", "'1.10'"), ("ratio", "1.10", "'1.10'"), ("amount", True, "True"),
     ("ratio", [1] * 40, "[1, 1, 1")],
)
def test_number_errors_name_the_value(pkg: ModuleType, field: str, value: Any, shown: str) -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        pkg.models.Price(**{field: value})
    message = caught.value.errors()[0]["msg"]
    assert message.startswith(f"Input should be a JSON number, not {shown}"), message
    assert "{" not in message and len(message) < 100


# -- names ------------------------------------------------------------------------------------


def test_documented_names_become_safe_attributes(pkg: ModuleType) -> None:
    odd = pkg.models.OddNames(
        id="1",
        type="t",
        class_="c",
        register_="r",
        mro_="m",
        model_dump_="d",
        json_="j",
        field_1_q=1,
        field_30d_active=2,
        plus="p",
        plus_2="pp",
    )
    assert odd.id == "1" and odd.type == "t"
    assert odd.to_json() == {
        "id": "1",
        "type": "t",
        "class": "c",
        "register": "r",
        "mro": "m",
        "modelDump": "d",
        "json": "j",
        "1Q": 1,
        "30dActive": 2,
        "plus": "p",
        "+plus": "pp",
    }
    again = pkg.models.OddNames.model_validate(odd.to_json())
    assert again.field_30d_active == 2 and again.plus_2 == "pp" and again.to_json() == odd.to_json()
    assert callable(again.model_dump) and again.mro_ == "m"
    values = pkg.models.OddValues
    assert [m.value for m in values] == ["0", "24x7", "north east 2", "+plus", "plus"]
    assert values.VALUE_0 == "0" and values.VALUE_24X7 == "24x7"
    assert values.NORTH_EAST_2 == "north east 2" and values("+plus").name == "PLUS_2"
    assert pkg.models.OddNames.model_validate({"kind": "north east 2"}).to_json() == {
        "kind": "north east 2"
    }


def test_name_collisions_are_renamed_and_reported() -> None:
    result = render(models_api(), "names_pkg")
    codes = [(d.code, d.message) for d in result.diagnostics if d.code == "D601"]
    assert any("`+plus`" in m and "`plus_2`" in m for _, m in codes), codes
    assert any("'+plus'" in m and "PLUS_2" in m for _, m in codes), codes
    again = render(models_api(), "names_pkg")
    assert {p: f.text for p, f in again.files.items()} == {
        p: f.text for p, f in result.files.items()
    }


def test_reserved_names_are_derived_from_pydantic() -> None:
    reserved = model_reserved()
    public = {
        n
        for n in set(dir(pydantic.BaseModel)) | set(dir(type(pydantic.BaseModel)))
        if not n.startswith("_")
    }
    assert public <= reserved and {"register", "mro", "model_dump", "class"} <= reserved
    assert not {"id", "type", "format", "input"} & reserved
    assert AttributeName("id") == "id" and AttributeName("class") == "class_"
    assert AttributeName("1Q") == "field_1_q" and AttributeName("register") == "register_"


def test_graph_model_names_match_the_rendered_base(pkg: ModuleType) -> None:
    model = pkg._base.GraphModel
    added = {n for n in [*dir(model), *model.model_fields] if not n.startswith("_")}
    added -= set(dir(pydantic.BaseModel))
    assert added == set(GRAPH_MODEL_NAMES)


@pytest.mark.parametrize("package", ["models_runtime_pkg", "graph_client"])
def test_import_with_warnings_as_errors(pkg: ModuleType, package: str) -> None:
    """The hand-built package and the seeds' committed one import and build every model."""
    root = Path(pkg.__file__).parent.parent
    if package == "graph_client":
        root = Path(__file__).resolve().parents[2] / "generated"
    code = (
        f"import {package}, {package}.client, {package}.models as m\n"
        "for name in m.__all__:\n"
        "    cls = getattr(m, name)\n"
        "    if hasattr(cls, 'model_validate'): cls.model_validate({})\n"
        "print('ok')\n"
    )
    out = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
