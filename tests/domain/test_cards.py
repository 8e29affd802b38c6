"""Character cards in and out: V2 and V3, JSON and PNG, round trips, default picture."""

from __future__ import annotations

import base64
import json
import struct
import zlib

import pytest

from app.domain import Character, LorebookEntry, open_domain
from app.domain.cards import card_json, card_png, card_records, parse_data_url
from app.domain.downloads import Exports
from app.domain.library import Importer, read_file
from app.lore import formats
from tests.domain._files import as_bytes
from tests.domain._files import card_png as png_with
from tests.domain._support import FakeClock, memory_db
from tests.lore._samples import card_v2, card_v3

RUN_IN_BROWSER = True


def without_ours(value):
    """The card without Lorekeeper's own bookkeeping (`extensions.lorekeeper`)."""
    if isinstance(value, dict):
        return {k: without_ours(v) for k, v in value.items() if k != "lorekeeper"}
    if isinstance(value, list):
        return [without_ours(v) for v in value]
    return value


def as_models(records) -> tuple[Character, list[LorebookEntry]]:
    return (
        Character.model_validate(records.character),
        [LorebookEntry.model_validate(e) for e in records.entries],
    )


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    out, pos = [], 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        out.append((png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return out


def image_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    return [(t, p) for t, p in chunks(png) if t not in (b"tEXt", b"zTXt", b"iTXt")]


@pytest.mark.parametrize(("spec", "make"), [("ccv2", card_v2), ("ccv3", card_v3)])
def test_import_then_export_gives_the_same_card(spec, make):
    original = make()
    records = card_records(formats.load(as_bytes(original)))
    exported = card_json(*as_models(records), spec)
    assert without_ours(exported) == original
    # the card remembers which character it is, and each entry its id and scope
    assert exported["data"]["extensions"]["lorekeeper"] == {"id": records.character["id"]}


@pytest.mark.parametrize("spec", ["ccv2", "ccv3"])
def test_png_round_trip_keeps_the_picture_and_the_card(spec):
    picture = formats.tiny_png(5, 4)
    source = card_v3() if spec == "ccv3" else card_v2()
    data = png_with(source, keyword="ccv3" if spec == "ccv3" else "chara", image=picture)
    records = card_records(formats.load(data, "x.png"), image=data)
    avatar = parse_data_url(records.character["avatar"])
    assert avatar is not None and avatar[0] == "image/png"
    assert formats.read_text_chunks(avatar[1]) == {}, "the avatar is kept without the card"

    exported = card_png(*as_models(records), spec)
    assert image_chunks(exported) == image_chunks(picture)
    texts = formats.read_text_chunks(exported)
    assert sorted(texts) == (["ccv3", "chara"] if spec == "ccv3" else ["chara"])
    again = formats.load(exported, "x.png")
    assert again.format == spec
    assert without_ours(card_json(*as_models(card_records(again)), spec)) == source


def test_a_v3_png_carries_a_v2_chunk_for_older_readers():
    records = card_records(formats.load(as_bytes(card_v3())))
    exported = card_png(*as_models(records), "ccv3")
    v2 = json.loads(base64.b64decode(formats.read_text_chunks(exported)["chara"]))
    assert v2["spec"] == "chara_card_v2" and v2["data"]["name"] == "Seraphina"


def test_a_v2_png_export_drops_a_stale_v3_chunk_of_the_picture():
    stale = png_with(card_v3(), keyword="ccv3")
    character = Character(
        name="Ada", avatar="data:image/png;base64," + base64.b64encode(stale).decode()
    )
    exported = card_png(character, [], "ccv2")
    assert sorted(formats.read_text_chunks(exported)) == ["chara"]
    assert formats.load(exported, "a.png").card["data"]["name"] == "Ada"


def test_without_an_avatar_the_card_gets_a_generated_portrait():
    exported = card_png(Character(name="Ada"), [], "ccv3")
    width, height = struct.unpack(">II", chunks(exported)[0][1][:8])
    assert (width, height) == (400, 600)
    raw = zlib.decompress(b"".join(p for t, p in chunks(exported) if t == b"IDAT"))
    row = 1 + 400 * 3
    assert len(raw) == 600 * row
    middle = raw[300 * row + 1 : 301 * row]  # a row through the head
    colours = {middle[i : i + 3] for i in range(0, len(middle), 3)}
    assert len(colours) == 2, "a figure on a background"
    assert formats.load(exported, "a.png").card["data"]["name"] == "Ada"


def test_a_card_made_in_lorekeeper_has_every_field():
    character = Character(
        name="Ada",
        description="d",
        personality="p",
        scenario="s",
        first_message="hello",
        alternate_greetings=["hi"],
        example_messages="<START>",
        system_prompt="sys",
        post_history_instructions="post",
        creator_notes="notes",
        tags=["t"],
        extensions={"talkativeness": "0.5"},
    )
    entry = LorebookEntry(level="character", scope_id=character.id, name="e", keys=["k"])
    card = card_json(character, [entry], "ccv3")
    data = card["data"]
    assert card["spec"] == "chara_card_v3" and card["spec_version"] == "3.0"
    assert (data["first_mes"], data["mes_example"], data["alternate_greetings"]) == (
        "hello",
        "<START>",
        ["hi"],
    )
    assert data["extensions"]["talkativeness"] == "0.5"
    assert data["character_book"]["entries"][0]["keys"] == ["k"]
    v2 = card_json(character, [], "ccv2")
    assert v2["spec"] == "chara_card_v2" and "character_book" not in v2["data"]


def test_an_embedded_icon_becomes_the_avatar_and_a_remote_one_is_named():
    card = card_v3()
    icon = "data:image/png;base64," + base64.b64encode(formats.tiny_png()).decode()
    card["data"]["assets"] = [{"type": "icon", "uri": icon, "name": "main", "ext": "png"}]
    records = card_records(formats.load(as_bytes(card)))
    assert records.character["avatar"] == icon and not records.warnings
    card["data"]["assets"][0]["uri"] = "https://example.invalid/sera.png"
    records = card_records(formats.load(as_bytes(card)))
    assert records.character["avatar"] is None
    assert "never fetches from other sites" in records.warnings[0]


def test_entries_keep_the_book_order_on_export():
    card = card_v2()
    book = card["data"]["character_book"]
    book["entries"][0]["insertion_order"], book["entries"][1]["insertion_order"] = 900, 1
    records = card_records(formats.load(as_bytes(card)))
    character, entries = as_models(records)
    exported = card_json(character, list(reversed(entries)), "ccv2")
    assert [e["comment"] for e in exported["data"]["character_book"]["entries"]] == [
        "Aria",
        "Forest",
    ]


def test_an_empty_book_stays_a_book():
    card = card_v2()
    card["data"]["character_book"]["entries"] = []
    records = card_records(formats.load(as_bytes(card)))
    assert without_ours(card_json(*as_models(records), "ccv2")) == card


def test_top_level_v1_fields_follow_edits():
    card = card_v2()
    card.update(name="Seraphina", first_mes="You're awake!", create_date="2024-1-1")
    records = card_records(formats.load(as_bytes(card)))
    character, entries = as_models(records)
    character.name = "Sera"
    exported = card_json(character, entries, "ccv2")
    assert exported["name"] == exported["data"]["name"] == "Sera"
    assert exported["create_date"] == "2024-1-1"


async def test_export_then_import_into_a_fresh_library_gives_the_same_character(domain):
    character = await domain.characters.create(
        {"name": "Ada", "description": "An engineer.", "tags": ["math"], "first_message": "Hi"}
    )
    for name in ("engine", "loom"):
        await domain.lorebook.create(
            {"level": "character", "scope_id": character.id, "name": name, "keys": [name]}
        )
    exports = Exports(domain)
    for spec in ("ccv2", "ccv3"):
        for png in (False, True):
            file = await exports.card(character.id, spec, png=png)
            assert file.filename == f"Ada.card-{spec[2:]}.{'png' if png else 'json'}"
            target_db = memory_db()
            target = await open_domain(target_db, clock=FakeClock())
            try:
                importer = Importer(target)
                await importer.run(await importer.describe(file.data, file.filename))
                [copy_] = await target.characters.list()
                assert copy_.id == character.id
                for field in ("name", "description", "tags", "first_message"):
                    assert getattr(copy_, field) == getattr(character, field)
                source_entries = await domain.lorebook.by_level("character", character.id)
                target_entries = await target.lorebook.by_level("character", character.id)
                assert [(e.id, e.name, e.keys) for e in target_entries] == [
                    (e.id, e.name, e.keys) for e in source_entries
                ]
                if png:
                    assert copy_.avatar is not None
            finally:
                target.store.close()
                await target_db.delete()


async def test_reimporting_an_exported_card_follows_the_conflict_policy(domain):
    from app.domain.library import ImportChoice

    character = await domain.characters.create({"name": "Ada"})
    await domain.lorebook.create(
        {"level": "character", "scope_id": character.id, "name": "e", "keys": ["k"]}
    )
    file = await Exports(domain).card(character.id, "ccv3", png=False)
    importer = Importer(domain)
    incoming = await importer.describe(file.data, file.filename)
    assert incoming.existing == {"characters": 1, "lorebook_entries": 1}
    report = await importer.run(incoming, ImportChoice(on_conflict="copy"))
    assert report.copied == {"characters": 1, "lorebook_entries": 1}
    characters = await domain.characters.list()
    assert len(characters) == 2
    fresh = next(c for c in characters if c.id != character.id)
    entries = await domain.lorebook.by_level("character", fresh.id)
    assert [e.name for e in entries] == ["e"], "the copy's entries point at the copy"


def test_a_foreign_card_gets_a_new_character_each_time():
    first = read_file(as_bytes(card_v2()), "a.json").items[0].record["id"]
    second = read_file(as_bytes(card_v2()), "a.json").items[0].record["id"]
    assert first != second
