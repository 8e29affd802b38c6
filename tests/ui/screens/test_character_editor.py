"""The character editor through the DOM: every card field, autosave, recovery after a
reload that beat the write, greetings, tags, avatar, the chats list and "New chat"."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.ui import MemoryStorage
from app.ui._autosave import JOURNAL_PREFIX
from app.ui.screens.character import TEXT_FIELDS, split_tags
from tests._wait import eventually

from .._support import IN_BROWSER, same
from .._tab import Tab, open_library_for_test, open_tab
from ._find import alert_text, button_named, labelled, status_text, value

RUN_IN_BROWSER = True

# a 1×1 transparent PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

CARD = {
    "name": "Aria",
    "description": "A dragon scholar.",
    "personality": "curious",
    "scenario": "A library at night.",
    "first_message": "Hello, {{user}}.",
    "alternate_greetings": ["Hey.", "Evening."],
    "example_messages": "<START>\n{{user}}: Hi\n{{char}}: Hello",
    "system_prompt": "Stay in character.",
    "post_history_instructions": "Be brief.",
    "creator_notes": "For testing.",
    "tags": ["fantasy", "dragon"],
}


@pytest.fixture
async def tab() -> AsyncIterator[Tab]:
    library = await open_library_for_test()
    aria = await library.domain.characters.create(CARD)
    async with open_tab(library=library, hash=f"#/characters/{aria.id}") as t:
        yield t
    library.domain.store.close()
    await library.domain.store.db.delete()


async def stored(t: Tab) -> Any:
    (character,) = await t.domain.characters.list()
    return character


async def leave_page(t: Tab) -> None:
    await t.go("/characters")


async def test_every_card_field_is_labelled_and_filled(tab: Tab) -> None:
    h = tab.harness
    assert h.query("img") == []  # no avatar yet: no picture at all
    assert tab.heading() == "Aria"
    assert tab.title() == "Aria — Lorekeeper"
    for spec in TEXT_FIELDS:
        assert value(h, labelled(h, spec.label)) == CARD[spec.field], spec.label
    assert value(h, labelled(h, "Tags")) == "fantasy, dragon"
    assert value(h, labelled(h, "Alternate greeting 1")) == "Hey."
    assert value(h, labelled(h, "Alternate greeting 2")) == "Evening."
    assert labelled(h, "Avatar image") is not None
    for node in h.query("textarea") + h.query("input"):  # every control has a label
        fid = h.attr(node, "id")
        assert fid and h.query(f"label[for={fid}]"), node


async def test_typing_is_saved_by_itself_and_says_so(tab: Tab) -> None:
    h = tab.harness
    h.type_into(labelled(h, "Description"), "A dragon scholar who hoards books.")
    h.type_into(labelled(h, "Scenario"), "A tower.")
    assert status_text(h) == "Saving…"
    h.fire(tab.dom.window, "pagehide")
    await eventually(lambda: status_text(h) == "Saved", "the status saying Saved")
    character = await stored(tab)
    assert character.description == "A dragon scholar who hoards books."
    assert character.scenario == "A tower."


async def test_leaving_the_page_saves_the_last_keystrokes(tab: Tab) -> None:
    h = tab.harness
    h.type_into(labelled(h, "Personality"), "curious and kind")
    await leave_page(tab)
    await eventually(lambda: _personality(tab), "the edit written after leaving the page")


async def _personality(t: Tab) -> bool:
    return (await stored(t)).personality == "curious and kind"


async def test_each_keystroke_is_journalled_before_any_write(tab: Tab) -> None:
    h = tab.harness
    character = await stored(tab)
    h.type_into(labelled(h, "Description"), "typed, then reload")
    journal = tab.dom.storage.get_item(f"{JOURNAL_PREFIX}character:{character.id}")
    assert journal is not None
    assert json.loads(journal)["fields"] == {"description": "typed, then reload"}


async def test_a_reload_that_beat_the_write_loses_nothing() -> None:
    """The page went away before its write landed: its journal is newer than the record,
    so the editor shows and saves it when it opens again."""
    library = await open_library_for_test()
    aria = await library.domain.characters.create({"name": "Aria"})
    storage = MemoryStorage()
    left_behind = {"at": time.time() + 3600, "fields": {"description": "typed, then reload"}}
    key = f"{JOURNAL_PREFIX}character:{aria.id}"
    journal_storage(storage).set_item(key, json.dumps(left_behind))
    async with open_tab(library=library, hash=f"#/characters/{aria.id}", storage=storage) as t:
        h = t.harness
        assert value(h, labelled(h, "Description")) == "typed, then reload"
        h.fire(t.dom.window, "pagehide")
        await eventually(lambda: status_text(h) == "Saved", "the recovered edit saved")
        assert t.dom.storage.get_item(key) is None
    assert (await library.domain.characters.require(aria.id)).description == "typed, then reload"
    library.domain.store.close()
    await library.domain.store.db.delete()


def journal_storage(memory: MemoryStorage) -> Any:
    """Where the previous page journalled: the browser's localStorage, or the memory one."""
    if IN_BROWSER:
        from app.ui import BrowserDom

        return BrowserDom().storage
    return memory


async def test_a_name_cannot_be_emptied(tab: Tab) -> None:
    h = tab.harness
    name = labelled(h, "Name")
    h.type_into(name, "   ")
    assert "A character needs a name" in alert_text(h)
    h.type_into(name, "Aria Vale")
    assert alert_text(h) == ""
    h.fire(tab.dom.window, "pagehide")
    await eventually(lambda: status_text(h) == "Saved")
    assert (await stored(tab)).name == "Aria Vale"
    assert tab.heading() == "Aria Vale"


async def test_alternate_greetings_are_added_edited_and_removed(tab: Tab) -> None:
    h = tab.harness
    h.fire(button_named(h, "Add alternate greeting"), "click")
    third = labelled(h, "Alternate greeting 3")
    assert same(tab.dom.focused(), third)
    h.type_into(third, "Good morning.")
    h.fire(button_named(h, "Remove alternate greeting 1"), "click")
    assert value(h, labelled(h, "Alternate greeting 1")) == "Evening."
    assert value(h, labelled(h, "Alternate greeting 2")) == "Good morning."
    assert same(tab.dom.focused(), labelled(h, "Alternate greeting 1"))
    h.fire(tab.dom.window, "pagehide")
    await eventually(lambda: status_text(h) == "Saved")
    assert (await stored(tab)).alternate_greetings == ["Evening.", "Good morning."]


async def test_tags_are_typed_comma_separated(tab: Tab) -> None:
    h = tab.harness
    h.type_into(labelled(h, "Tags"), "fantasy, , scholar ,fantasy")
    h.fire(tab.dom.window, "pagehide")
    await eventually(lambda: status_text(h) == "Saved")
    assert (await stored(tab)).tags == ["fantasy", "scholar"]


def test_split_tags() -> None:
    assert split_tags(" a, b ,,a , c") == ["a", "b", "c"]
    assert split_tags("") == []


def _pick(t: Tab, picker: Any, name: str, media_type: str, data: bytes) -> None:
    if IN_BROWSER:
        import js
        from pyodide.ffi import to_js

        transfer = js.DataTransfer.new()
        blob_parts = to_js([to_js(data)])
        options = to_js({"type": media_type}, dict_converter=js.Object.fromEntries)
        transfer.items.add(js.File.new(blob_parts, name, options))
        picker.files = transfer.files
    else:

        class FakeFile:
            def __init__(self) -> None:
                self.name, self.type, self.size = name, media_type, len(data)

            async def arrayBuffer(self) -> bytes:
                return data

        picker.props["files"] = [FakeFile()]
    t.harness.fire(picker, "change")


async def test_an_avatar_is_picked_shown_with_alt_text_and_removed(tab: Tab) -> None:
    h = tab.harness
    picker = labelled(h, "Avatar image")
    _pick(tab, picker, "aria.png", "image/png", PNG)
    await tab.dom.settle()
    (img,) = h.query("img.avatar")
    assert h.attr(img, "alt") == "Avatar of Aria"
    assert (h.attr(img, "src") or "").startswith("data:image/png;base64,")
    h.fire(tab.dom.window, "pagehide")
    await eventually(lambda: status_text(h) == "Saved")
    assert (await stored(tab)).avatar == "data:image/png;base64," + base64.b64encode(PNG).decode()
    h.fire(button_named(h, "Remove avatar"), "click")
    assert h.query("img") == []  # no picture, no img element
    h.fire(tab.dom.window, "pagehide")
    await eventually(_no_avatar(tab))


def _no_avatar(t: Tab) -> Any:
    async def check() -> bool:
        return (await stored(t)).avatar is None

    return check


async def test_a_file_that_is_not_an_image_is_refused_in_words(tab: Tab) -> None:
    h = tab.harness
    _pick(tab, labelled(h, "Avatar image"), "notes.txt", "text/plain", b"hello")
    await tab.dom.settle()
    assert "notes.txt is not a PNG, JPEG, WebP, GIF or AVIF image." in alert_text(h)
    assert (await stored(tab)).avatar is None


async def test_new_chat_opens_it_with_the_greeting(tab: Tab) -> None:
    h = tab.harness
    h.fire(button_named(h, "New chat"), "click")
    await tab.dom.settle()
    await tab.app.settle()
    (chat,) = await tab.domain.chats.list()
    assert tab.dom.get_hash() == f"#/chats/{chat.id}"
    messages = await tab.domain.messages.for_chat(chat.id)
    assert [m.content for m in messages] == ["Hello, {{user}}."]
    assert len(messages[0].alternatives) == 3


async def test_the_chats_are_listed_and_deleting_one_asks_first(tab: Tab) -> None:
    h = tab.harness
    character = await stored(tab)
    first = await tab.state.start_chat(character.id)
    await tab.state.start_chat(character.id, {"title": "Tea party"})
    links = [h.text(a) for a in h.query("ul.chat-list a")]
    assert links == ["Tea party", "Chat 1"]
    assert any(h.attr(a, "href") == f"#/chats/{first.id}" for a in h.query("ul.chat-list a"))
    h.fire(button_named(h, "Delete Chat 1"), "click")
    (dialog,) = h.query("[role=alertdialog]")
    assert "Delete “Chat 1” and its messages?" in h.text(dialog)
    assert same(tab.dom.focused(), button_named(h, "Cancel", dialog))
    h.fire(button_named(h, "Delete", dialog), "click")
    await tab.dom.settle()
    assert [h.text(a) for a in h.query("ul.chat-list a")] == ["Tea party"]
    assert [c.title for c in await tab.domain.chats.list()] == ["Tea party"]


async def test_the_lorebook_link_points_at_the_characters_lorebook(tab: Tab) -> None:
    h = tab.harness
    character = await stored(tab)
    (link,) = [a for a in h.query("a") if h.text(a) == "Lorebook of Aria"]
    assert h.attr(link, "href") == f"#/lorebook/character/{character.id}"


async def test_another_tabs_edit_reaches_fields_not_being_edited(tab: Tab) -> None:
    h = tab.harness
    character = await stored(tab)
    scenario = labelled(h, "Scenario")
    h.type_into(scenario, "mine, unsaved")
    await tab.state.update(
        "character", character.id, {"description": "from elsewhere", "scenario": "theirs"}
    )
    assert value(h, labelled(h, "Description")) == "from elsewhere"
    assert value(h, scenario) == "mine, unsaved"  # an edit in progress is never overwritten
