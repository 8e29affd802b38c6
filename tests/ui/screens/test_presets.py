"""Presets: create, duplicate, the active one, sampling settings saved by themselves
(values out of range said in words and not saved), delete asked first."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app.generation import PresetSettings
from app.ui.screens.presets import FIELDS, FieldProblem, escape, parse_value, unescape
from tests._wait import eventually

from .._support import same
from .._tab import Tab, open_tab
from ._find import alert_text, button_named, labelled, status_text, value

RUN_IN_BROWSER = True


@pytest.fixture
async def tab() -> AsyncIterator[Tab]:
    async with open_tab(hash="#/presets") as t:
        yield t


async def create(t: Tab, name: str) -> None:
    t.harness.type_into(labelled(t.harness, "New preset"), name)
    (form,) = t.harness.query("form.create-form")
    assert t.harness.fire(form, "submit")
    await t.dom.settle()


async def saved(t: Tab) -> None:
    t.harness.fire(t.dom.window, "pagehide")
    await eventually(lambda: status_text(t.harness) == "Saved", "the Saved status")


async def only(t: Tab, name: str):
    (preset,) = [p for p in await t.domain.presets.list() if p.name == name]
    return preset


async def test_the_first_preset_is_active_with_default_settings(tab: Tab) -> None:
    h = tab.harness
    assert tab.heading() == "Presets"
    await create(tab, "Default")
    preset = await only(tab, "Default")
    assert preset.is_active
    assert tab.dom.get_prop(labelled(h, "Default"), "checked")
    assert value(h, labelled(h, "Temperature")) == "0.8"
    assert value(h, labelled(h, "Max tokens")) == "512"
    assert value(h, labelled(h, "Top P")) == ""


async def test_sampling_settings_are_saved_by_themselves(tab: Tab) -> None:
    await create(tab, "Creative")
    h = tab.harness
    h.type_into(labelled(h, "Temperature"), "1.25")
    h.type_into(labelled(h, "Top P"), "0.9")
    h.type_into(labelled(h, "Max tokens"), "300")
    h.type_into(labelled(h, "Stop strings"), "\\nUser:\n###\n")
    h.type_into(labelled(h, "System prompt"), "Write vividly.")
    await saved(tab)
    preset = await only(tab, "Creative")
    settings = PresetSettings.of(preset)
    assert settings.sampling.temperature == 1.25 and settings.sampling.top_p == 0.9
    assert settings.sampling.max_tokens == 300
    assert settings.sampling.stop == ["\nUser:", "###"]
    assert preset.system_prompt == "Write vividly."


async def test_a_value_out_of_range_is_said_and_not_saved(tab: Tab) -> None:
    await create(tab, "P")
    h = tab.harness
    temperature = labelled(h, "Temperature")
    h.type_into(temperature, "5")
    assert "Temperature:" in alert_text(h) and h.attr(temperature, "aria-invalid") == "true"
    h.type_into(labelled(h, "Max tokens"), "")  # a number field holds digits only
    assert "Max tokens needs a value." in alert_text(h)
    h.type_into(temperature, "0.3")
    h.type_into(labelled(h, "Max tokens"), "128")
    assert alert_text(h) == "" and h.attr(temperature, "aria-invalid") is None
    await saved(tab)
    settings = PresetSettings.of(await only(tab, "P"))
    assert settings.sampling.temperature == 0.3 and settings.sampling.max_tokens == 128


async def test_choosing_the_active_preset_and_duplicating(tab: Tab) -> None:
    await create(tab, "A")
    await create(tab, "B")
    h = tab.harness
    b = labelled(h, "B")
    tab.dom.set_prop(b, "checked", True)
    h.fire(b, "change")
    await tab.dom.settle()
    assert (await only(tab, "B")).is_active and not (await only(tab, "A")).is_active
    h.type_into(labelled(h, "Temperature"), "1.1")
    await saved(tab)
    h.fire(button_named(h, "Duplicate B"), "click")
    await tab.dom.settle()
    copy = await only(tab, "B (copy)")
    assert PresetSettings.of(copy).sampling.temperature == 1.1 and not copy.is_active
    assert value(h, labelled(h, "Name")) == "B (copy)"


async def test_delete_asks_first(tab: Tab) -> None:
    await create(tab, "A")
    await create(tab, "B")
    h = tab.harness
    h.fire(button_named(h, "Delete A"), "click")
    (dialog,) = h.query("[role=alertdialog]")
    assert same(tab.dom.focused(), button_named(h, "Cancel", dialog))
    h.fire(button_named(h, "Delete", dialog), "click")
    await tab.dom.settle()
    assert [p.name for p in await tab.domain.presets.list()] == ["B"]
    assert (await only(tab, "B")).is_active  # the domain hands "active" on


def test_parse_value() -> None:
    by_key = {f.key: f for f in FIELDS}
    assert parse_value(by_key["temperature"], "") is None
    assert parse_value(by_key["max_tokens"], "42") == 42
    assert parse_value(by_key["stop"], "a\n\nb") == ["a", "b"]
    assert parse_value(by_key["stop"], "\\nUser:\nC:\\\\x\\t") == ["\nUser:", "C:\\x\t"]
    for stop in ("\nUser:", "a\\nb", "tab\there", "\\"):
        assert unescape(escape(stop)) == stop
    with pytest.raises(FieldProblem, match=r"Max tokens needs a value\."):
        parse_value(by_key["max_tokens"], " ")
    with pytest.raises(FieldProblem, match=r"Top P must be a number\."):
        parse_value(by_key["top_p"], "x")
