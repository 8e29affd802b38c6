"""The Library screen through the DOM: import with preview, scope, conflicts, progress and
cancel; bad files; exports as downloads; the sample library; a file dropped anywhere."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.reactive import get
from tests._wait import eventually
from tests.domain._files import SAMPLES, as_bytes, world_info

from .._files import choose_file, drop_file, drop_files, make_file
from .._support import IN_BROWSER
from .._tab import Tab, open_tab

RUN_IN_BROWSER = True


@pytest.fixture
async def tab() -> AsyncIterator[Tab]:
    async with open_tab(hash="#/library") as t:
        yield t


def by_text(t: Tab, selector: str, text: str, within: Any = None) -> Any:
    found = [n for n in t.harness.query(selector, within) if t.harness.text(n).strip() == text]
    assert len(found) == 1, (
        f"{selector} {text!r}: {[t.harness.text(n) for n in t.harness.query(selector, within)]}"
    )
    return found[0]


def by_id(t: Tab, id: str) -> Any:
    (node,) = [n for n in t.harness.query(f"[id={id}]")]
    return node


def texts(t: Tab, selector: str, within: Any = None) -> list[str]:
    return [t.harness.text(n).strip() for n in t.harness.query(selector, within)]


def panel(t: Tab) -> Any:
    (node,) = t.harness.query("section.library-import div.import-panel")
    return node


async def click(t: Tab, node: Any) -> None:
    t.harness.fire(node, "click")
    await t.dom.settle()


async def pick(t: Tab, name: str, data: bytes) -> None:
    choose_file(t.harness, by_id(t, "library-file"), make_file(name, data))
    await t.dom.settle()


def select(t: Tab, id: str, value: str) -> None:
    node = by_id(t, id)
    t.dom.set_prop(node, "value", value)
    t.harness.fire(node, "change")


async def test_the_screen_offers_import_export_and_the_sample(tab: Tab) -> None:
    h = tab.harness
    assert tab.heading() == "Library"
    assert tab.title() == "Library — Lorekeeper"
    assert h.text(h.query("label[for=library-file]")[0]) == "Import file"
    assert by_id(tab, "library-file") is not None
    by_text(tab, "button", "Export everything")
    by_text(tab, "button", "Export lorebook")
    await eventually(lambda: "Add sample library" in texts(tab, "button"), "the sample offer")
    for node in h.query("input") + h.query("select"):  # every control has a label
        fid = tab.dom.get_prop(node, "id")
        assert h.query(f"label[for={fid}]"), fid


async def test_a_world_info_file_goes_to_the_chosen_scope(tab: Tab) -> None:
    story = await tab.domain.stories.stories.create({"title": "Salt and Signal"})
    await pick(tab, "eldoria.json", as_bytes(world_info(4)))
    h = tab.harness
    assert texts(tab, "h2", panel(tab)) == ["Eldoria"]
    assert texts(tab, "ul.import-counts li") == ["4 lorebook entries"]
    assert "SillyTavern world info · eldoria.json" in texts(tab, "p", panel(tab))
    options = texts(tab, "option", by_id(tab, "library-import-scope"))
    assert options == ["Global", "Story: Salt and Signal"]
    assert tab.dom.get_prop(by_id(tab, "library-import-scope"), "value") == "global"
    assert tab.dom.focused() is not None and h.text(tab.dom.focused()) == "Eldoria"
    select(tab, "library-import-scope", f"story:{story.id}")
    await click(tab, by_text(tab, "button", "Import", panel(tab)))
    await eventually(lambda: texts(tab, "[role=status]", panel(tab)), "the result")
    assert texts(tab, "[role=status]", panel(tab)) == ["Imported 4 lorebook entries."]
    (link,) = h.query("a", panel(tab))
    assert h.attr(link, "href") == f"#/lorebook/story/{story.id}"
    stored = await tab.domain.lorebook.by_level("story", story.id)
    assert len(stored) == 4 and await tab.domain.lorebook.by_level("global") == []


async def test_a_card_shows_what_it_holds_and_imports_the_character(tab: Tab) -> None:
    data, filename, *_ = SAMPLES["ccv3_png"]
    await pick(tab, filename, data)
    assert texts(tab, "h2", panel(tab)) == ["Seraphina"]
    assert texts(tab, "ul.import-counts li") == ["1 character", "3 lorebook entries"]
    assert tab.harness.query("[id=library-import-scope]") == [], "a card's book is its own"
    warnings = texts(tab, "div.import-warnings li")
    assert warnings and "not applied" in warnings[0]
    await click(tab, by_text(tab, "button", "Import", panel(tab)))
    await eventually(lambda: tab.harness.query("div.import-done"), "the result")
    [character] = await tab.domain.characters.list()
    (link,) = tab.harness.query("div.import-done a")
    assert tab.harness.text(link) == "Open Seraphina"
    assert tab.harness.attr(link, "href") == f"#/characters/{character.id}"
    # the character list shows it at once
    assert [c.name for c in get(tab.state.characters)] == ["Seraphina"]


async def test_a_bad_file_names_what_is_wrong_and_writes_nothing(tab: Tab) -> None:
    world = world_info(3)
    world["entries"]["2"]["probability"] = 250
    await pick(tab, "broken.json", as_bytes(world))
    (alert,) = tab.harness.query("div.import-failed [role=alert]")
    text = tab.harness.text(alert)
    assert "broken.json was not imported" in text and "Nothing was written" in text
    (error,) = texts(tab, "ul.import-errors li")
    assert error.startswith("entries['2']") and "probability: must be 0-100" in error
    assert await tab.domain.lorebook.list() == []
    await click(tab, by_text(tab, "button", "Import another file"))
    assert tab.harness.query("div.import-failed") == []
    assert tab.dom.focused() is by_id(tab, "library-file") or IN_BROWSER


async def test_existing_records_offer_the_conflict_choice(tab: Tab) -> None:
    entry = await tab.domain.lorebook.create({"level": "global", "name": "Mine", "keys": ["k"]})
    data = as_bytes(await tab.domain.transfer.export_global_lorebook())
    await tab.domain.lorebook.update(entry.id, {"name": "Edited"})
    await pick(tab, "global.json", data)
    hint = texts(tab, "[id=library-import-conflict-hint]")
    assert hint == ["1 of the file's 1 records are already in your library."]
    select(tab, "library-import-conflict", "copy")
    await click(tab, by_text(tab, "button", "Import", panel(tab)))
    await eventually(lambda: tab.harness.query("div.import-done"), "the result")
    assert sorted(e.name for e in await tab.domain.lorebook.list()) == ["Edited", "Mine"]


async def test_the_progress_bar_moves_and_cancel_writes_nothing(tab: Tab) -> None:
    await pick(tab, "big.json", as_bytes(world_info(1200)))
    seen: list[tuple[str | None, str | None]] = []
    real_import = tab.state.import_file

    async def import_file(incoming: Any, choice: Any = None, *, progress: Any, cancel: Any) -> Any:
        def watch(done: int, total: int) -> None:
            progress(done, total)
            (bar,) = tab.harness.query("div.import-running progress")
            seen.append((tab.harness.attr(bar, "value"), tab.harness.attr(bar, "max")))
            if done >= 500:  # the person clicks Cancel while the bar moves
                tab.harness.fire(by_text(tab, "button", "Cancel import"), "click")

        return await real_import(incoming, choice, progress=watch, cancel=cancel)

    tab.state.import_file = import_file  # type: ignore[method-assign]
    await click(tab, by_text(tab, "button", "Import", panel(tab)))
    await eventually(lambda: tab.harness.query("div.import-cancelled"), "the cancelled view")
    assert seen == [("0", "1200"), ("500", "1200")]
    assert [tab.harness.attr(b, "aria-label") for b in tab.harness.query("progress")] == [
        "Exporting everything",
        "Exporting the lorebook",
        "Exporting",
        "Exporting the card",
    ], "the import's bar left with the import"
    assert texts(tab, "[role=status]", panel(tab)) == ["Import cancelled: nothing was written."]
    assert await tab.domain.lorebook.list() == []


async def test_export_everything_downloads_a_backup_with_keys_only_when_ticked(tab: Tab) -> None:
    await tab.domain.providers.api_keys.create({"name": "K", "value": "sk-secret"})
    await click(tab, by_text(tab, "button", "Export everything"))
    await eventually(lambda: texts(tab, "div.export-action [role=status]")[0], "the saved file")
    saved = texts(tab, "div.export-action [role=status]")[0]
    assert saved.startswith("Saved lorekeeper-backup-") and saved.endswith(".json")
    if not IN_BROWSER:  # the memory document keeps what it saved (e2e checks the browser's)
        name, mime, data = tab.dom.downloads[-1]  # type: ignore[attr-defined]
        assert saved == f"Saved {name}" and mime == "application/json"
        assert b"sk-secret" not in data
        tab.dom.set_prop(by_id(tab, "library-keys"), "checked", True)
        await click(tab, by_text(tab, "button", "Export everything"))
        assert b"sk-secret" in tab.dom.downloads[-1][2]  # type: ignore[attr-defined]


async def test_a_lorebook_exports_in_the_formats_its_scope_allows(tab: Tab) -> None:
    story = await tab.domain.stories.stories.create({"title": "Book"})
    await tab.domain.lorebook.create(
        {"level": "story", "scope_id": story.id, "name": "Tomas", "keys": ["Tomas"]}
    )
    await tab.go("/characters")
    await tab.go("/library")  # the page lists the scopes as they are now
    await eventually(
        lambda: "Story: Book" in texts(tab, "option", by_id(tab, "library-lorebook")), "scopes"
    )
    assert texts(tab, "option", by_id(tab, "library-lorebook-format")) == [
        "Lorekeeper",
        "SillyTavern world info",
        "Lorebook V3 (character card book)",
    ]
    select(tab, "library-lorebook", f"story:{story.id}")
    assert texts(tab, "option", by_id(tab, "library-lorebook-format")) == [
        "SillyTavern world info",
        "Lorebook V3 (character card book)",
    ]
    await click(tab, by_text(tab, "button", "Export lorebook"))
    await eventually(lambda: "Saved" in " ".join(texts(tab, "[role=status]")), "the saved file")
    assert "Saved lorekeeper-lorebook-story-book-" in " ".join(texts(tab, "[role=status]"))
    if not IN_BROWSER:
        name, _, data = tab.dom.downloads[-1]  # type: ignore[attr-defined]
        assert name.endswith("-sillytavern.json")
        assert [e["comment"] for e in json.loads(data)["entries"].values()] == ["Tomas"]


async def test_the_address_can_preselect_the_scope() -> None:
    async with open_tab() as t:
        series = await t.domain.series.create({"name": "Saga"})
        await t.go(f"/library?level=series&scope_id={series.id}")
        await pick(t, "w.json", as_bytes(world_info(1)))
        assert t.dom.get_prop(by_id(t, "library-import-scope"), "value") == f"series:{series.id}"


async def test_the_sample_library_is_added_and_removed_after_asking(tab: Tab) -> None:
    await eventually(lambda: "Add sample library" in texts(tab, "button"), "the offer")
    await click(tab, by_text(tab, "button", "Add sample library"))
    await eventually(lambda: "Remove sample library" in texts(tab, "button"), "the removal")
    assert texts(tab, "section.library-sample [role=status]") == ["The sample library was added."]
    assert [c.name for c in get(tab.state.characters)] == ["Wren Ashdown"]

    await click(tab, by_text(tab, "button", "Remove sample library"))
    (question,) = tab.harness.query("[role=alertdialog]")
    assert tab.dom.focused() is by_text(tab, "button", "Cancel", question) or IN_BROWSER
    await click(tab, by_text(tab, "button", "Cancel", question))
    assert await tab.state.files.sample.present()

    await click(tab, by_text(tab, "button", "Remove sample library"))
    await click(tab, by_text(tab, "button", "Remove"))
    await eventually(lambda: "Add sample library" in texts(tab, "button"), "the offer again")
    assert get(tab.state.characters) == [] and await tab.domain.series.list() == []


async def test_a_file_dropped_anywhere_opens_the_import_dialog() -> None:
    async with open_tab(["Ada"], hash="#/characters") as t:
        h = t.harness
        (main,) = h.query("main")
        data, filename, *_ = SAMPLES["ccv2_png"]
        drop_file(h, main, make_file(filename, data, "image/png"))
        await eventually(lambda: h.query("dialog.import-dialog div.import-preview"), "a preview")
        (dialog,) = h.query("dialog.import-dialog")
        assert h.attr(dialog, "aria-label") == "Import file"
        assert t.dom.get_prop(dialog, "open")
        assert texts(t, "h2", dialog) == ["Seraphina"]
        assert [c.name for c in await t.domain.characters.list()] == ["Ada"], "nothing yet"
        await click(t, by_text(t, "button", "Import", dialog))
        await eventually(lambda: h.query("dialog.import-dialog div.import-done"), "the result")
        names = sorted(c.name for c in get(t.state.characters))
        assert names == ["Ada", "Seraphina"]
        assert "Seraphina" in texts(t, "ul.character-list a")
        await click(t, by_text(t, "button", "Close", dialog))
        assert not t.dom.get_prop(dialog, "open")


async def test_dragging_text_around_the_page_opens_nothing() -> None:
    async with open_tab(hash="#/characters") as t:
        (main,) = t.harness.query("main")
        drop_file(t.harness, main, None)
        await t.dom.settle()
        assert t.harness.query("dialog.import-dialog") == []


async def test_escape_during_a_dropped_import_cancels_it() -> None:
    async with open_tab(hash="#/characters") as t:
        h = t.harness
        (main,) = h.query("main")
        drop_file(h, main, make_file("big.json", as_bytes(world_info(1200))))
        await eventually(lambda: h.query("dialog.import-dialog div.import-preview"), "a preview")
        (dialog,) = h.query("dialog.import-dialog")
        real_import = t.state.import_file

        async def import_file(
            incoming: Any, choice: Any = None, *, progress: Any, cancel: Any
        ) -> Any:
            def watch(done: int, total: int) -> None:
                progress(done, total)
                if done >= 500:
                    h.fire(dialog, "cancel")  # what Escape does to a modal dialog

            return await real_import(incoming, choice, progress=watch, cancel=cancel)

        t.state.import_file = import_file  # type: ignore[method-assign]
        await click(t, by_text(t, "button", "Import", dialog))
        await eventually(lambda: h.query("dialog.import-dialog div.import-cancelled"), "cancelled")
        assert t.dom.get_prop(dialog, "open"), "the dialog stays to say nothing was written"
        assert await t.domain.lorebook.list() == []


async def test_a_storage_failure_says_why_and_keeps_the_data(tab: Tab) -> None:
    from app.domain import StorageFullError

    await pick(tab, "eldoria.json", as_bytes(world_info(2)))

    async def full(*args: Any, **kwargs: Any) -> Any:
        raise StorageFullError()

    tab.state.import_file = full  # type: ignore[method-assign]
    await click(tab, by_text(tab, "button", "Import", panel(tab)))
    await eventually(lambda: tab.harness.query("div.import-failed"), "the failure")
    text = tab.harness.text(tab.harness.query("div.import-failed [role=alert]")[0])
    assert "Nothing was written. Why:" in text and "Storage is full" in text
    assert "What is wrong with the file" not in text


async def test_several_dropped_files_are_offered_one_after_another() -> None:
    async with open_tab(hash="#/characters") as t:
        h = t.harness
        (main,) = h.query("main")
        first = make_file("one.json", as_bytes(world_info(1)))
        second = make_file("two.json", as_bytes(world_info(2)))
        drop_files(h, main, [first, second])
        await eventually(lambda: h.query("dialog.import-dialog div.import-preview"), "a preview")
        (dialog,) = h.query("dialog.import-dialog")
        await click(t, by_text(t, "button", "Import", dialog))
        await eventually(lambda: h.query("dialog.import-dialog div.import-done"), "the result")
        await click(t, by_text(t, "button", "Next file: two.json (1 waiting)", dialog))
        await eventually(lambda: h.query("dialog.import-dialog div.import-preview"), "two.json")
        assert texts(t, "ul.import-counts li", dialog) == ["2 lorebook entries"]
        await click(t, by_text(t, "button", "Import", dialog))
        await eventually(lambda: h.query("dialog.import-dialog div.import-done"), "the result")
        next_buttons = [
            b for b in h.query("button", dialog) if t.harness.text(b).startswith("Next file")
        ]
        assert all(h.attr(b, "hidden") is not None for b in next_buttons)
        assert len(await t.domain.lorebook.list()) == 3
