"""Presets in Chromium: the active preset's sampling settings go out with the chat's
request (read from the fake server's log); axe-core."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e._chat import REPLY, fake_server, message, new_chat, seed_provider
from tests.e2e._support import assert_accessible, go, open_app


def test_the_chat_sends_the_active_presets_settings(live_server: Any, page: Any) -> None:
    server = fake_server()
    base_url, run = server.base_url("ok")
    open_app(page, live_server.url("/"))
    seed_provider(page, base_url)
    go(page, "#/presets", heading="Presets")
    box = page.get_by_role("textbox", name="New preset")
    box.fill("Careful")
    box.press("Enter")
    expect(page.get_by_role("radio", name="Careful")).to_be_checked()
    page.get_by_role("spinbutton", name="Temperature").fill("0.3")
    page.get_by_role("spinbutton", name="Max tokens").fill("200")
    page.get_by_role("textbox", name="Stop strings").fill("\\nUser:")
    page.get_by_role("textbox", name="System prompt").fill("You are {{char}}. Be careful.")
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    page.get_by_role("spinbutton", name="Temperature").fill("7")
    expect(page.get_by_role("alert")).to_contain_text("Temperature")
    assert_accessible(page, "a preset with a value out of range")
    page.get_by_role("spinbutton", name="Temperature").fill("0.3")

    new_chat(page, greetings=("Hi.",))
    box = page.get_by_role("textbox", name="Message")
    box.fill("Hello")
    box.press("Enter")
    expect(message(page, "You, message 3")).to_have_count(0)
    expect(message(page, "Aria, message 3")).to_contain_text(REPLY)
    body = server.run(run).requests[-1]["body"]
    assert (
        body["temperature"] == 0.3
        and body["max_completion_tokens" if "max_completion_tokens" in body else "max_tokens"]
        == 200
    )
    assert body["stop"] == ["\nUser:"]
    assert body["messages"][0]["content"].startswith("You are Aria. Be careful.")
