"""The Characters screen's files: "Import character card" and the sample library offer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.lore import formats
from app.reactive import get
from tests._wait import eventually
from tests.domain._files import SAMPLES, as_bytes, world_info

from .._files import choose_file, make_file
from .._tab import Tab, open_tab

RUN_IN_BROWSER = True


@pytest.fixture
async def tab() -> AsyncIterator[Tab]:
    async with open_tab(["Ada"]) as t:
        yield t


def card_input(t: Tab) -> Any:
    (node,) = t.harness.query("input[id=card-file]")
    return node


def said(t: Tab) -> str:
    (node,) = t.harness.query("p.import-said")
    return t.harness.text(node)


def alert(t: Tab) -> str:
    (node,) = t.harness.query("div.card-import [role=alert]")
    return t.harness.text(node) if t.harness.attr(node, "hidden") is None else ""


async def choose(t: Tab, name: str, data: bytes) -> None:
    choose_file(t.harness, card_input(t), make_file(name, data))
    await t.dom.settle()


def listed(t: Tab) -> list[str]:
    return [t.harness.text(a) for a in t.harness.query("ul.character-list a")]


async def test_the_input_is_labelled_and_accepts_cards(tab: Tab) -> None:
    (label,) = tab.harness.query("label[for=card-file]")
    assert tab.harness.text(label) == "Import character card"
    assert tab.harness.attr(card_input(tab), "accept") == ".png,.json,image/png,application/json"


async def test_a_card_png_imports_at_once_with_its_lorebook(tab: Tab) -> None:
    data, filename, *_ = SAMPLES["ccv2_png"]
    await choose(tab, filename, data)
    await eventually(lambda: "Seraphina" in listed(tab), "the new character in the list")
    assert said(tab) == (
        "Seraphina: Imported 1 character and 2 lorebook entries. The book's own settings "
        "(scan depth 50, token budget 500, recursive scanning off) are kept with it but not "
        "applied: Lorekeeper matches with the settings of the chat or story."
    )
    seraphina = next(c for c in await tab.domain.characters.list() if c.name == "Seraphina")
    assert len(await tab.domain.lorebook.by_level("character", seraphina.id)) == 2
    assert seraphina.avatar and seraphina.avatar.startswith("data:image/png;base64,")


async def test_the_same_card_twice_gives_two_characters(tab: Tab) -> None:
    data = as_bytes(await _exported_card(tab))
    await choose(tab, "ada.json", data)
    await eventually(lambda: listed(tab).count("Ada") == 2, "a copy of Ada")
    assert "came in as copies" in said(tab)


async def _exported_card(t: Tab) -> dict[str, Any]:
    import json

    [ada] = await t.domain.characters.list()
    await t.domain.lorebook.create({"level": "character", "scope_id": ada.id, "keys": ["x"]})
    return json.loads((await t.state.files.exports.card(ada.id, "ccv3", png=False)).data)


async def test_a_bad_card_says_why_and_writes_nothing(tab: Tab) -> None:
    await choose(tab, "picture.png", formats.tiny_png())
    await eventually(lambda: alert(tab), "the alert")
    assert alert(tab).startswith("picture.png was not imported: PNG has no character card")
    assert [c.name for c in await tab.domain.characters.list()] == ["Ada"]
    await choose(tab, "nested.json", b"[" * 100 + b"]" * 100)
    await eventually(lambda: "nested.json" in alert(tab), "the second alert")
    assert "nested deeper than" in alert(tab)


async def test_a_world_info_file_opens_the_import_dialog(tab: Tab) -> None:
    await choose(tab, "eldoria.json", as_bytes(world_info(2)))
    h = tab.harness
    await eventually(lambda: h.query("div.card-import dialog div.import-preview"), "the preview")
    (dialog,) = h.query("div.card-import dialog")
    assert tab.dom.get_prop(dialog, "open")
    assert await tab.domain.lorebook.list() == [], "nothing written before Import"


async def test_an_empty_library_is_offered_the_sample() -> None:
    async with open_tab() as t:
        h = t.harness
        (offer,) = h.query("div.sample-offer")
        assert h.attr(offer, "hidden") is None
        (button,) = [b for b in h.query("button", offer) if h.text(b) == "Add sample library"]
        h.fire(button, "click")
        await t.dom.settle()
        await eventually(lambda: listed(t) == ["Wren Ashdown"], "the sample character")
        assert h.attr(offer, "hidden") is not None
        assert [s.name for s in get(t.state.series)] == ["The Lantern Coast"]


async def test_a_library_with_characters_is_not_offered_the_sample(tab: Tab) -> None:
    (offer,) = tab.harness.query("div.sample-offer")
    assert tab.harness.attr(offer, "hidden") is not None


async def test_several_cards_at_once_each_all_or_nothing(tab: Tab) -> None:
    from tests.lore._samples import card_v2

    other = card_v2()
    other["data"]["name"] = "Kael"
    files = [
        make_file("sera.png", SAMPLES["ccv2_png"][0]),
        make_file("broken.json", b"{nope"),
        make_file("kael.json", as_bytes(other)),
    ]
    choose_file(tab.harness, card_input(tab), *files)
    await tab.dom.settle()
    await eventually(lambda: "Kael" in listed(tab), "the second card's character")
    assert sorted(listed(tab)) == ["Ada", "Kael", "Seraphina"]
    assert said(tab).startswith("Seraphina: Imported") and "Kael: Imported" in said(tab)
    assert alert(tab).startswith("broken.json was not imported: malformed JSON")
