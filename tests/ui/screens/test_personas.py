"""Personas: create, choose the active one, edit (saved by itself), delete asked first."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app.reactive import get
from tests._wait import eventually

from .._support import same
from .._tab import Tab, open_tab
from ._find import alert_text, button_named, labelled, status_text, value

RUN_IN_BROWSER = True


@pytest.fixture
async def tab() -> AsyncIterator[Tab]:
    async with open_tab(hash="#/personas") as t:
        yield t


async def create(t: Tab, name: str) -> None:
    t.harness.type_into(labelled(t.harness, "New persona"), name)
    (form,) = t.harness.query("form.create-form")
    assert t.harness.fire(form, "submit")
    await t.dom.settle()


def radio(t: Tab, name: str):
    return labelled(t.harness, name)


async def test_an_empty_page_explains_and_the_first_persona_becomes_active(tab: Tab) -> None:
    h = tab.harness
    assert tab.heading() == "Personas" and tab.title() == "Personas — Lorekeeper"
    assert "No personas yet" in h.text(h.root)
    await create(tab, "Sam")
    (sam,) = await tab.domain.personas.list()
    assert await tab.domain.settings.get("active_persona_id") == sam.id
    assert tab.dom.get_prop(radio(tab, "Sam"), "checked")
    assert value(h, labelled(h, "Name")) == "Sam"  # its editor opens


async def test_choosing_another_active_persona(tab: Tab) -> None:
    await create(tab, "Sam")
    await create(tab, "Alex")
    h = tab.harness
    alex = radio(tab, "Alex")
    tab.dom.set_prop(alex, "checked", True)
    h.fire(alex, "change")
    await tab.dom.settle()
    (alex_record,) = [p for p in await tab.domain.personas.list() if p.name == "Alex"]
    assert await tab.domain.settings.get("active_persona_id") == alex_record.id
    assert get(tab.state.active_persona).name == "Alex"
    assert not tab.dom.get_prop(radio(tab, "Sam"), "checked")


async def test_editing_saves_by_itself(tab: Tab) -> None:
    await create(tab, "Sam")
    h = tab.harness
    h.type_into(labelled(h, "Description"), "A wandering bard.")
    h.type_into(labelled(h, "Name"), "Samwise")
    h.fire(tab.dom.window, "pagehide")
    await eventually(lambda: status_text(h) == "Saved", "the Saved status")
    (sam,) = await tab.domain.personas.list()
    assert sam.name == "Samwise" and sam.description == "A wandering bard."
    assert [h.text(label) for label in h.query("label.name")] == ["Samwise"]


async def test_edit_switches_the_editor_to_that_persona(tab: Tab) -> None:
    await create(tab, "Sam")
    await create(tab, "Alex")
    h = tab.harness
    assert value(h, labelled(h, "Name")) == "Alex"
    h.fire(button_named(h, "Edit Sam"), "click")
    assert value(h, labelled(h, "Name")) == "Sam"


async def test_delete_asks_first_and_hands_active_to_another(tab: Tab) -> None:
    await create(tab, "Sam")
    await create(tab, "Alex")
    h = tab.harness
    h.fire(button_named(h, "Delete Sam"), "click")
    (dialog,) = h.query("[role=alertdialog]")
    assert same(tab.dom.focused(), button_named(h, "Cancel", dialog))
    h.fire(button_named(h, "Delete", dialog), "click")
    await tab.dom.settle()
    assert [p.name for p in await tab.domain.personas.list()] == ["Alex"]
    (alex,) = await tab.domain.personas.list()
    assert await tab.domain.settings.get("active_persona_id") == alex.id
    assert tab.dom.get_prop(radio(tab, "Alex"), "checked")


async def test_a_persona_needs_a_name(tab: Tab) -> None:
    (form,) = tab.harness.query("form.create-form")
    tab.harness.fire(form, "submit")
    await tab.dom.settle()
    assert "A persona needs a name." in alert_text(tab.harness)
    assert await tab.domain.personas.count() == 0
