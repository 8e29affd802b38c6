"""Import / export of character cards, lorebooks, SillyTavern, NovelAI and Agnai files."""

from __future__ import annotations

import base64
import json
import struct
import zlib

import pytest

from app.lore import Matcher, MatchOptions, formats
from app.lore.formats import FormatError
from app.lore.formats import _st as st
from tests.lore import _samples

RUN_IN_BROWSER = True


def as_bytes(obj):
    return json.dumps(obj).encode()


def strip_ours(obj):
    """Drop `extensions.lorekeeper` (our scope metadata) and then-empty entry extensions."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k == "extensions" and isinstance(v, dict):
                v = {kk: vv for kk, vv in v.items() if kk != "lorekeeper"}
                if not v and "content" in obj:
                    continue
            out[k] = strip_ours(v)
        return out
    if isinstance(obj, list):
        return [strip_ours(v) for v in obj]
    return obj


def png_with(texts):
    return formats.write_text_chunks(formats.tiny_png(), texts)


def b64(obj):
    return base64.b64encode(json.dumps(obj).encode()).decode()


# -- SillyTavern -----------------------------------------------------------------------


def test_st_world_info_fields():
    book = formats.load(as_bytes(_samples.st_world()), "world.json")
    assert book.format == "st"
    eldoria, swords, moon = book.entries
    assert eldoria.name == "Eldoria"
    assert eldoria.keys == ["Eldoria", "the old kingdom"]
    assert eldoria.secondary_keys == ["war"]
    assert eldoria.position == "before_char"
    assert eldoria.depth == 4
    assert swords.selective_logic == "and_all"
    assert swords.position == "at_depth"
    assert swords.probability == 40
    assert swords.case_sensitive is True
    assert swords.match_whole_words is False
    assert swords.scan_depth == 5
    assert swords.delay_until_recursion == 2  # a recursion level
    assert swords.prevent_recursion is True
    assert (swords.group, swords.sticky) == ("weapons", 3)
    assert swords.character_filter_names == ["Bob"] and swords.character_filter_exclude
    assert moon.constant is True and moon.enabled is False
    assert moon.position == "outlet" and moon.outlet_name == "sky"
    assert moon.insertion_order == 5
    assert (moon.probability, moon.use_probability) == (10, False)  # never rolled
    # selective false: the secondary keys are kept, and ignored by the scan
    assert (moon.selective, moon.secondary_keys) == (False, ["ignored"])


def test_st_round_trip_is_verbatim():
    original = _samples.st_world()
    book = formats.load(as_bytes(original))
    again = json.loads(formats.dump(book, "st"))
    assert strip_ours(again) == strip_ours(original)


def _strict(obj):
    """JSON text that tells 0 from false and 1.0 from 1 (``==`` does not)."""
    return json.dumps(strip_ours(obj), sort_keys=True)


def _bookkeeping(entry):
    return entry.extensions["lorekeeper"]["import"]


def test_st_bookkeeping_is_compact_for_entries_as_sillytavern_writes_them():
    """An entry spelled as SillyTavern writes it keeps only what its values do not say:
    the uid, a flag written as false where we hold a level, and the template's name in
    place of ~40 field names."""
    entry = formats.load(as_bytes({"entries": {"0": _samples.st_entry(0)}})).entries[0]
    info = _bookkeeping(entry)
    assert info["present"] == ["@st-entry"]
    assert info["kept"] == {"uid": 0, "delayUntilRecursion": False}
    world = {"entries": {"0": _samples.st_entry(0, extensions={"x": 1})}}
    assert _bookkeeping(formats.load(as_bytes(world)).entries[0])["present"] == [
        "@st-entry",
        "extensions",
    ]


ODD_SPELLINGS = {
    "constant": 0,
    "order": 100.0,
    "probability": 100.0,
    "excludeRecursion": 0,
    "scanDepth": None,
    "triggers": [],
    "characterFilter": {"names": [], "isExclude": 0, "tags": []},
}


@pytest.mark.parametrize("field", sorted(ODD_SPELLINGS))
def test_st_spelling_is_kept_exactly(field):
    """Every value is written back as the file spelled it, type and all; what is spelled
    as we would write it is not stored twice."""
    raw = _samples.st_entry(3, **{field: ODD_SPELLINGS[field]})
    world = {"entries": {"3": raw}}
    book = formats.load(as_bytes(world))
    assert _strict(json.loads(formats.dump(book, "st"))) == _strict(world)
    kept = _bookkeeping(book.entries[0])["kept"]
    canonical = field in ("scanDepth", "triggers")
    assert (field in kept) is not canonical


def test_st_edited_fields_are_written_with_their_new_values():
    world = {"entries": {"0": _samples.st_entry(0, constant=0, order=100.0)}}
    entry = formats.load(as_bytes(world)).entries[0]
    entry.constant = True
    entry.insertion_order = 7
    entry.probability = 50
    entry.character_filter_names = ["Ann"]
    out = json.loads(formats.dump(formats.LoreBook(entries=[entry], format="st"), "st"))
    written = out["entries"]["0"]
    assert (written["constant"], written["order"], written["probability"]) == (True, 7, 50)
    assert written["characterFilter"] == {"isExclude": False, "names": ["Ann"], "tags": []}
    assert written["sticky"] == 0 and written["scanDepth"] is None  # the rest as it was


def test_st_entries_stored_with_full_bookkeeping_export_the_same():
    """Records written before the bookkeeping was compact (every raw value kept, every
    field present named) export exactly as new ones do."""
    world = _samples.st_world()
    book = formats.load(as_bytes(world))
    for entry, raw in zip(book.entries, world["entries"].values(), strict=True):
        info = _bookkeeping(entry)
        info["present"] = sorted(k for k in raw if k in st.MODELLED)
        names = [f.name for f in st.FIELDS + st.RECURSION]
        names += [f.attr for f in st.RECURSION] + ["characterFilter"]
        full = {name: raw[name] for name in names if name in raw}
        info["kept"] = {**full, **info["kept"]}
    assert _strict(json.loads(formats.dump(book, "st"))) == _strict(world)


def test_st_recursion_snake_case_spelling():
    world = {"entries": {"0": _samples.st_entry(0, exclude_recursion=True, prevent_recursion=True)}}
    del world["entries"]["0"]["excludeRecursion"]
    del world["entries"]["0"]["preventRecursion"]
    entry = formats.load(as_bytes(world)).entries[0]
    assert entry.exclude_recursion is True
    assert entry.prevent_recursion is True
    again = json.loads(formats.dump(formats.load(as_bytes(world)), "st"))
    assert strip_ours(again) == strip_ours(world)


def test_st_selective_logic_in_extensions():
    world = {"entries": {"0": _samples.st_entry(0, extensions={"selectiveLogic": 1})}}
    del world["entries"]["0"]["selectiveLogic"]
    assert formats.load(as_bytes(world)).entries[0].selective_logic == "not_all"


def test_st_imported_entries_match():
    book = formats.load(as_bytes(_samples.st_world()))
    m = Matcher(book.entries, MatchOptions(recursive=False, seed=1))
    assert [e.name for e in m.scan("The old kingdom went to war.").entries] == ["Eldoria"]
    # regex key honoured (case-insensitive flag), secondary AND ALL
    result = m.scan("Aria and Bren found the SWORD OF DAWN", seed=3)
    assert result.item(book.entries[1].id) is not None


# -- character cards -------------------------------------------------------------------


def test_card_v2_json():
    book = formats.load(as_bytes(_samples.card_v2()), "sera.json")
    assert book.format == "ccv2"
    assert book.name == "Seraphina's lore"
    assert book.card["data"]["name"] == "Seraphina"
    assert "character_book" not in book.card["data"]
    aria, forest = book.entries
    assert aria.selective_logic == "not_any"  # from extensions.selectiveLogic
    assert aria.keys == ["Aria"]
    assert forest.name == "The forest"
    assert forest.constant and forest.priority == 10 and forest.case_sensitive is True
    assert forest.position == "after_char"  # extensions.position (1) is more specific


def test_blanket_use_regex_is_not_trusted():
    # SillyTavern writes use_regex: true on every entry; "Aria" stays a literal word key
    book = formats.load(as_bytes(_samples.card_v2()))
    m = Matcher(book.entries, MatchOptions(recursive=False))
    assert [e.name for e in m.scan("Ariana arrived").entries] == ["The forest"]  # constant
    assert [e.name for e in m.scan("Aria arrived").entries] == ["The forest", "Aria"]


@pytest.mark.parametrize(
    ("sample", "fmt"), [(_samples.card_v2, "ccv2"), (_samples.card_v3, "ccv3")]
)
def test_card_round_trip_is_verbatim(sample, fmt):
    original = sample()
    book = formats.load(as_bytes(original))
    again = json.loads(formats.dump(book, fmt))
    assert strip_ours(again) == strip_ours(original)


def test_card_v3_fields():
    book = formats.load(as_bytes(_samples.card_v3()))
    assert book.format == "ccv3"
    assert book.card["data"]["nickname"] == "Sera"
    dawn = book.entries[2]
    assert dawn.keys == ["/\\bdawn(?:blade)?\\b/i"]
    m = Matcher(book.entries, MatchOptions(recursive=False))
    assert dawn in m.scan("The DAWNBLADE shone").entries
    assert dawn not in m.scan("The dawnblades shone").entries


def test_lorebook_v3_round_trip():
    original = _samples.lorebook_v3()
    book = formats.load(as_bytes(original))
    assert book.format == "lorebook_v3"
    assert len(book.entries) == 3
    assert strip_ours(json.loads(formats.dump(book, "lorebook_v3"))) == strip_ours(original)


def test_bare_character_book():
    raw = _samples.card_v2()["data"]["character_book"]
    book = formats.load(as_bytes(raw))
    assert [e.name for e in book.entries] == ["Aria", "The forest"]


def test_cross_format_conversion_keeps_semantics():
    book = formats.load(as_bytes(_samples.st_world()))
    for fmt in formats.DUMP_FORMATS:
        again = formats.load(formats.dump(book, fmt))
        for a, b in zip(book.entries, again.entries, strict=True):
            for field in (
                "keys",
                "secondary_keys",
                "selective_logic",
                "content",
                "name",
                "enabled",
                "constant",
                "case_sensitive",
                "match_whole_words",
                "probability",
                "insertion_order",
                "position",
                "depth",
                "scan_depth",
                "exclude_recursion",
                "prevent_recursion",
                "delay_until_recursion",
            ):
                if fmt in ("ccv2", "ccv3", "lorebook_v3") and field == "position":
                    continue
                assert getattr(a, field) == getattr(b, field), (fmt, field)


def test_scope_metadata_round_trips():
    book = formats.load(as_bytes(_samples.card_v2()))
    entry = book.entries[0]
    entry.level, entry.scope_id, entry.category, entry.tags = "series", "s-9", "character", ["kin"]
    for fmt in formats.DUMP_FORMATS:
        dumped = json.loads(formats.dump(book, fmt))
        again = formats.load(json.dumps(dumped).encode()).entries[0]
        assert (again.level, again.scope_id, again.category, again.tags, again.id) == (
            "series",
            "s-9",
            "character",
            ["kin"],
            entry.id,
        )


def test_new_book_exports():
    book = formats.LoreBook(name="Mine")
    from app.lore import LoreEntry

    book.entries.append(
        LoreEntry(
            name="A", keys=["a"], content="x", secondary_keys=["b"], selective_logic="not_all"
        )
    )
    for fmt in formats.DUMP_FORMATS:
        again = formats.load(formats.dump(book, fmt))
        assert again.entries[0].keys == ["a"]
        assert again.entries[0].selective_logic == "not_all"
    card = json.loads(formats.dump(book, "ccv3"))
    assert card["spec"] == "chara_card_v3" and card["data"]["name"] == "Mine"
    assert card["data"]["character_book"]["entries"][0]["use_regex"] is False


# -- PNG -------------------------------------------------------------------------------


def test_png_chara_chunk():
    png = png_with({"chara": b64(_samples.card_v2())})
    book = formats.load(png, "sera.png")
    assert book.format == "ccv2" and len(book.entries) == 2


def test_png_prefers_ccv3_chunk():
    png = png_with({"chara": b64(_samples.card_v2()), "ccv3": b64(_samples.card_v3())})
    assert formats.load(png).format == "ccv3"


def test_png_dump_and_load():
    book = formats.load(as_bytes(_samples.card_v3()))
    png = formats.dump(book, "ccv3", png=formats.tiny_png(2, 2))
    chunks = formats.read_text_chunks(png)
    assert set(chunks) == {"chara", "ccv3"}
    again = formats.load(png)
    assert again.format == "ccv3"
    assert [e.keys for e in again.entries] == [e.keys for e in book.entries]
    v2 = json.loads(base64.b64decode(chunks["chara"]))
    assert v2["spec"] == "chara_card_v2"


def test_png_itxt_and_ztxt_chunks_are_read():
    def chunk(ctype, payload):
        return (
            struct.pack(">I", len(payload))
            + ctype
            + payload
            + struct.pack(">I", zlib.crc32(ctype + payload))
        )

    base = formats.tiny_png()
    iend = base.rindex(b"IEND") - 4
    payload = b64(_samples.card_v2()).encode()
    ztxt = chunk(b"zTXt", b"chara\x00\x00" + zlib.compress(payload))
    png = base[:iend] + ztxt + base[iend:]
    assert formats.load(png).format == "ccv2"
    itxt = chunk(b"iTXt", b"chara\x00\x00\x00\x00\x00" + payload)
    assert formats.load(base[:iend] + itxt + base[iend:]).format == "ccv2"


def test_png_naidata_chunk():
    png = png_with({"naidata": b64(_samples.novelai_book())})
    assert formats.load(png).format == "novelai"


# -- NovelAI / Agnai -------------------------------------------------------------------


def test_novelai_lorebook():
    book = formats.load(as_bytes(_samples.novelai_book()))
    kael, world = book.entries
    assert kael.name == "Kael" and kael.content == "Kael is a wandering mage."
    assert kael.category == "Characters"
    assert kael.priority == 400
    assert world.constant is True  # forceActivation is kept (SillyTavern drops it)
    fields = kael.extensions["lorekeeper"]["import"]["fields"]
    assert fields["searchRange"] == 1000 and fields["contextConfig"]["suffix"] == "\n"
    m = Matcher(book.entries, MatchOptions(recursive=False))
    assert sorted(e.name for e in m.scan("a wanderer came").entries) == ["Kael", "World"]


def test_agnai_memory_book():
    book = formats.load(as_bytes(_samples.agnai_book()))
    grom, ale = book.entries
    assert grom.priority == 10 and grom.insertion_order == 5
    assert ale.enabled is False
    m = Matcher(book.entries, MatchOptions(recursive=False))
    assert m.scan("the bartender nods").entries == [grom]
    assert m.scan("Grom nods").entries == [grom]


# -- hostile and malformed files -------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "malformed JSON"),
        (b"{not json", "malformed JSON"),
        (b"[1, 2]", "top level"),
        (b'{"hello": 1}', "not a recognised"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 5000 + b"]" * 5000, "nested deeper"),
        (b'{"a": NaN}', "NaN"),
        (b'{"spec": "chara_card_v9"}', "unsupported spec"),
        (b'{"type": "risu", "ver": 1}', "RisuAI"),
        (b'{"name": "x", "first_mes": "y"}', "V1"),
        (
            json.dumps({"entries": {"0": {"key": "a", "content": 5}}}).encode(),
            "content: expected a string",
        ),
        (
            json.dumps({"entries": {"0": {"key": [1], "content": ""}}}).encode(),
            r"\$\.entries\['0'\]\.key\[0\]: expected a string, got the number 1",
        ),
        (json.dumps({"entries": {"0": {"key": [], "position": 99}}}).encode(), "position"),
        (
            json.dumps({"entries": {"0": {"key": [], "selectiveLogic": "x"}}}).encode(),
            "selectiveLogic",
        ),
        (json.dumps({"entries": {"0": {"key": [], "probability": 500}}}).encode(), "0-100"),
        (
            json.dumps({"entries": {"0": {"key": [], "order": {}}}}).encode(),
            "order: expected a number",
        ),
        (
            json.dumps({"spec": "chara_card_v2", "data": {"name": 3}}).encode(),
            "name: expected a string",
        ),
        (
            json.dumps(
                {"spec": "chara_card_v2", "data": {"character_book": {"entries": {}}}}
            ).encode(),
            "expected a list",
        ),
        (
            json.dumps({"spec": "lorebook_v3", "data": {"entries": [{"keys": ["a"]}]}}).encode(),
            "content: required",
        ),
        (
            json.dumps({"kind": "memory", "entries": [{"keywords": "a", "entry": 1}]}).encode(),
            "entry: expected a string",
        ),
        (
            json.dumps(
                {"entries": {"0": {"key": [], "extensions": {"lorekeeper": {"level": "galaxy"}}}}}
            ).encode(),
            "unknown level",
        ),
    ],
)
def test_malformed_json_is_rejected(data, message):
    with pytest.raises(FormatError, match=message):
        formats.load(data)


def test_bad_png_signature():
    with pytest.raises(FormatError, match="signature"):
        formats.load(b"GIF89a....", "x.png")


def test_truncated_png():
    png = png_with({"chara": b64(_samples.card_v2())})
    with pytest.raises(FormatError, match="truncated"):
        formats.load(png[:-20])


def test_png_crc_mismatch():
    png = bytearray(png_with({"chara": b64(_samples.card_v2())}))
    pos = png.index(b"tEXt") + 10
    png[pos] ^= 0xFF
    with pytest.raises(FormatError, match="CRC"):
        formats.load(bytes(png))


def test_png_without_card():
    with pytest.raises(FormatError, match="no character card"):
        formats.load(formats.tiny_png())


def test_png_bad_base64():
    with pytest.raises(FormatError, match="base64"):
        formats.load(png_with({"chara": "!!!not base64!!!"}))


def test_png_decompression_bomb():
    def chunk(ctype, payload):
        return (
            struct.pack(">I", len(payload))
            + ctype
            + payload
            + struct.pack(">I", zlib.crc32(ctype + payload))
        )

    base = formats.tiny_png()
    iend = base.rindex(b"IEND") - 4
    bomb = zlib.compress(b"A" * (40 * 1024 * 1024), 9)
    png = base[:iend] + chunk(b"zTXt", b"chara\x00\x00" + bomb) + base[iend:]
    with pytest.raises(FormatError, match="size limit"):
        formats.load(png)


def test_chunk_with_wrong_payload_kind():
    with pytest.raises(FormatError, match="character card"):
        formats.load(png_with({"chara": b64(_samples.agnai_book())}))


def test_not_bytes():
    with pytest.raises(FormatError, match="expected bytes"):
        formats.load("text")  # type: ignore[arg-type]


def test_unknown_dump_format():
    with pytest.raises(ValueError, match="unknown export format"):
        formats.dump(formats.LoreBook(), "yaml")


@pytest.mark.parametrize(
    "sample",
    [
        _samples.st_world,
        _samples.card_v2,
        _samples.card_v3,
        _samples.lorebook_v3,
        _samples.novelai_book,
        _samples.agnai_book,
    ],
)
def test_imported_entries_are_valid_domain_entries(sample):
    from app.domain import LorebookEntry

    book = formats.load(as_bytes(sample()))
    for e in book.entries:
        model = LorebookEntry.parse(e.to_record())
        assert model.extensions == e.extensions
        assert model.keys == e.keys


def test_v3_decorators_are_applied_and_kept():
    card = _samples.card_v3()
    card["data"]["character_book"]["entries"].append(
        {
            "keys": ["moon"],
            "content": "@@activate\n@@scan_depth 7\n@@additional_keys night, sky\n@@@dont_activate\nThe moon.",
            "extensions": {},
            "enabled": True,
            "insertion_order": 1,
            "use_regex": False,
        }
    )
    book = formats.load(as_bytes(card))
    dawn, moon = book.entries[2], book.entries[3]
    assert dawn.content == "Dawnblade glows at sunrise."
    assert (dawn.depth, dawn.position) == (2, "at_depth")
    assert moon.content == "The moon."
    assert moon.constant and moon.scan_depth == 7 and moon.enabled
    assert moon.secondary_keys == ["night", "sky"]
    # V3 export puts the decorators back verbatim
    assert strip_ours(json.loads(formats.dump(book, "ccv3"))) == strip_ours(card)
    # V2 backfill strips them and carries their meaning in fields
    v2 = json.loads(formats.dump(book, "ccv2"))["data"]["character_book"]["entries"]
    assert v2[2]["content"] == "Dawnblade glows at sunrise."
    assert v2[2]["extensions"]["depth"] == 2 and v2[2]["extensions"]["position"] == 4
    assert v2[3]["constant"] is True and v2[3]["secondary_keys"] == ["night", "sky"]
    again = formats.load(json.dumps(json.loads(formats.dump(book, "ccv2"))).encode())
    assert (again.entries[2].depth, again.entries[2].position) == (2, "at_depth")


def test_edited_decorated_entry_drops_stale_decorators():
    book = formats.load(as_bytes(_samples.card_v3()))
    book.entries[2].depth = 9
    out = json.loads(formats.dump(book, "ccv3"))["data"]["character_book"]["entries"][2]
    assert out["content"] == "Dawnblade glows at sunrise."
    assert out["extensions"]["depth"] == 9


@pytest.mark.parametrize("sample", [_samples.novelai_book, _samples.agnai_book, _samples.card_v3])
@pytest.mark.parametrize("fmt", formats.DUMP_FORMATS)
def test_every_source_exports_to_every_format(sample, fmt):
    book = formats.load(as_bytes(sample()))
    again = formats.load(formats.dump(book, fmt))
    assert [(e.name, e.keys, e.content, e.constant, e.enabled) for e in again.entries] == [
        (e.name, e.keys, e.content, e.constant, e.enabled) for e in book.entries
    ]


def test_top_level_selective_logic_round_trips():
    card = _samples.card_v2()
    entry = card["data"]["character_book"]["entries"][0]
    del entry["extensions"]["selectiveLogic"]
    entry["selectiveLogic"] = 3
    book = formats.load(as_bytes(card))
    assert book.entries[0].selective_logic == "and_all"
    assert strip_ours(json.loads(formats.dump(book, "ccv2"))) == strip_ours(card)


def test_use_regex_follows_added_regex_key():
    book = formats.load(as_bytes(_samples.card_v3()))
    book.entries[0].keys = ["/ari(a|el)/i"]
    out = json.loads(formats.dump(book, "ccv3"))["data"]["character_book"]["entries"][0]
    assert out["use_regex"] is True


@pytest.mark.parametrize("fmt", formats.DUMP_FORMATS)
def test_domain_entries_export(fmt):
    from app.domain import LorebookEntry

    book = formats.load(as_bytes(_samples.card_v3()))
    original = json.loads(formats.dump(book, fmt))
    book.entries = [LorebookEntry.parse(e.to_record()) for e in book.entries]
    assert json.loads(formats.dump(book, fmt)) == original


# -- what SillyTavern models -------------------------------------------------------------

MODELLED = {
    "selective": True,
    "use_probability": True,
    "probability": 40,
    "delay_until_recursion": 2,
    "ignore_budget": True,
    "group": "beasts, dragons",
    "group_override": True,
    "group_weight": 30,
    "use_group_scoring": True,
    "sticky": 3,
    "cooldown": 2,
    "delay": 4,
    "character_filter_names": ["Seraphina"],
    "character_filter_tags": ["t1"],
    "character_filter_exclude": True,
    "triggers": ["continue", "swipe"],
    "match_persona_description": True,
    "match_character_description": True,
    "match_character_personality": True,
    "match_character_depth_prompt": True,
    "match_scenario": True,
    "match_creator_notes": True,
    "outlet_name": "sky",
    "position": "outlet",
}


def test_sillytavern_fields_survive_every_format():
    world = {
        "entries": {
            "0": _samples.st_entry(
                0,
                probability=40,
                delayUntilRecursion=2,
                ignoreBudget=True,
                group="beasts, dragons",
                groupOverride=True,
                groupWeight=30,
                useGroupScoring=True,
                sticky=3,
                cooldown=2,
                delay=4,
                characterFilter={"isExclude": True, "names": ["Seraphina"], "tags": ["t1"]},
                triggers=["continue", "swipe"],
                matchPersonaDescription=True,
                matchCharacterDescription=True,
                matchCharacterPersonality=True,
                matchCharacterDepthPrompt=True,
                matchScenario=True,
                matchCreatorNotes=True,
                outletName="sky",
                position=7,
            )
        }
    }
    book = formats.load(as_bytes(world))
    entry = book.entries[0]
    assert {k: getattr(entry, k) for k in MODELLED} == MODELLED
    assert strip_ours(json.loads(formats.dump(book, "st"))) == strip_ours(world)
    for fmt in formats.DUMP_FORMATS:
        again = formats.load(formats.dump(book, fmt)).entries[0]
        assert {k: getattr(again, k) for k in MODELLED} == MODELLED, fmt


def test_card_extensions_carry_sillytavern_fields():
    card = _samples.card_v2()
    entry = card["data"]["character_book"]["entries"][0]
    entry["extensions"].update(
        group="beasts",
        sticky=2,
        match_scenario=True,
        outlet_name="sky",
        ignore_budget=True,
        triggers=["quiet"],
        delay_until_recursion=1,
        probability=None,
    )
    entry["character_filter"] = {"isExclude": False, "names": ["Bob"], "tags": []}
    book = formats.load(as_bytes(card))
    aria = book.entries[0]
    assert (aria.group, aria.sticky, aria.match_scenario, aria.outlet_name) == (
        "beasts",
        2,
        True,
        "sky",
    )
    assert (aria.ignore_budget, aria.triggers, aria.delay_until_recursion) == (True, ["quiet"], 1)
    assert aria.character_filter_names == ["Bob"] and not aria.character_filter_exclude
    assert strip_ours(json.loads(formats.dump(book, "ccv2"))) == strip_ours(card)


def test_probability_null_stays_null():
    card = _samples.card_v2()
    card["data"]["character_book"]["entries"][0]["extensions"]["probability"] = None
    book = formats.load(as_bytes(card))
    assert book.entries[0].probability == 100  # SillyTavern reads null as 100
    out = json.loads(formats.dump(book, "ccv2"))["data"]["character_book"]["entries"][0]
    assert out["extensions"]["probability"] is None
    book.entries[0].probability = 40
    out = json.loads(formats.dump(book, "ccv2"))["data"]["character_book"]["entries"][0]
    assert out["extensions"]["probability"] == 40


def test_selective_false_keeps_its_secondary_keys_inactive():
    card = _samples.card_v2()
    card["data"]["character_book"]["entries"][0]["selective"] = False
    book = formats.load(as_bytes(card))
    aria = book.entries[0]
    assert (aria.selective, aria.secondary_keys) == (False, ["sister"])
    m = Matcher(book.entries, MatchOptions(recursive=False))
    assert aria in m.scan("Aria arrived").entries  # the secondary key is not needed
    assert strip_ours(json.loads(formats.dump(book, "ccv2"))) == strip_ours(card)


def test_novelai_budget_priority_becomes_sillytavern_order():
    book = formats.load(as_bytes(_samples.novelai_book()))
    st = json.loads(formats.dump(book, "st"))
    assert [e["order"] for e in st["entries"].values()] == [400, 800]
    world = formats.load(formats.dump(book, "st"))
    assert [e.insertion_order for e in world.entries] == [400, 800]


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (
            {"entries": {"0": {"key": ["dragon", 2024], "comment": "Dragon", "content": ""}}},
            "$.entries['0'] ('Dragon').key[1]: expected a string, got the number 2024",
        ),
        (
            {
                "entries": {
                    "0": {"key": ["a"], "keysecondary": [True], "comment": "", "content": ""}
                }
            },
            "$.entries['0'].keysecondary[0]: expected a string, got the boolean true",
        ),
        (
            {
                "spec": "chara_card_v2",
                "data": {
                    "character_book": {
                        "entries": [{"keys": [7], "content": "", "name": "Seven", "extensions": {}}]
                    }
                },
            },
            "$.data.character_book.entries[0] ('Seven').keys[0]: expected a string, got the number 7",
        ),
    ],
)
def test_numeric_keys_are_named_in_the_error(data, where):
    with pytest.raises(FormatError) as info:
        formats.load(as_bytes(data))
    assert str(info.value).startswith(where)


def test_sillytavern_world_decorators():
    world = {
        "entries": {
            "0": _samples.st_entry(0, content="@@activate\n@@depth 3\nThe moon is red."),
            "1": _samples.st_entry(1, content="@@dont_activate\nHidden.", constant=True),
        }
    }
    book = formats.load(as_bytes(world))
    moon, hidden = book.entries
    assert moon.content == "The moon is red." and moon.constant
    assert moon.depth == 4  # SillyTavern strips @@depth but does not apply it
    assert not hidden.enabled
    assert strip_ours(json.loads(formats.dump(book, "st"))) == strip_ours(world)
    m = Matcher(book.entries, MatchOptions(recursive=False))
    assert [e.content for e in m.scan("nothing").entries] == ["The moon is red."]


def test_decorator_fallbacks():
    book = formats.load(
        as_bytes(
            {
                "entries": {
                    "0": _samples.st_entry(0, content="@@ignore_on_max_context\n@@@activate\nA"),
                    "1": _samples.st_entry(1, content="@@activate\n@@@dont_activate\nB"),
                }
            }
        )
    )
    first, second = book.entries
    assert first.constant  # the fallback stands in for a decorator SillyTavern does not know
    assert second.constant and second.enabled  # a fallback after a known decorator is unused
