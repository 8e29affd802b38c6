"""A chat in Chromium against the fake LLM server, as a person uses it: a new chat with
greetings as alternatives, sending with Enter, the reply streaming in, Stop midway,
Regenerate, swipes, Continue, Edit, Branch, the prompt inspector, a 401 and a CORS block
said in words, the keyboard alone, axe-core and a phone's width."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e._chat import (
    REPLY,
    fake_server,
    horizontal_overflow,
    message,
    new_chat,
    seed_provider,
)
from tests.e2e._support import assert_accessible, go, main_heading, open_app, stored


def _composer(page: Any) -> Any:
    return page.get_by_role("textbox", name="Message")


def _send(page: Any, text: str) -> None:
    box = _composer(page)
    box.fill(text)
    box.press("Enter")


def _ready(page: Any, url: str, scenario: str = "ok", **provider: Any) -> str:
    open_app(page, url)
    base_url, run = fake_server().base_url(scenario)
    seed_provider(page, base_url, **provider)
    return run


def test_a_whole_chat(live_server: Any, page: Any) -> None:
    _ready(page, live_server.url("/"))
    new_chat(page)
    first = message(page, "Aria, message 1")
    expect(first).to_contain_text("Welcome, You.")  # no persona: {{user}} is "You"
    expect(first).to_contain_text("1 / 2")
    first.get_by_role("button", name="Next alternative").click()
    expect(first).to_contain_text("Hello again.")
    first.get_by_role("button", name="Previous alternative").click()
    expect(first).to_contain_text("Welcome, You.")
    assert_accessible(page, "a new chat")

    _send(page, "Tell me about dragons.")
    expect(_composer(page)).to_have_value("")
    expect(message(page, "You, message 2")).to_contain_text("Tell me about dragons.")
    reply = message(page, "Aria, message 3")
    expect(reply).to_contain_text(REPLY)
    expect(page.get_by_role("button", name="Stop")).to_have_count(0)
    expect(page.get_by_role("button", name="Send")).to_be_enabled()

    reply.get_by_role("button", name="Regenerate").click()
    expect(reply).to_contain_text("2 / 2")
    reply.get_by_role("button", name="Previous alternative").click()
    expect(reply).to_contain_text("1 / 2")
    reply.get_by_role("button", name="Continue").click()
    expect(reply.locator(".message-text")).to_have_text(REPLY + REPLY)

    message(page, "You, message 2").get_by_role("button", name="Edit").click()
    edit = page.get_by_role("textbox", name="Edit message")
    expect(edit).to_be_focused()
    edit.fill("Tell me about wyverns.")
    page.get_by_role("button", name="Save").click()
    expect(message(page, "You, message 2")).to_contain_text("Tell me about wyverns.")

    reply.get_by_role("button", name="Prompt inspector").click()
    dialog = page.get_by_role("dialog", name="Prompt inspector")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("region", name=re.compile(r"Message \d+, user"))).to_contain_text(
        "Tell me about dragons."  # what was sent then (the edit came later)
    )
    expect(dialog).to_contain_text("tokens")
    expect(dialog.get_by_role("region", name="Lore")).to_be_visible()
    assert_accessible(page, "the prompt inspector")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    message(page, "You, message 2").get_by_role("button", name="Branch").click()
    expect(main_heading(page)).to_have_text("Branch at message 2")
    expect(page.get_by_role("article")).to_have_count(2)
    assert len(stored(page, "chats")) == 2


def test_stop_midway_keeps_the_partial_reply(live_server: Any, page: Any) -> None:
    run = _ready(page, live_server.url("/"), "long")
    new_chat(page)
    _send(page, "Talk for a while.")
    stop = page.get_by_role("button", name="Stop")
    expect(stop).to_be_visible()
    expect(page.get_by_role("button", name="Send")).to_be_disabled()
    pending = page.get_by_role("article", name="Aria, reply being written")
    expect(pending).to_contain_text("tick 3")
    assert_accessible(page, "while a reply streams")
    stop.click()
    expect(page.get_by_role("button", name="Stop")).to_have_count(0)
    reply = message(page, "Aria, message 3")
    expect(reply).to_contain_text("tick 3")
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    assert fake_server().run(run).ended.wait(10) and fake_server().run(run).closed_early
    messages = [
        m
        for m in stored(page, "messages")
        if m["role"] == "assistant" and m["content"].startswith("Hello")
    ]
    assert messages and messages[0]["alternatives"][0]["info"]["status"] == "stopped"


def test_a_wrong_key_and_a_cors_block_are_said_in_the_chat(live_server: Any, page: Any) -> None:
    _ready(page, live_server.url("/"), key="sk-wrong-0000000000000")
    chat = new_chat(page)
    _send(page, "Are you there?")
    alert = page.get_by_role("alert").filter(has_text="key")
    expect(alert).to_be_visible()
    assert "sk-wrong" not in alert.inner_text()
    expect(message(page, "You, message 2")).to_contain_text("Are you there?")
    assert_accessible(page, "with an error in the chat")

    # the same chat against a local server that does not allow this page (LM Studio)
    seed_provider(page, fake_server().base_url("nocors")[0], key=None, server="LM Studio")
    go(page, f"#/chats/{chat}")
    _send(page, "Hello?")
    alert = page.get_by_role("alert").filter(has_text="CORS")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Enable CORS")
    expect(message(page, "You, message 3")).to_contain_text("Hello?")


def test_the_chat_with_the_keyboard_alone_and_on_a_phone(live_server: Any, page: Any) -> None:
    _ready(page, live_server.url("/"))
    new_chat(page)
    box = _composer(page)
    box.focus()
    page.keyboard.type("First line")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("second line")
    expect(box).to_have_value("First line\nsecond line")
    page.keyboard.press("Enter")
    expect(message(page, "Aria, message 3")).to_contain_text(REPLY)
    feed = page.get_by_role("feed", name="Messages")
    feed.focus()
    page.keyboard.press("Control+Home")
    expect(message(page, "Aria, message 1")).to_be_focused()
    page.keyboard.press("PageDown")
    expect(message(page, "You, message 2")).to_be_focused()
    page.keyboard.press("Tab")
    expect(message(page, "You, message 2").get_by_role("button", name="Edit")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("textbox", name="Edit message")).to_be_focused()
    page.keyboard.press("Escape")
    expect(message(page, "You, message 2").get_by_role("button", name="Edit")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Delete: it asks first, Cancel has focus
    expect(page.get_by_role("alertdialog")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel")).to_be_focused()
    assert_accessible(page, "asking before deleting a message")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("article", name=re.compile("message"))).to_have_count(2)

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    assert horizontal_overflow(page) <= 0
    box = page.get_by_role("textbox", name="Message").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    send = page.get_by_role("button", name="Send").bounding_box()
    assert send is not None and send["x"] + send["width"] <= 390
    assert_accessible(page, "the chat at 390 px")
