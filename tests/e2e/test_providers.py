"""Providers in Chromium against the fake LLM server: test the connection, pick a model,
save, find it after a reload with the key masked; a wrong key and a CORS block said in
words with the fix; axe-core and a phone's width."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e._chat import GOOD_KEY, fake_server, horizontal_overflow
from tests.e2e._support import assert_accessible, go, open_app, stored


def _status(page: Any, text: str) -> Any:
    return page.get_by_role("status").filter(has_text=text)


def test_configure_a_provider_from_its_model_list(live_server: Any, page: Any) -> None:
    base_url, _ = fake_server().base_url("ok")
    open_app(page, live_server.url("/"))
    go(page, "#/settings/providers", heading="Providers")
    assert_accessible(page, "providers, empty")
    page.get_by_role("textbox", name="Name").fill("My server")
    page.get_by_role("combobox", name="Provider type").select_option("openai")
    page.get_by_role("textbox", name="Base URL").fill(base_url)
    page.get_by_label("API key").fill(GOOD_KEY)
    page.get_by_role("button", name="Test connection").click()
    expect(_status(page, "2 models available")).to_be_visible()
    model = page.get_by_role("combobox", name="Model")
    expect(model).to_have_value("fake-large")
    model.fill("fake-small")
    page.get_by_role("button", name="Save").click()
    expect(_status(page, "Saved “My server”.")).to_be_visible()
    assert_accessible(page, "providers, one saved")

    page.reload()
    go(page, "#/settings/providers", heading="Providers")
    expect(page.get_by_role("radio", name="My server")).to_be_checked()
    expect(page.get_by_role("combobox", name="Model")).to_have_value("fake-small")
    expect(page.get_by_label("API key")).to_have_value("")
    expect(page.get_by_text("Saved key: ••••••••6789.", exact=False)).to_be_visible()
    assert GOOD_KEY not in page.content()
    (config,) = stored(page, "provider_configs")
    assert config["default_model"] == "fake-small" and config["base_url"] == base_url
    (key,) = stored(page, "api_keys")
    assert key["value"] == GOOD_KEY and config["api_key_id"] == key["id"]


def test_a_wrong_key_and_a_cors_block_are_said_in_words(live_server: Any, page: Any) -> None:
    server = fake_server()
    open_app(page, live_server.url("/"))
    go(page, "#/settings/providers", heading="Providers")
    page.get_by_role("textbox", name="Name").fill("Bad key")
    page.get_by_role("textbox", name="Base URL").fill(server.base_url("ok")[0])
    page.get_by_label("API key").fill("sk-wrong-0000000000000")
    page.get_by_role("button", name="Test connection").click()
    expect(_status(page, "key")).to_be_visible()
    assert "sk-wrong-0000000000000" not in page.get_by_role("main").inner_text()

    page.get_by_role("combobox", name="Server software").select_option("Ollama")
    page.get_by_role("textbox", name="Base URL").fill(server.base_url("nocors")[0])
    page.get_by_label("API key").fill("")
    page.get_by_role("button", name="Test connection").click()
    expect(_status(page, "CORS")).to_be_visible()
    expect(_status(page, "OLLAMA_ORIGINS")).to_be_visible()
    assert_accessible(page, "providers with a failed test")

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    assert horizontal_overflow(page) <= 0
    box = page.get_by_role("textbox", name="Base URL").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
