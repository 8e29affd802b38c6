"""SillyTavern's own default content (fixtures/sillytavern, AGPL-3.0, see SOURCE.md):
files SillyTavern wrote load, activate as in SillyTavern and round-trip verbatim.

CPython only: the files are read from disk."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from app.lore import Matcher, MatchOptions, formats
from tests.lore.test_formats import strip_ours

HERE = Path(__file__).parent / "fixtures" / "sillytavern"
#: SillyTavern's defaults: scan depth 2, whole words off (substring keys), no recursion.
ST = MatchOptions(scan_depth=2, match_whole_words=False, recursive=False, seed=1)


def first_keys(result):
    return [e.keys[0] for e in result.entries]


def test_eldoria_world_loads_as_sillytavern_reads_it():
    raw = (HERE / "Eldoria.json").read_bytes()
    book = formats.load(raw, "Eldoria.json")
    assert book.format == "st"
    assert [e.keys[0] for e in book.entries] == ["eldoria", "shadowfang", "glade", "power"]
    for e in book.entries:
        # written by SillyTavern without useProbability: never rolled
        assert e.selective is False and e.use_probability is False
        assert e.position == "before_char" and e.insertion_order == 100
    again = json.loads(formats.dump(book, "st"))
    assert strip_ours(again) == strip_ours(json.loads(raw))


def test_eldoria_activates_as_in_sillytavern():
    book = formats.load((HERE / "Eldoria.json").read_bytes())
    m = Matcher(book.entries, ST)
    # substring keys: "shadowfang" in "Shadowfangs", "wood" in "woods"; equal order, so the
    # prompt lists the later uid first (SillyTavern unshifts each activated entry)
    result = m.scan(["Hello.", "The Shadowfangs prowl the woods."])
    assert first_keys(result) == ["shadowfang", "eldoria"]
    # only the last two messages are scanned
    old = m.scan(["A glade of refuge.", "Hello.", "How are you?"])
    assert old.entries == []


def test_seraphina_card_carries_the_same_book():
    png = (HERE / "default_Seraphina.png").read_bytes()
    card = formats.load(png, "default_Seraphina.png")
    world = formats.load((HERE / "Eldoria.json").read_bytes())
    assert card.format == "ccv2"
    assert card.card["data"]["name"] == "Seraphina"
    assert [(e.keys, e.content) for e in card.entries] == [
        (e.keys, e.content) for e in world.entries
    ]
    m = Matcher(card.entries, ST)
    assert first_keys(m.scan(["Where is the glade?"])) == ["glade"]


def test_seraphina_card_round_trips_into_its_png():
    png = (HERE / "default_Seraphina.png").read_bytes()
    book = formats.load(png)
    out = formats.dump(book, "ccv2", png=png)
    chunks = formats.read_text_chunks(out)
    assert set(chunks) == {"chara"}
    original = json.loads(base64.b64decode(formats.read_text_chunks(png)["chara"]))
    again = json.loads(base64.b64decode(chunks["chara"]))
    assert strip_ours(again) == strip_ours(original)


def test_sillytavern_files_convert_both_ways():
    world = formats.load((HERE / "Eldoria.json").read_bytes())
    card = formats.load(formats.dump(world, "ccv3"))
    back = formats.load(formats.dump(card, "st"))
    fields = ("keys", "content", "selective", "use_probability", "insertion_order", "position")
    for a, b in zip(world.entries, back.entries, strict=True):
        assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields]
