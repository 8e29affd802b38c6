"""Settings in Chromium: the theme applies at once, matching defaults are stored, the
browser's storage estimate shows, persistence can be asked for."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e._support import go, main_heading, main_nav, open_app
from tests.e2e._writing import stored_where


def _background(page: Any) -> str:
    return str(page.evaluate("getComputedStyle(document.querySelector('.shell')).backgroundColor"))


def test_theme_matching_and_storage(live_server: Any, page: Any) -> None:
    page.emulate_media(color_scheme="light")
    open_app(page, live_server.url("/"))
    main_nav(page).get_by_role("link", name="Settings").click()
    expect(main_heading(page)).to_have_text("Settings")
    expect(page).to_have_title("Settings — Lorekeeper")
    light = _background(page)

    page.get_by_role("radio", name="Dark").check()
    page.wait_for_function("document.querySelector('.shell').dataset.theme === 'dark'")
    assert _background(page) != light  # applied at once, before any reload
    stored_where(
        page,
        "settings",
        "(all) => all.some((s) => s.key === 'theme' && s.value === 'dark')",
        None,
        "the theme stored",
    )
    page.reload()
    page.wait_for_function("document.documentElement.dataset.ready === 'true'")
    expect(page.get_by_role("radio", name="Dark")).to_be_checked()
    assert page.evaluate("document.querySelector('.shell').dataset.theme") == "dark"

    page.get_by_role("checkbox", name="Case-sensitive keys").check()
    page.get_by_role("spinbutton", name="Lore token budget").fill("900")
    page.get_by_role("spinbutton", name="Lore token budget").press("Tab")
    stored_where(
        page,
        "settings",
        """(all) => all.some((s) => s.key === 'lore_case_sensitive' && s.value)
        && all.some((s) => s.key === 'lore_token_budget' && s.value === 900)""",
        None,
        "matching defaults stored",
    )

    expect(page.get_by_role("status").filter(has_text="The library uses")).to_contain_text(
        "this browser allows"
    )
    page.get_by_role("button", name="Keep my library (persistent storage)").click()
    expect(page.get_by_role("status").filter(has_text="browser")).not_to_have_count(0)
    expect(page.get_by_role("link", name="Providers")).to_have_attribute(
        "href", "#/settings/providers"
    )
    expect(page.get_by_role("link", name="Sync")).to_have_attribute("href", "#/settings/sync")


def test_the_storage_warning_shows_near_the_quota(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    # the browser reports a nearly full quota
    page.evaluate(
        """() => { navigator.storage.estimate = async () => ({usage: 95e6, quota: 100e6}); }"""
    )
    go(page, "#/settings", heading="Settings")
    expect(page.get_by_role("alert")).to_contain_text("Storage is 95% full")
