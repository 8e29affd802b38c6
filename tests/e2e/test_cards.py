"""Character cards used the way a person uses them: picked on the character list, dropped
on the page, refused when broken, exported as PNG and JSON and imported back."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from app.lore import formats
from tests.domain._files import SAMPLES
from tests.e2e._files import drop_file, pick
from tests.e2e._support import assert_accessible, go, open_app, stored


def _characters(page: Any) -> Any:
    return page.get_by_role("list", name="Characters").get_by_role("link")


def _seraphina_entries(page: Any) -> list[dict[str, Any]]:
    [character] = [c for c in stored(page, "characters") if c["name"] == "Seraphina"]
    return [
        e
        for e in stored(page, "lorebook_entries")
        if e["level"] == "character" and e["scope_id"] == character["id"]
    ]


def test_a_card_png_from_the_file_picker(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    data, filename, *_ = SAMPLES["ccv3_png"]
    pick(page, "Import character card", filename, data, "image/png")
    expect(_characters(page)).to_have_text(["Seraphina"])
    expect(page.get_by_role("status").filter(has_text="Seraphina: Imported")).to_contain_text(
        "1 character and 3 lorebook entries"
    )
    assert len(_seraphina_entries(page)) == 3
    [character] = stored(page, "characters")
    assert character["avatar"].startswith("data:image/png;base64,")
    assert_accessible(page, "the character list after importing a card")


def test_a_card_png_dropped_on_the_page(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    data, filename, *_ = SAMPLES["ccv2_png"]
    drop_file(page, filename, data, "image/png")
    dialog = page.get_by_role("dialog", name="Import file")
    expect(
        dialog.get_by_role("list", name="What the file holds").get_by_role("listitem")
    ).to_have_text(["1 character", "2 lorebook entries"])
    expect(dialog.get_by_text("Character Card V2 (PNG)")).to_be_visible()
    dialog.get_by_role("button", name="Import", exact=True).click()
    expect(dialog.get_by_role("status")).to_have_text(
        "Imported 1 character and 2 lorebook entries."
    )
    dialog.get_by_role("link", name="Open Seraphina").click()
    expect(page).to_have_url(re.compile(r"#/characters/[0-9a-f-]+$"))
    assert len(_seraphina_entries(page)) == 2


def test_a_broken_card_is_refused_and_writes_nothing(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    pick(page, "Import character card", "photo.png", formats.tiny_png(), "image/png")
    alert = page.locator("div.card-import").get_by_role("alert")
    expect(alert).to_contain_text("photo.png was not imported: PNG has no character card")
    # (a 40 MB card is refused the same way; tests/domain/test_library.py checks it)
    deep = b'{"spec": "chara_card_v2", "data": {"extensions": ' + b"[" * 500 + b"]" * 500 + b"}}"
    pick(page, "Import character card", "deep.json", deep)
    expect(alert).to_contain_text("deep.json was not imported: JSON nested deeper than")
    assert stored(page, "characters") == [] and stored(page, "lorebook_entries") == []


def test_export_a_card_as_png_and_json_and_import_it_into_a_fresh_profile(
    live_server: Any, page: Any, browser: Any, tmp_path: Path
) -> None:
    open_app(page, live_server.url("/"))
    data, filename, *_ = SAMPLES["ccv3_png"]
    pick(page, "Import character card", filename, data, "image/png")
    expect(_characters(page)).to_have_text(["Seraphina"])
    before = sorted((e["id"], e["name"], e["content"]) for e in _seraphina_entries(page))
    go(page, "#/library", heading="Library")
    saved: dict[str, Path] = {}
    for label in ("Character Card V3, PNG", "Character Card V2, JSON"):
        page.get_by_label("Card format").select_option(label=label)
        with page.expect_download() as info:
            page.get_by_role("button", name="Export card").click()
        download = info.value
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        saved[label] = path
    assert saved["Character Card V3, PNG"].name == "Seraphina.card-v3.png"
    png = saved["Character Card V3, PNG"].read_bytes()
    assert sorted(formats.read_text_chunks(png)) == ["ccv3", "chara"]
    card = json.loads(saved["Character Card V2, JSON"].read_bytes())
    assert card["spec"] == "chara_card_v2" and card["data"]["name"] == "Seraphina"

    fresh = browser.new_context()
    fresh.set_default_timeout(60_000)
    try:
        other = fresh.new_page()
        open_app(other, live_server.url("/"))
        pick(other, "Import character card", "Seraphina.card-v3.png", png, "image/png")
        expect(_characters(other)).to_have_text(["Seraphina"])
        after = sorted((e["id"], e["name"], e["content"]) for e in _seraphina_entries(other))
        assert after == before
        [mine], [theirs] = stored(page, "characters"), stored(other, "characters")
        for field in (
            "id",
            "name",
            "description",
            "first_message",
            "alternate_greetings",
            "tags",
            "extensions",
        ):
            assert theirs[field] == mine[field], field
    finally:
        fresh.close()
