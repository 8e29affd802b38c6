"""The character editor in Chromium: every card field typed, then an immediate reload:
nothing is lost. The editor with the keyboard alone, axe-core, a phone's width."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e._chat import horizontal_overflow
from tests.e2e._support import (
    assert_accessible,
    create_character,
    go,
    main_heading,
    open_app,
    stored,
    wait_ready,
)

CARD = {
    "Description": "A dragon scholar who hoards books.\nShe speaks softly.",
    "Personality": "curious, patient",
    "Scenario": "A library at midnight.",
    "First message": "Welcome, {{user}}. Mind the candles.",
    "Example messages": "<START>\n{{user}}: Hi\n{{char}}: Shh, this is a library.",
    "System prompt": "Stay in character as {{char}}.",
    "Post-history instructions": "Keep replies under 100 words.",
    "Creator notes": "Made for the tests. Ünïcödé 🐉",
    "Tags": "fantasy, dragon",
}


def _open_editor(page: Any, url: str, name: str = "Aria") -> str:
    open_app(page, url)
    character = create_character(page, name)
    page.get_by_role("link", name=name, exact=True).click()
    expect(main_heading(page)).to_have_text(name)
    return character


def test_every_field_typed_then_an_immediate_reload_loses_nothing(
    live_server: Any, page: Any
) -> None:
    character = _open_editor(page, live_server.url("/"))
    page.get_by_role("button", name="Add alternate greeting").click()
    expect(page.get_by_role("textbox", name="Alternate greeting 1")).to_be_focused()
    page.keyboard.type("Oh! A visitor.")
    for label, text in CARD.items():
        page.get_by_role("textbox", name=label, exact=True).fill(text)
    name = page.get_by_role("textbox", name="Name", exact=True)
    name.fill("Aria Vale")
    page.keyboard.type("!")  # the last keystroke, then reload at once
    page.reload()
    wait_ready(page)
    expect(main_heading(page)).to_have_text("Aria Vale!")
    for label, text in CARD.items():
        expect(page.get_by_role("textbox", name=label, exact=True)).to_have_value(text)
    expect(page.get_by_role("textbox", name="Alternate greeting 1")).to_have_value("Oh! A visitor.")
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    (record,) = [c for c in stored(page, "characters") if c["id"] == character]
    assert record["name"] == "Aria Vale!" and record["tags"] == ["fantasy", "dragon"]
    assert record["description"] == CARD["Description"]
    assert record["alternate_greetings"] == ["Oh! A visitor."]


def test_leaving_for_another_page_right_after_typing_saves(live_server: Any, page: Any) -> None:
    character = _open_editor(page, live_server.url("/"))
    page.get_by_role("textbox", name="Scenario").fill("On a ship.")
    page.get_by_role("link", name="All characters").click()
    expect(main_heading(page)).to_have_text("Characters")
    go(page, f"#/characters/{character}", heading="Aria")
    expect(page.get_by_role("textbox", name="Scenario")).to_have_value("On a ship.")


def test_the_editor_with_the_keyboard_alone_axe_and_a_phone(live_server: Any, page: Any) -> None:
    _open_editor(page, live_server.url("/"))
    assert_accessible(page, "the character editor")
    page.get_by_role("textbox", name="Name", exact=True).focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("textbox", name="Description")).to_be_focused()
    page.keyboard.type("Typed with the keyboard.")
    name = page.get_by_role("textbox", name="Name", exact=True)
    name.fill("")
    expect(page.get_by_role("alert")).to_contain_text("A character needs a name")
    assert_accessible(page, "with the name error")
    name.fill("Aria")
    page.get_by_role("button", name="New chat").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(__import__("re").compile(r"#/chats/[^/]+$"))
    page.go_back()
    expect(main_heading(page)).to_have_text("Aria")
    chat_link = page.get_by_role("list", name="Chats").get_by_role("link")
    expect(chat_link).to_have_text(["Chat 1"])
    page.get_by_role("button", name="Delete Chat 1").click()
    expect(page.get_by_role("alertdialog")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel")).to_be_focused()
    assert_accessible(page, "asking before deleting a chat")
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Delete Chat 1")).to_be_focused()

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    assert horizontal_overflow(page) <= 0
    box = page.get_by_role("textbox", name="Description").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert_accessible(page, "the editor at 390 px")
