"""The chapter editor in Chromium: autosave that survives a reload at once, marks for
every mention, "Mentioned entries" opening the entry, scene beats."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e._support import go, main_heading, wait_ready
from tests.e2e._writing import open_chapter, stored_where, textbox


def test_typing_then_reloading_at_once_loses_nothing(live_server: Any, page: Any) -> None:
    _story, _chapter = open_chapter(page, live_server.url("/"), "The first line.")
    area = textbox(page, "Chapter text")
    area.click()
    page.keyboard.press("End")
    page.keyboard.type(" And the last words typed")
    page.reload()  # no pause: the save after the pause never had its chance
    wait_ready(page)
    expect(main_heading(page)).to_have_text("Arrakis")
    expect(textbox(page, "Chapter text")).to_have_value("The first line. And the last words typed")
    stored_where(
        page,
        "chapters",
        "(all, want) => all.some((c) => c.content === want)",
        "The first line. And the last words typed",
        "the recovered text saved",
    )
    expect(page.locator("#chapter-words")).to_have_text("8 words")


def test_mentions_are_marked_and_open_their_entry(live_server: Any, page: Any) -> None:
    story, chapter = open_chapter(page, live_server.url("/"))
    go(page, f"#/lorebook/story/{story}", heading="Lorebook: Dune")
    page.get_by_role("button", name="New entry", exact=True).click()
    textbox(page, "Title").fill("Mara")
    textbox(page, "Keys").fill("Mara, the thief")
    textbox(page, "Tags").fill("cast")
    textbox(page, "Title").blur()
    expect(page.get_by_role("status").filter(has_text="Saved")).to_have_count(1)
    go(page, f"#/stories/{story}/chapters/{chapter}", heading="Arrakis")
    area = textbox(page, "Chapter text")
    area.click()
    page.keyboard.type("Mara came back. Nobody saw the thief. Ask @cast.")
    marks = page.locator(".marked-mirror mark")
    expect(marks).to_have_text(["Mara", "the thief", "@cast"])
    mentioned = page.get_by_role("list", name="Mentioned entries")
    expect(mentioned.get_by_role("listitem")).to_have_text(["Mara Story 3 mentions"])
    # the marks are never part of the text
    expect(area).to_have_value("Mara came back. Nobody saw the thief. Ask @cast.")
    mentioned.get_by_role("link", name="Mara").click()
    expect(main_heading(page)).to_have_text("Lorebook: Dune")
    expect(textbox(page, "Title")).to_have_value("Mara")
    expect(textbox(page, "Title")).to_be_focused()


def test_scene_beats_stay_with_their_text(live_server: Any, page: Any) -> None:
    text = "Night fell.\n\nMara waited by the gate."
    _story, _chapter = open_chapter(page, live_server.url("/"), text)
    area = textbox(page, "Chapter text")
    area.click()
    page.keyboard.press("Control+Home")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # the caret at "Mara"
    textbox(page, "New scene beat").fill("A stranger arrives.")
    page.get_by_role("button", name="Add beat").click()
    beats = page.get_by_role("list", name="Scene beats")
    expect(beats.get_by_role("listitem")).to_have_count(1)
    expect(beats).to_contain_text("After “…Night fell.”")
    area.click()
    page.keyboard.press("Control+Home")
    page.keyboard.type("Prologue. ")
    area.blur()
    stored_where(
        page,
        "scene_beats",
        "(all) => all.length === 1 && all[0].position === 'Prologue. Night fell.\\n\\n'.length",
        None,
        "the beat moved with its text",
    )
    page.get_by_role("button", name="Go to Beat 1").click()
    expect(area).to_be_focused()
    assert page.evaluate("document.activeElement.selectionStart") == len(
        "Prologue. Night fell.\n\n"
    )


def test_the_editor_fits_a_phone(live_server: Any, page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_chapter(page, live_server.url("/"), "Word " * 400)
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px of horizontal scrolling at 390px"
    mirror = page.locator(".marked-mirror").bounding_box()
    field = textbox(page, "Chapter text").bounding_box()
    assert mirror is not None and field is not None
    assert abs(mirror["height"] - field["height"]) < 1  # the layers line up


def test_continue_writing_streams_in_and_the_inspector_shows_what_was_sent(
    live_server: Any, page: Any
) -> None:
    from tests.e2e._chat import REPLY, fake_server, seed_provider

    _story, _chapter = open_chapter(page, live_server.url("/"), "Mara waited.")
    base_url, _run = fake_server().base_url("ok")
    seed_provider(page, base_url)  # reloads: the chapter stays open
    expect(main_heading(page)).to_have_text("Arrakis")
    page.get_by_role("button", name="Continue writing").click()
    area = textbox(page, "Chapter text")
    expect(area).to_have_value("Mara waited. " + REPLY)
    expect(page.get_by_role("status").filter(has_text="Done:")).to_have_count(1)
    page.get_by_role("button", name="Prompt inspector for the last request").click()
    dialog = page.get_by_role("dialog", name="Prompt inspector")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Mara waited.")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    stored_where(
        page,
        "chapters",
        "(all, want) => all.some((c) => c.content === want)",
        "Mara waited. " + REPLY,
        "the written text saved",
    )
