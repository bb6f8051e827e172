"""The user cache (generator.output.cache) and the plain-data page codec (ircodec): signed,
validated, never code; anything else is a miss."""

from __future__ import annotations

import datetime
import json
import stat
from pathlib import Path

import pytest

from generator.model.build import read_pages
from generator.model.ir import Page, TypeDef
from generator.output.cache import Cache, RunRecord, cache_root
from generator.output.ircodec import Invalid, Unencodable, decode_page, encode_page
from generator.parse.discover import discover

SPECS = Path(__file__).resolve().parents[2] / "specs"


def test_pages_round_trip_as_plain_json_through_the_cache(tmp_path: Path) -> None:
    pages = read_pages(discover([SPECS]), jobs=1)
    cache = Cache(tmp_path, b"k" * 32)
    for page in pages:
        cache.write_json("page.json", encode_page(page))
        back = decode_page(cache.read_json("page.json"))
        assert back == page
        # dict order too (== ignores it): example bodies and front matter keep their key order
        assert json.dumps(encode_page(back)) == json.dumps(encode_page(page))
    assert any(p.operations and p.operations[0].examples for p in pages)


def test_values_json_cannot_keep_exactly_are_not_encoded() -> None:
    for odd in ({"ms.date": datetime.date(2024, 1, 1)}, {"k": (1, 2)}, {1: "x"}, {"f": float("nan")}):
        with pytest.raises(Unencodable):
            encode_page(Page("a.md", front_matter=odd))


def test_anything_but_the_ir_shapes_is_invalid() -> None:
    good = encode_page(Page("a.md", types=[TypeDef("user", "entity")]))
    assert decode_page(good).types[0].name == "user"
    fields = {name: i for i, name in enumerate(Page.__dataclass_fields__)}

    def with_(name: str, value: object) -> list[object]:
        changed = list(good)
        changed[fields[name]] = value
        return changed

    user = good[fields["types"]][0]
    source = list(TypeDef.__dataclass_fields__).index("source")
    bad = [
        None,
        {"path": "a.md"},
        good[:-1],  # a field short
        [*good, None],  # one too many
        with_("path", 1),
        with_("front_matter", [1]),
        with_("front_matter", {"x": {"nested": float("inf")}}),
        with_("types", [["user"]]),
        with_("types", [[user[0], "gadget", *user[2:]]]),  # not a TypeKind
        with_("types", [[*user[:source], ["a.md", "1"], *user[source + 1 :]]]),  # line not an int
        with_("diagnostics", [["a.md", 1, 1, "D101", "m", "NOPE"]]),
        with_("diagnostics", [["a.md", True, 1, "D101", "m", "WARNING"]]),
    ]
    for data in bad:
        with pytest.raises(Invalid):
            decode_page(data)


def test_records_are_signed_for_their_name_and_key(tmp_path: Path) -> None:
    cache = Cache(tmp_path, b"k" * 32)
    record = RunRecord({"a.py": "0" * 64}, [], 1)
    cache.save_run("one", record)
    assert cache.load_run("one") == record
    (tmp_path / "runs/one.json").rename(tmp_path / "runs/two.json")  # copied to another name
    assert cache.load_run("two") is None
    (tmp_path / "runs/two.json").rename(tmp_path / "runs/one.json")
    assert Cache(tmp_path, b"x" * 32).load_run("one") is None  # another machine's key
    data = (tmp_path / "runs/one.json").read_bytes()
    (tmp_path / "runs/one.json").write_bytes(data.replace(b'"pages":1', b'"pages":2'))
    assert cache.load_run("one") is None  # edited payload
    cache.write_json("runs/three.json", {"files": [], "diagnostics": [], "pages": 1})
    assert cache.load_run("three") is None  # signed, but not a record's shape
    assert Cache(None).load_run("one") is None and not Cache(None).enabled


def test_the_cache_folder_and_key_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("DOC2CODE_CACHE", raising=False)
    base = cache_root()
    assert base == tmp_path / "xdg" / "doc2code"
    cache = Cache.open(tmp_path / "proj", tmp_path / "proj" / "out")
    assert cache.enabled and cache.folder is not None and cache.folder.is_relative_to(base)
    for path in (base, base / "projects", cache.folder):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700
    assert stat.S_IMODE((base / "key").stat().st_mode) == 0o600
    key = (base / "key").read_bytes()
    assert Cache.open(tmp_path / "proj", tmp_path / "proj" / "out").enabled
    assert (base / "key").read_bytes() == key  # made once
    monkeypatch.setenv("DOC2CODE_CACHE", "off")
    assert not Cache.open(tmp_path / "proj", tmp_path / "proj" / "out").enabled
    assert not Cache.open(tmp_path / "proj", tmp_path / "proj" / "out", enabled=False).enabled


def test_pages_read_back_from_the_cache_render_with_the_same_memo_keys(tmp_path: Path) -> None:
    """Equal values, however they share objects, give equal render keys: else every run after
    a cold one would render everything again."""
    from generator.render import render
    from generator.render.memo import RenderMemo
    from generator.resolve.resolve import resolve

    fresh = read_pages(discover([SPECS]), jobs=1)
    cache = Cache(tmp_path, b"k" * 32)
    cache.write_json("pages.json", [encode_page(p) for p in fresh])
    cached = [decode_page(data) for data in cache.read_json("pages.json")]
    keys = []
    for pages in (fresh, cached):
        memo = RenderMemo("salt")
        render(resolve(pages), "demo_client", None, memo)
        keys.append({path: key for path, (key, _) in memo.current.items()})
    assert keys[0] == keys[1] and len(keys[0]) > 20


def test_large_maps_are_kept_in_shards_and_only_changed_shards_are_written(tmp_path: Path) -> None:
    from generator.output.cache import SHARDS, shard_of

    entries = {f"pkg/m{i}.py": [f"key{i}", f"text {i}\n"] for i in range(200)}
    cache = Cache(tmp_path, b"k" * 32)
    cache.save_shards("rendered", entries)
    files = sorted((tmp_path / "rendered").iterdir())
    assert 1 < len(files) <= SHARDS  # spread over shards, each a signed record of its own
    again = Cache(tmp_path, b"k" * 32)
    assert again.load_shards("rendered", lambda v: isinstance(v, list)) == entries
    inodes = {f.name: f.stat().st_ino for f in files}
    changed = {**entries, "pkg/m7.py": ["other", "new text\n"]}
    again.save_shards("rendered", changed)  # one entry changed: its shard alone is replaced
    rewritten = {f.name for f in files if f.stat().st_ino != inodes[f.name]}
    assert rewritten == {f"{shard_of('pkg/m7.py'):02x}.json"}
    # a shard that does not verify is a miss for its keys only
    victim = tmp_path / "rendered" / f"{shard_of('pkg/m7.py'):02x}.json"
    victim.write_bytes(victim.read_bytes().replace(b"new text", b"bad text"))
    loaded = Cache(tmp_path, b"k" * 32).load_shards("rendered", lambda v: isinstance(v, list))
    lost = {k for k in changed if shard_of(k) == shard_of("pkg/m7.py")}
    assert "pkg/m7.py" in lost and loaded == {k: v for k, v in changed.items() if k not in lost}
    # another key signs nothing: a shard copied under another name does not verify either
    assert Cache(tmp_path, b"x" * 32).load_shards("rendered", lambda v: True) == {}
