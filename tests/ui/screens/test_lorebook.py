"""The lorebook a scope sees: sections per level, read-only other levels, the editor,
promote/demote with who sees it, search, bulk operations with undo, tokens and lint."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.ui._entry_fields import editable_fields
from tests._wait import eventually

from .._tab import Tab, open_tab
from ._writing import button, click, field, go, links, settle

RUN_IN_BROWSER = True


@pytest.fixture
async def tab() -> AsyncIterator[tuple[Tab, dict[str, Any]]]:
    async with open_tab() as t:
        d = t.domain
        saga = await d.series.create({"name": "Saga"})
        book = await d.stories.stories.create({"title": "Book", "series_id": saga.id})
        e = {}
        e["mara"] = await d.lorebook.create(
            {"level": "global", "name": "Mara", "keys": ["Mara"], "content": "A thief."}
        )
        e["keep"] = await d.lorebook.create(
            {"level": "series", "scope_id": saga.id, "name": "Keep", "keys": ["keep"]}
        )
        e["night"] = await d.lorebook.create(
            {
                "level": "story",
                "scope_id": book.id,
                "name": "Night",
                "keys": ["night"],
                "category": "weather",
                "tags": ["mood"],
            }
        )
        e["dawn"] = await d.lorebook.create(
            {"level": "story", "scope_id": book.id, "name": "Dawn", "keys": ["Mara"]}
        )
        await go(t, f"/lorebook/story/{book.id}")
        yield t, {"saga": saga, "book": book, "e": e}


def sections(t: Tab) -> list[str]:
    return [t.harness.text(h) for h in t.harness.query("section.lore-section h2")]


def rows(t: Tab, level: str) -> list[str]:
    h = t.harness
    (section,) = h.query(f"section.level-{level}")
    return [h.text(n) for n in h.query("strong.entry-name", section)]


def row_of(t: Tab, name: str) -> Any:
    h = t.harness
    (li,) = [
        li for li in h.query("li.lore-entry") if h.text(h.query("strong.entry-name", li)[0]) == name
    ]
    return li


def status_text(t: Tab) -> str:
    (bar,) = t.harness.query("div.undo-bar")
    return t.harness.text(bar)


async def test_one_section_per_level_headed_by_its_level(tab):
    t, _w = tab
    assert t.heading() == "Lorebook: Book"
    assert t.title() == "Lorebook: Book — Lorekeeper"
    assert sections(t) == ["Global", "Series", "Story"]
    assert rows(t, "global") == ["Mara"]
    assert rows(t, "series") == ["Keep"]
    assert rows(t, "story") == ["Night", "Dawn"]


async def test_other_levels_are_read_only_with_a_badge_and_a_link(tab):
    t, w = tab
    h = t.harness
    mara = row_of(t, "Mara")
    (badge,) = h.query("span.badge", mara)
    assert h.text(badge) == "Global"
    assert not h.query("input", mara)  # nothing to edit here
    (link,) = h.query("a", mara)
    assert h.attr(link, "href") == f"#/lorebook/global?entry={w['e']['mara'].id}"
    assert h.attr(link, "aria-label") == "Edit in the Global lorebook: Mara"
    assert not h.query("span.badge", row_of(t, "Night"))


async def test_new_entry_is_created_here_and_opens_its_editor(tab):
    t, w = tab
    await click(t, button(t, "New entry"))
    (made,) = [
        e for e in await t.domain.lorebook.by_level("story", w["book"].id) if e.name == "New entry"
    ]
    title = field(t, "Title")
    assert t.dom.get_prop(title, "value") == "New entry"
    for spec in editable_fields():  # every field the engine uses has its control
        field(t, spec.label)
    t.harness.type_into(title, "Moon")
    t.harness.type_into(field(t, "Keys"), "moon, lunar")
    t.harness.fire(title, "focusout")
    await settle(t)
    stored = await t.domain.lorebook.require(made.id)
    assert (stored.name, stored.keys) == ("Moon", ["moon", "lunar"])


async def test_a_value_the_field_cannot_take_is_explained_and_not_saved(tab):
    t, w = tab
    await click(t, button(t, "Edit Night"))
    t.harness.type_into(field(t, "Probability (%)"), "lots")
    t.harness.fire(field(t, "Probability (%)"), "focusout")
    await settle(t)
    assert "Probability (%): needs a whole number" in t.harness.text(t.harness.root)
    assert (await t.domain.lorebook.require(w["e"]["night"].id)).probability == 100


async def test_promote_says_who_sees_it_and_can_be_undone(tab):
    t, w = tab
    want = "Promote moves an entry to the Series lorebook “Saga”: seen by the 1 story of the series “Saga”."
    await eventually(  # who sees a layer is read in the background
        lambda: want in t.harness.text(t.harness.query("section.level-story p.hint")[0]),
        "the promote note",
    )
    await click(t, button(t, "Promote Night"))
    moved = await t.domain.lorebook.require(w["e"]["night"].id)
    assert (moved.level, moved.scope_id) == ("series", w["saga"].id)
    assert rows(t, "series") == ["Keep", "Night"]
    assert "Promoted 1 entry to the Series lorebook “Saga”: seen by the 1 story" in status_text(t)
    await click(t, button(t, "Undo"))
    assert (await t.domain.lorebook.require(w["e"]["night"].id)).level == "story"
    assert rows(t, "story") == ["Night", "Dawn"]


async def test_demote_a_global_entry_toward_this_story(tab):
    t, w = tab
    await click(t, button(t, "Demote Mara"))
    moved = await t.domain.lorebook.require(w["e"]["mara"].id)
    assert (moved.level, moved.scope_id, moved.id) == ("series", w["saga"].id, w["e"]["mara"].id)
    await click(t, button(t, "Demote Mara"))
    assert (await t.domain.lorebook.require(w["e"]["mara"].id)).level == "story"
    assert rows(t, "story") == ["Mara", "Night", "Dawn"]  # by insertion order, then age


async def test_search_and_filters(tab):
    t, _w = tab
    search = field(t, "Search entries")
    t.harness.type_into(search, "thief")
    await settle(t)
    assert (rows(t, "global"), rows(t, "story")) == (["Mara"], [])
    t.harness.type_into(search, "MARA")  # Dawn's key
    await settle(t)
    assert rows(t, "story") == ["Dawn"]
    t.harness.type_into(search, "")
    tag = field(t, "Tag")
    # the menus list the tags in use once the book has settled after a change
    await eventually(lambda: "mood" in t.harness.text(tag), "the tag in the menu")
    t.dom.set_prop(tag, "value", "mood")
    t.harness.fire(tag, "change")
    await settle(t)
    assert (rows(t, "global"), rows(t, "story")) == ([], ["Night"])
    sort = field(t, "Sort by")
    t.dom.set_prop(tag, "value", "")
    t.harness.fire(tag, "change")
    t.dom.set_prop(sort, "value", "title")
    t.harness.fire(sort, "change")
    await settle(t)
    assert rows(t, "story") == ["Dawn", "Night"]


async def test_bulk_disable_and_delete_with_undo(tab):
    t, w = tab
    h = t.harness
    for name in ("Night", "Dawn"):
        box = field(t, f"Select {name}")
        t.dom.set_prop(box, "checked", True)
        h.fire(box, "change")
    await settle(t)
    assert "2 entries selected" in h.text(h.root)
    await click(t, button(t, "Disable"))
    assert [e.enabled for e in await t.domain.lorebook.by_level("story", w["book"].id)] == [
        False,
        False,
    ]
    assert "Disabled 2 entries." in status_text(t)
    await click(t, button(t, "Undo"))
    assert all(e.enabled for e in await t.domain.lorebook.by_level("story", w["book"].id))
    await click(t, button(t, "Delete"))
    assert await t.domain.lorebook.by_level("story", w["book"].id) == []
    assert rows(t, "story") == []
    await click(t, button(t, "Undo"))
    assert rows(t, "story") == ["Night", "Dawn"]


async def test_select_all_matching_and_move(tab):
    t, _w = tab
    box = field(t, "Select all matching")
    t.dom.set_prop(box, "checked", True)
    t.harness.fire(box, "change")
    await settle(t)
    move_to = field(t, "Move to")
    t.dom.set_prop(move_to, "value", "global")
    await click(t, button(t, "Move"))
    assert rows(t, "global") == ["Mara", "Night", "Dawn"]
    assert rows(t, "story") == []


async def test_lint_findings_sit_on_the_entries_they_concern(tab):
    t, w = tab
    await t.domain.lorebook.create(
        {"level": "story", "scope_id": w["book"].id, "name": "Common", "keys": ["the"]}
    )
    h = t.harness
    await eventually(  # lint runs after a pause in changes
        lambda: "very common word" in h.text(row_of(t, "Common")), "lint findings"
    )
    assert "key 'mara' is used by entries in several scopes" in h.text(row_of(t, "Dawn"))
    assert "very common word" in h.text(row_of(t, "Common"))
    assert "several scopes" not in h.text(row_of(t, "Night"))


async def test_token_counts(tab):
    t, _w = tab
    text = t.harness.text(t.harness.root)
    assert "This lorebook: 2 entries" in text
    assert "tokens" in t.harness.text(row_of(t, "Mara"))


async def test_opening_at_an_entry(tab):
    t, w = tab
    await go(t, f"/lorebook/story/{w['book'].id}?entry={w['e']['dawn'].id}")
    await go(t, f"/lorebook/global?entry={w['e']['mara'].id}")
    assert t.heading() == "Global lorebook"
    assert sections(t) == ["Global"]
    assert t.dom.get_prop(field(t, "Title"), "value") == "Mara"


async def test_a_chat_sees_global_character_chat_and_modules(tab):
    t, _w = tab
    d = t.domain
    ada = await d.characters.create({"name": "Ada"})
    chat = await d.chats.create({"character_id": ada.id})
    module = await d.modules.create_attached({"name": "Magic"}, "chat", chat.id)
    await d.lorebook.create({"level": "module", "scope_id": module.id, "name": "Spell"})
    await go(t, f"/lorebook/chat/{chat.id}")
    assert sections(t) == ["Global", "Character", "Chat", "Module"]
    assert rows(t, "module") == ["Spell"]


async def test_missing_scope_is_not_found(tab):
    t, _w = tab
    await go(t, "/lorebook/story/nope")
    assert "Not found" in t.heading() or "There is no story" in t.harness.text(t.harness.root)
    assert "Back to Lorebook" in links(t)


async def test_an_edit_journalled_before_a_reload_is_saved_when_the_book_opens(tab):
    import json

    from app.ui._autosave import Journal
    from app.ui._entry_editor import journal_key

    t, w = tab
    night = w["e"]["night"]
    journal = Journal(t.dom.storage)
    draft = {spec.name: getattr(night, spec.name) for spec in editable_fields()}
    draft["content"] = "Typed just before the reload."
    text = json.dumps(draft, sort_keys=True, default=str)
    journal.write(journal_key(night.id), {"text": text}, time.time())
    await go(t, "/series")
    await go(t, f"/lorebook/story/{w['book'].id}")
    await eventually(lambda: _content(t, night.id), "the draft saved")
    assert journal.read(journal_key(night.id)) is None


def _content(t: Tab, entry_id: str) -> Any:
    async def check() -> bool:
        return (
            await t.domain.lorebook.require(entry_id)
        ).content == "Typed just before the reload."

    return check()
