"""The layered lorebook in Chromium: sections per level, read-only other levels with a
badge and a link, the editor, promote/demote keeping the id, search, bulk with undo."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e._support import go, main_heading, open_app
from tests.e2e._writing import create_series, create_story, stored_where, textbox


def _entry(page: Any, title: str, keys: str) -> None:
    page.get_by_role("button", name="New entry", exact=True).click()
    field = textbox(page, "Title")
    expect(field).to_be_focused()
    field.fill(title)
    textbox(page, "Keys").fill(keys)
    field.blur()


def _section(page: Any, level: str) -> Any:
    return page.get_by_role("region", name=level, exact=True)


def test_layers_promote_demote_search_and_bulk(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    go(page, "#/lorebook/global", heading="Global lorebook")
    _entry(page, "Mara", "Mara")
    go(page, "#/series", heading="Stories")
    saga = create_series(page, "Saga")
    go(page, f"#/series/{saga}", heading="Saga")
    story = create_story(page, "Book", "Stories in this series")
    go(page, f"#/lorebook/story/{story}", heading="Lorebook: Book")
    _entry(page, "Night", "night")
    _entry(page, "Dawn", "dawn, sunrise")
    stored_where(page, "lorebook_entries", "(all) => all.length === 3", None, "three entries")

    headings = page.get_by_role("main").get_by_role("heading", level=2)
    expect(headings).to_have_text(["Global", "Series", "Story"])
    mara = _section(page, "Global").get_by_role("listitem")
    expect(mara.locator(".badge")).to_have_text("Global")
    expect(mara.get_by_role("link", name="Edit in the Global lorebook: Mara")).to_be_visible()
    expect(mara.get_by_role("textbox")).to_have_count(0)  # read-only here

    # promote Night one level up (to the series), keeping its id; then undo
    night_id = page.evaluate("""() => [...document.querySelectorAll('li.lore-entry')]
        .find((li) => li.textContent.includes('Night')).dataset.id""")
    page.get_by_role("button", name="Promote Night").click()
    expect(page.get_by_role("status").filter(has_text="Promoted")).to_contain_text(
        "Promoted 1 entry to the Series lorebook “Saga”: seen by the 1 story of the series “Saga”."
    )
    expect(_section(page, "Series").get_by_role("listitem")).to_contain_text(["Night"])
    stored_where(
        page,
        "lorebook_entries",
        "(all, id) => all.some((e) => e.id === id && e.level === 'series')",
        night_id,
        "Night promoted with its id",
    )
    page.get_by_role("button", name="Undo").click()
    expect(_section(page, "Story").get_by_role("listitem")).to_have_count(2)

    # demote Mara from global toward this story: to the series
    page.get_by_role("button", name="Demote Mara").click()
    expect(_section(page, "Series").locator(".entry-name")).to_have_text(["Mara"])

    # search
    page.get_by_role("searchbox", name="Search entries").fill("sunrise")
    expect(page.locator(".entry-name")).to_have_text(["Dawn"])
    page.get_by_role("searchbox", name="Search entries").fill("")

    # bulk: select both story entries, disable, undo, delete, undo
    page.get_by_role("checkbox", name="Select all matching").check()
    expect(page.get_by_text("2 entries selected")).to_be_visible()
    page.get_by_role("group", name="Selected entries").get_by_role("button", name="Disable").click()
    stored_where(
        page,
        "lorebook_entries",
        "(all) => all.filter((e) => e.level === 'story' && !e.enabled).length === 2",
        None,
        "both disabled",
    )
    # the Undo bar names the action it undoes once the action has returned
    expect(page.get_by_role("status").filter(has_text="Disabled 2 entries.")).to_have_count(1)
    page.get_by_role("button", name="Undo").click()
    stored_where(
        page,
        "lorebook_entries",
        "(all) => all.filter((e) => e.level === 'story' && e.enabled).length === 2",
        None,
        "both enabled again",
    )
    page.get_by_role("group", name="Selected entries").get_by_role("button", name="Delete").click()
    expect(_section(page, "Story").get_by_role("listitem")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="Deleted 2 entries.")).to_have_count(1)
    page.get_by_role("button", name="Undo").click()
    expect(_section(page, "Story").locator(".entry-name")).to_have_text(["Night", "Dawn"])
    expect(main_heading(page)).to_have_text("Lorebook: Book")


def test_an_edit_reaches_every_field_and_survives_a_reload(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    go(page, "#/lorebook/global", heading="Global lorebook")
    _entry(page, "Dragon", "dragon, wyrm")
    textbox(page, "Secondary keys").fill("fire")
    page.get_by_role("combobox", name="Secondary key logic").select_option("and_all")
    textbox(page, "Content").fill("A red dragon sleeps under the mountain.")
    page.get_by_role("checkbox", name="Always active (constant)").check()
    page.get_by_role("spinbutton", name="Probability (%)").fill("70")
    page.get_by_role("combobox", name="Position").select_option("at_depth")
    page.get_by_role("spinbutton", name="Depth", exact=True).fill("2")
    page.get_by_role("checkbox", name="Not activated by other entries").check()
    textbox(page, "Tags").fill("monster, cast")
    page.reload()
    page.wait_for_function("document.documentElement.dataset.ready === 'true'")
    stored_where(
        page,
        "lorebook_entries",
        """(all) => all.length === 1 && (([e]) =>
        e.secondary_keys[0] === 'fire' && e.selective_logic === 'and_all' && e.constant
        && e.probability === 70 && e.position === 'at_depth' && e.depth === 2
        && e.exclude_recursion && e.tags.join() === 'monster,cast')(all)""",
        None,
        "every edited field stored",
    )
