"""Personas in Chromium: create two, choose the active one, edit it (saved by itself),
the chat speaks to it ({{user}}), delete asked first; axe-core."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e._chat import fake_server, message, new_chat, seed_provider
from tests.e2e._support import assert_accessible, go, open_app, stored


def test_personas_and_the_chat_using_the_active_one(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    seed_provider(page, fake_server().base_url("ok")[0])
    go(page, "#/personas", heading="Personas")
    assert_accessible(page, "no personas")
    for name in ("Sam", "Alex"):
        box = page.get_by_role("textbox", name="New persona")
        box.fill(name)
        box.press("Enter")
        expect(page.get_by_role("radio", name=name)).to_be_visible()
    expect(page.get_by_role("radio", name="Sam")).to_be_checked()  # the first became active
    page.get_by_role("radio", name="Alex").check()
    expect(page.get_by_role("radio", name="Alex")).to_be_checked()
    page.get_by_role("textbox", name="Description").fill("A cartographer from the coast.")
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    assert_accessible(page, "two personas, one being edited")

    new_chat(page, greetings=("Hello, {{user}}.",))
    expect(message(page, "Aria, message 1")).to_contain_text("Hello, Alex.")
    box = page.get_by_role("textbox", name="Message")
    box.fill("Hi")
    box.press("Enter")
    expect(message(page, "Alex, message 2")).to_contain_text("Hi")

    go(page, "#/personas", heading="Personas")
    page.get_by_role("button", name="Delete Alex").click()
    expect(page.get_by_role("button", name="Cancel")).to_be_focused()
    assert_accessible(page, "asking before deleting a persona")
    page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(page.get_by_role("radio", name="Alex")).to_have_count(0)
    expect(page.get_by_role("radio", name="Sam")).to_be_checked()
    assert [p["name"] for p in stored(page, "personas")] == ["Sam"]
