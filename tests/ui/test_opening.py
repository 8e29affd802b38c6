"""Entering a page moves the state's levels: character, chat, or neither."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app.reactive import get
from app.state import Level
from app.ui import Opening, enter, opens_record
from app.ui._opening import opened_id

from ._tab import Tab, open_tab

RUN_IN_BROWSER = True


@pytest.fixture
async def tab() -> AsyncIterator[Tab]:
    async with open_tab(["Ines"]) as t:
        yield t


def test_opens_record_reads_the_id_param() -> None:
    opens = opens_record(Level.CHAT, "chat", param="chat_id")
    assert opens({"chat_id": "c1"}) == Opening(Level.CHAT, "c1", "chat")


async def test_enter_moves_levels(tab: Tab) -> None:
    (ines,) = [c.id for c in await tab.domain.characters.list()]
    assert await enter(tab.state, Opening(Level.CHARACTER, ines, "character"))
    assert get(tab.state.active_character_id) == ines
    assert await enter(tab.state, None)
    assert get(tab.state.active_character_id) is None
    with pytest.raises(LookupError):
        await enter(tab.state, Opening(Level.CHARACTER, "nobody", "character"))
    with pytest.raises(ValueError, match="cannot open"):
        await enter(tab.state, Opening(Level.LISTS, "x", "list"))


async def test_entering_a_chat_opens_its_character_and_a_character_closes_the_chat(
    tab: Tab,
) -> None:
    (ines,) = [c.id for c in await tab.domain.characters.list()]
    chat = await tab.state.create_chat(ines, {"title": "t"})
    assert await enter(tab.state, Opening(Level.CHAT, chat.id, "chat"))
    assert (get(tab.state.active_character_id), get(tab.state.active_chat_id)) == (ines, chat.id)
    assert await enter(tab.state, Opening(Level.CHAT, chat.id, "chat"))  # already open
    assert tab.backend.opened == [("character", ines), ("chat", chat.id)]
    assert await enter(tab.state, Opening(Level.CHARACTER, ines, "character"))
    assert get(tab.state.active_chat_id) is None
    assert tab.backend.opened == [("character", ines), ("chat", chat.id)]  # no reload


def test_opened_id_names_the_store_of_each_level(tab: Tab) -> None:
    assert opened_id(tab.state, Level.CHARACTER) is tab.state.active_character_id
    assert opened_id(tab.state, Level.CHAT) is tab.state.active_chat_id
    with pytest.raises(ValueError, match="cannot open"):
        opened_id(tab.state, Level.GLOBAL)
