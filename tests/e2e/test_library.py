"""The Library (#/library) used the way a person uses it: import with preview, scope and
conflict choices, progress and cancel, bad files, exports as downloads, a backup into a
fresh browser profile, the sample library; axe, keyboard alone, a phone's width."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.domain._files import as_bytes, world_info
from tests.e2e._files import drop_file, library_tables, pick
from tests.e2e._support import assert_accessible, go, main_heading, open_app, stored

SAMPLE_STORY = "Story: Salt and Signal"


def _panel(page: Any) -> Any:
    return page.locator("section.library-import")


def _add_sample(page: Any) -> None:
    go(page, "#/library", heading="Library")
    page.get_by_role("button", name="Add sample library").click()
    expect(page.get_by_role("button", name="Remove sample library")).to_be_visible()


def test_world_info_goes_into_the_chosen_scope(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    _add_sample(page)
    pick(page, "Import file", "eldoria.json", as_bytes(world_info(6)))
    panel = _panel(page)
    expect(panel.get_by_role("heading", name="Eldoria")).to_be_focused()
    expect(
        panel.get_by_role("list", name="What the file holds").get_by_role("listitem")
    ).to_have_text(["6 lorebook entries"])
    scope = page.get_by_label("Import into")
    expect(scope).to_have_value("global")
    assert_accessible(page, "the library's preview")
    scope.select_option(label=SAMPLE_STORY)
    panel.get_by_role("button", name="Import", exact=True).click()
    expect(panel.get_by_role("status")).to_have_text("Imported 6 lorebook entries.")
    assert_accessible(page, "the library's result")
    story = next(s for s in stored(page, "stories") if s["title"] == "Salt and Signal")
    mine = [e for e in stored(page, "lorebook_entries") if e["name"].startswith("Entry ")]
    assert len(mine) == 6
    assert {(e["level"], e["scope_id"]) for e in mine} == {("story", story["id"])}
    panel.get_by_role("link", name="Open the lorebook").click()
    assert page.url.endswith(f"#/lorebook/story/{story['id']}")


def test_a_long_import_shows_a_moving_bar_and_cancel_writes_nothing(
    live_server: Any, page: Any
) -> None:
    open_app(page, live_server.url("/#/library"))
    expect(main_heading(page)).to_have_text("Library")
    pick(page, "Import file", "big.json", as_bytes(world_info(3_000)))
    panel = _panel(page)
    expect(
        panel.get_by_role("list", name="What the file holds").get_by_role("listitem")
    ).to_have_text(["3,000 lorebook entries"], timeout=60_000)
    # A slow phone: the import takes seconds, so the person can press Cancel midway.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 8})
    try:
        panel.get_by_role("button", name="Import", exact=True).click()
        bar = page.get_by_role("progressbar", name="Importing big.json")
        expect(bar).to_be_visible()
        page.wait_for_function(
            "() => { const p = document.querySelector("
            "'progress[aria-label=\"Importing big.json\"]');"
            " return p !== null && p.value >= 500; }"
        )
        # by keyboard: on a throttled CPU the page paints rarely while it imports, and a
        # pointer click's wait for the button to hold still across frames can outlast
        # the (now quicker) import
        page.get_by_role("button", name="Cancel import").focus()
        page.keyboard.press("Enter")
        expect(panel.get_by_role("status")).to_have_text(
            "Import cancelled: nothing was written.", timeout=60_000
        )
    finally:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    expect(bar).to_have_count(0)
    assert_accessible(page, "the library after a cancelled import")
    assert stored(page, "lorebook_entries") == []


def test_a_bad_file_names_the_record_and_writes_nothing(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/#/library"))
    expect(main_heading(page)).to_have_text("Library")
    world = world_info(3)
    world["entries"]["1"]["key"] = [1, 2]
    pick(page, "Import file", "broken.json", as_bytes(world))
    alert = _panel(page).get_by_role("alert")
    expect(alert).to_contain_text("broken.json was not imported")
    expect(alert).to_contain_text("entries['1']")
    expect(alert.get_by_role("listitem")).to_have_count(1)
    assert_accessible(page, "the library's error")
    assert stored(page, "lorebook_entries") == []
    page.get_by_role("button", name="Import another file").click()
    expect(page.get_by_label("Import file")).to_be_focused()


def test_export_everything_then_import_into_a_fresh_profile_gives_the_same_library(
    live_server: Any, page: Any, browser: Any, tmp_path: Path
) -> None:
    open_app(page, live_server.url("/"))
    page.get_by_role("button", name="Add sample library").click()
    expect(page.get_by_role("link", name="Wren Ashdown")).to_be_visible()
    from tests.domain._files import SAMPLES

    data, filename, *_ = SAMPLES["ccv3_png"]
    pick(page, "Import character card", filename, data, "image/png")
    expect(page.get_by_role("link", name="Seraphina")).to_be_visible()
    go(page, "#/library", heading="Library")
    pick(page, "Import file", "eldoria.json", as_bytes(world_info(4)))
    _panel(page).get_by_role("button", name="Import", exact=True).click()
    expect(_panel(page).get_by_role("status")).to_have_text("Imported 4 lorebook entries.")

    with page.expect_download() as info:
        page.get_by_role("button", name="Export everything").click()
    download = info.value
    assert download.suggested_filename.startswith("lorekeeper-backup-")
    assert download.suggested_filename.endswith(".json")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert json.loads(path.read_bytes())["format"] == "lorekeeper"
    expect(page.get_by_role("status").filter(has_text="Saved lorekeeper-backup-")).to_be_visible()
    before = library_tables(page)
    assert before["characters"] and before["lorebook_entries"] and before["chapters"]

    fresh = browser.new_context()
    fresh.set_default_timeout(60_000)
    seen: list[str] = []
    fresh.on("request", lambda request: seen.append(request.url))
    try:
        other = fresh.new_page()
        open_app(other, live_server.url("/#/library"))
        pick(other, "Import file", path.name, path.read_bytes())
        panel = _panel(other)
        expect(panel.get_by_role("heading", name=path.stem)).to_be_visible()
        expect(panel.get_by_text("Lorekeeper full backup")).to_be_visible()
        panel.get_by_role("button", name="Import", exact=True).click()
        expect(panel.get_by_role("status")).to_contain_text("Imported")
        after = library_tables(other)
        for table, records in before.items():
            assert after[table] == records, table
        go(other, "#/characters", heading="Characters")
        expect(other.get_by_role("list", name="Characters").get_by_role("link")).to_have_text(
            ["Seraphina", "Wren Ashdown"]
        )
    finally:
        fresh.close()
    assert all(url.startswith(live_server.url("/")) for url in seen if "://" in url), seen[:5]


def test_the_lorebook_exports_as_a_download(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    _add_sample(page)
    page.get_by_label("Lorebook", exact=True).select_option(label=SAMPLE_STORY)
    page.get_by_label("Format", exact=True).select_option(label="SillyTavern world info")
    with page.expect_download() as info:
        page.get_by_role("button", name="Export lorebook").click()
    download = info.value
    assert download.suggested_filename.startswith("lorekeeper-lorebook-story-salt-and-signal-")
    book = json.loads(Path(download.path()).read_bytes())
    names = sorted(e["comment"] for e in book["entries"].values())
    assert names == ["Ada", "Old Tomas", "The Grey Lighthouse"]


def test_a_dropped_world_info_file_is_described_before_anything_is_written(
    live_server: Any, page: Any
) -> None:
    open_app(page, live_server.url("/"))
    drop_file(page, "eldoria.json", as_bytes(world_info(2)), "application/json")
    dialog = page.get_by_role("dialog", name="Import file")
    expect(dialog.get_by_role("heading", name="Eldoria")).to_be_focused()
    assert_accessible(page, "the import dialog")
    assert stored(page, "lorebook_entries") == []
    dialog.get_by_role("button", name="Import", exact=True).click()
    expect(dialog.get_by_role("status")).to_have_text("Imported 2 lorebook entries.")
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    assert len(stored(page, "lorebook_entries")) == 2


def test_the_sample_library_is_offered_created_and_removed(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    offer = page.get_by_role("button", name="Add sample library")
    assert_accessible(page, "the characters screen offering the sample")
    offer.click()
    expect(page.get_by_role("link", name="Wren Ashdown")).to_be_visible()
    expect(offer).to_be_hidden()
    assert [s["title"] for s in stored(page, "stories")] == ["Salt and Signal"]
    levels = {e["level"] for e in stored(page, "lorebook_entries")}
    assert levels == {"global", "series", "story", "character", "chat"}
    go(page, "#/library", heading="Library")
    page.get_by_role("button", name="Remove sample library").click()
    question = page.get_by_role("alertdialog")
    expect(question.get_by_role("button", name="Cancel")).to_be_focused()
    assert_accessible(page, "the removal question")
    question.get_by_role("button", name="Remove").click()
    expect(page.get_by_role("button", name="Add sample library")).to_be_visible()
    assert stored(page, "characters") == [] and stored(page, "lorebook_entries") == []


def test_keyboard_alone_imports_a_file(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    _add_sample(page)
    page.get_by_label("Import file").focus()
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(
        {"name": "keys.json", "mimeType": "application/json", "buffer": as_bytes(world_info(2))}
    )
    panel = _panel(page)
    expect(panel.get_by_role("heading", name="Eldoria")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Import into")).to_be_focused()
    while page.get_by_label("Import into").input_value() == "global":
        page.keyboard.press("ArrowDown")
    chosen = page.get_by_label("Import into").evaluate("s => s.selectedOptions[0].text")
    page.keyboard.press("Tab")
    expect(panel.get_by_role("button", name="Import", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(panel.get_by_role("status")).to_have_text("Imported 2 lorebook entries.")
    assert chosen != "Global"


def test_the_library_fits_a_phone(live_server: Any, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(60_000)
    try:
        page = context.new_page()
        open_app(page, live_server.url("/#/library"))
        expect(main_heading(page)).to_have_text("Library")
        pick(page, "Import file", "eldoria.json", as_bytes(world_info(2)))
        expect(_panel(page).get_by_role("heading", name="Eldoria")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width}px wide at a 390px viewport"
        assert_accessible(page, "the library on a phone")
    finally:
        context.close()
