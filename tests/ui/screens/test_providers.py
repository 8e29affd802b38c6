"""Providers: a config with its key saved together, Test connection against the fake
server filling the Model combobox, the default one, keys masked and never in the page,
delete asked first (its key goes too)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.generation._fake import GOOD_KEY, FakeLLM, browser_host_env, fake_llm

from .._support import same
from .._tab import Tab, open_tab
from ._find import alert_text, button_named, labelled, status_text, value

RUN_IN_BROWSER = True
__all__ = ["browser_host_env", "fake_llm"]


@pytest.fixture
async def tab() -> AsyncIterator[Tab]:
    async with open_tab(hash="#/settings/providers") as t:
        yield t


def fill(t: Tab, label: str, text: str) -> None:
    t.harness.type_into(labelled(t.harness, label), text)


async def save(t: Tab) -> None:
    (form,) = t.harness.query("form.provider-editor")
    assert t.harness.fire(form, "submit")  # what "Save" (its submit button) does
    await t.dom.settle()


async def check_connection(t: Tab) -> None:
    t.harness.fire(button_named(t.harness, "Test connection"), "click")
    await t.dom.settle()


async def add(
    t: Tab, fake: FakeLLM, name: str = "Fake", key: str = GOOD_KEY, scenario: str = "ok"
) -> str:
    url, _ = fake.base_url(scenario)
    fill(t, "Name", name)
    fill(t, "Base URL", url)
    fill(t, "API key", key)
    return url


async def test_a_new_provider_is_tested_and_saved_with_its_key(tab: Tab, fake_llm: FakeLLM) -> None:
    h = tab.harness
    assert tab.heading() == "Providers" and tab.title() == "Providers — Lorekeeper"
    assert h.attr(labelled(h, "API key"), "type") == "password"
    url = await add(tab, fake_llm)
    await check_connection(tab)
    assert "2 models available" in status_text(h)
    assert value(h, labelled(h, "Model")) == "fake-large"
    assert [h.attr(o, "value") for o in h.query("datalist option")] == ["fake-large", "fake-small"]
    await save(tab)
    assert "Saved “Fake”." in status_text(h)  # said after the editor turned into this config's
    (config,) = await tab.domain.providers.configs.list()
    assert (config.name, config.type, config.base_url, config.default_model) == (
        "Fake",
        "openai",
        url,
        "fake-large",
    )
    assert config.models == ["fake-large", "fake-small"]
    assert (await tab.domain.providers.api_keys.require(config.api_key_id)).value == GOOD_KEY
    assert await tab.domain.settings.get("default_provider_config_id") == config.id
    assert tab.dom.get_prop(labelled(h, "Fake"), "checked")
    assert value(h, labelled(h, "API key")) == ""


async def test_a_saved_key_is_shown_masked_and_never_put_in_the_page(
    tab: Tab, fake_llm: FakeLLM
) -> None:
    h = tab.harness
    await add(tab, fake_llm)
    await save(tab)
    assert value(h, labelled(h, "API key")) == ""
    page_text = h.text(h.root)
    assert GOOD_KEY not in page_text and "6789" in page_text and "••••" in page_text
    for node in h.query("input"):
        assert GOOD_KEY not in str(tab.dom.get_prop(node, "value"))
        assert all(GOOD_KEY not in (h.attr(node, a) or "") for a in ("value", "placeholder"))


async def test_a_wrong_key_is_said_in_the_status(tab: Tab, fake_llm: FakeLLM) -> None:
    await add(tab, fake_llm, key="sk-wrong-key-000000000")
    await check_connection(tab)
    words = status_text(tab.harness)
    assert "key" in words.lower() and "sk-wrong-key-000000000" not in words


async def test_editing_keeps_or_removes_the_saved_key(tab: Tab, fake_llm: FakeLLM) -> None:
    h = tab.harness
    await add(tab, fake_llm)
    await save(tab)
    fill(tab, "Model", "fake-small")
    await save(tab)
    (config,) = await tab.domain.providers.configs.list()
    assert config.default_model == "fake-small" and config.api_key_id is not None
    remove = labelled(h, "Remove the saved key")
    tab.dom.set_prop(remove, "checked", True)
    await save(tab)
    (config,) = await tab.domain.providers.configs.list()
    assert config.api_key_id is None and await tab.domain.providers.api_keys.count() == 0


async def test_name_and_base_url_are_needed(tab: Tab) -> None:
    await save(tab)
    assert "A provider needs a name" in alert_text(tab.harness)
    fill(tab, "Name", "Local")
    await save(tab)
    assert "needs its Base URL" in alert_text(tab.harness)
    assert await tab.domain.providers.configs.count() == 0


async def test_the_default_provider_and_delete_asked_first(tab: Tab, fake_llm: FakeLLM) -> None:
    h = tab.harness
    await add(tab, fake_llm, "One")
    await save(tab)
    h.fire(button_named(h, "New provider"), "click")
    await add(tab, fake_llm, "Two")
    await save(tab)
    one = (await tab.domain.providers.configs.find({"name": "One"}))[0]
    two = (await tab.domain.providers.configs.find({"name": "Two"}))[0]
    assert await tab.domain.settings.get("default_provider_config_id") == one.id
    radio = labelled(h, "Two")
    tab.dom.set_prop(radio, "checked", True)
    h.fire(radio, "change")
    await tab.dom.settle()
    assert await tab.domain.settings.get("default_provider_config_id") == two.id
    h.fire(button_named(h, "Delete Two"), "click")
    (dialog,) = h.query("[role=alertdialog]")
    assert same(tab.dom.focused(), button_named(h, "Cancel", dialog))
    h.fire(button_named(h, "Delete", dialog), "click")
    await tab.dom.settle()
    assert [c.name for c in await tab.domain.providers.configs.list()] == ["One"]
    assert await tab.domain.providers.api_keys.count() == 1  # only One's key is left
    assert tab.dom.get_prop(labelled(h, "One"), "checked")
