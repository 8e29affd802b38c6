"""A series page (#/series/{id}): stories join it, reorder, move out; description
autosaves; delete asks first; a missing series is "Not found"."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from .._tab import Tab, open_tab
from ._writing import button, click, field, go, links, settle, submit_field

RUN_IN_BROWSER = True


@pytest.fixture
async def tab() -> AsyncIterator[tuple[Tab, Any]]:
    async with open_tab() as t:
        saga = await t.domain.series.create({"name": "Saga", "description": "Old"})
        await go(t, f"/series/{saga.id}")
        yield t, saga


async def test_heading_title_and_lorebook_link(tab):
    t, saga = tab
    assert t.heading() == "Saga"
    assert t.title() == "Saga — Lorekeeper"
    (link,) = [a for a in t.harness.query("a") if t.harness.text(a) == "Series lorebook"]
    assert t.harness.attr(link, "href") == f"#/lorebook/series/{saga.id}"


async def test_new_stories_join_the_series_in_order(tab):
    t, saga = tab
    await submit_field(t, "New story", "Book 1")
    await submit_field(t, "New story", "Book 2")
    stories = await t.domain.stories.stories.in_series(saga.id)
    assert [s.title for s in stories] == ["Book 1", "Book 2"]
    await click(t, button(t, "Move Book 2 up"))
    assert [s.title for s in await t.domain.stories.stories.in_series(saga.id)] == [
        "Book 2",
        "Book 1",
    ]
    ul = next(
        u
        for u in t.harness.query("ul")
        if t.harness.attr(u, "aria-label") == "Stories in this series"
    )
    assert links(t, ul) == ["Book 2", "Book 1"]


async def test_description_saves_itself(tab):
    t, saga = tab
    area = field(t, "Description")
    assert t.dom.get_prop(area, "value") == "Old"
    t.harness.type_into(area, "A tale of two moons.")
    t.harness.fire(area, "blur")
    await settle(t)
    assert (await t.domain.series.require(saga.id)).description == "A tale of two moons."
    (status,) = t.harness.query("p.field-status")
    assert t.harness.text(status) == "Saved"


async def test_rename_follows_in_heading_and_title(tab):
    t, _saga = tab
    await click(t, button(t, "Rename series"))
    await submit_field(t, "Series name", "Epic")
    assert t.heading() == "Epic"
    assert t.title() == "Epic — Lorekeeper"


async def test_delete_asks_then_goes_back_to_the_list(tab):
    t, _saga = tab
    await click(t, button(t, "Delete series"))
    await click(t, button(t, "Cancel"))
    assert await t.domain.series.list()
    await click(t, button(t, "Delete series"))
    await click(t, button(t, "Delete"))
    assert await t.domain.series.list() == []
    assert t.dom.get_hash() == "#/series"
    assert t.heading() == "Stories"


async def test_deleted_elsewhere_shows_not_found(tab):
    t, saga = tab
    await t.domain.series.delete(saga.id)
    await settle(t)
    assert t.heading() == "Not found"
    assert t.title() == "Not found — Lorekeeper"
    assert f"#/series/{saga.id}" in t.harness.text(t.harness.root)
    assert "Back to Stories" in links(t)


async def test_unknown_series_is_not_found(tab):
    t, _ = tab
    await go(t, "/series/nope")
    assert t.heading() == "Not found"
