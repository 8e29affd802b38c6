"""Sync end to end: two browser profiles (two devices) and a real ``./lk serve`` process.

One edits a character while the other is offline, they reconnect, and both show the same
result; a tab closed in the middle of a first sync loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e._support import create_character, go, open_app, seed, stored
from tools.serve_process import serve_process

PASSWORD = "correct horse battery"
COUNT = 1200


@pytest.fixture
def sync_server(site: Path, tmp_path: Path) -> Iterator[str]:
    """``./lk serve`` (the built site and the sync API in one process) with an account."""
    with serve_process(tmp_path, site=site, accounts={"ana": PASSWORD}) as origin:
        yield origin


@pytest.fixture
def device_b(browser: Any, requests_seen: list[str]) -> Iterator[Any]:
    """A second browser profile (its own IndexedDB): another device."""
    context = browser.new_context()
    context.set_default_timeout(60_000)
    context.on("request", lambda request: requests_seen.append(request.url))
    yield context
    context.close()


def status(page: Any) -> Any:
    return page.get_by_role("main").get_by_role("status")


def sign_in(page: Any, origin: str, *, keyboard: bool = False) -> None:
    go(page, "#/settings/sync", heading="Sync")
    server = page.get_by_role("textbox", name="Server URL")
    expect(server).to_have_value(origin)  # the server that serves the page is offered
    page.get_by_role("textbox", name="Username").fill("ana")
    password = page.get_by_label("Password")
    password.fill(PASSWORD)
    if keyboard:
        password.press("Enter")
    else:
        page.get_by_role("button", name="Sign in").click()
    expect(status(page)).to_have_text("Synced", timeout=60_000)


def names(page: Any) -> Any:
    return page.get_by_role("list", name="Characters").get_by_role("link")


def rename(page: Any, old: str, new: str) -> None:
    page.get_by_role("button", name=f"Rename {old}", exact=True).click()
    field = page.get_by_role("textbox", name="New name")
    field.fill(new)
    field.press("Enter")
    expect(names(page)).to_contain_text([new])


def test_two_devices_edit_one_character_while_one_is_offline(
        sync_server: str, page: Any, device_b: Any) -> None:
    laptop, phone = page, device_b.new_page()
    for device in (laptop, phone):
        open_app(device, sync_server + "/")
    sign_in(laptop, sync_server)
    sign_in(phone, sync_server, keyboard=True)
    # a second tab of the laptop does not sync itself: it shows the syncing tab's status
    other_tab = laptop.context.new_page()
    open_app(other_tab, sync_server + "/")
    go(other_tab, "#/settings/sync", heading="Sync")
    expect(status(other_tab)).to_have_text("Synced", timeout=30_000)
    other_tab.close()

    go(laptop, "#/characters", heading="Characters")
    create_character(laptop, "Aria")
    go(phone, "#/characters", heading="Characters")
    expect(names(phone)).to_have_text(["Aria"], timeout=30_000)  # pushed, poked, pulled

    device_b.set_offline(True)
    rename(phone, "Aria", "Aria the Bold")  # first, on the phone that is offline
    go(phone, "#/settings/sync", heading="Sync")
    expect(status(phone)).to_have_text("Offline — 1 change waiting", timeout=30_000)
    go(laptop, "#/characters", heading="Characters")
    rename(laptop, "Aria", "Aria of the North")  # later, online: the newer edit
    go(laptop, "#/settings/sync", heading="Sync")
    expect(status(laptop)).to_have_text("Synced", timeout=30_000)

    device_b.set_offline(False)  # the phone's old edit arrives last, and still loses
    expect(status(phone)).to_have_text("Synced", timeout=60_000)
    for device in (laptop, phone):
        go(device, "#/characters", heading="Characters")
        expect(names(device)).to_have_text(["Aria of the North"], timeout=30_000)
    assert [c["name"] for c in stored(phone, "characters")] == ["Aria of the North"]


def test_closing_a_tab_in_the_middle_of_a_first_sync_loses_nothing(
        sync_server: str, context: Any, device_b: Any) -> None:
    from app.domain import Character

    tab = context.new_page()
    open_app(tab, sync_server + "/")
    library = [Character(name=f"Character {n:04d}").to_record() for n in range(COUNT)]
    seed(tab, "characters", library)  # a library that was here before syncing
    tab.reload()
    open_app(tab, sync_server + "/")
    held: list[Any] = []
    tab.route("**/api/v1/sync/push", lambda route: held.append(route))  # never answered
    with tab.expect_request("**/api/v1/sync/push", timeout=60_000):
        sign_in_started(tab, sync_server)  # the first batch is in the outbox and on its way
    progress = tab.get_by_role("progressbar", name="First sync")
    expect(progress).to_be_visible(timeout=60_000)
    expect(tab.get_by_role("main")).to_contain_text(f"Sending 0 of {COUNT:,}")
    tab.close()  # in the middle of the first sync: its first batch is on the way

    again = context.new_page()
    open_app(again, sync_server + "/")
    go(again, "#/settings/sync", heading="Sync")
    expect(status(again)).to_have_text("Synced", timeout=120_000)
    phone = device_b.new_page()
    open_app(phone, sync_server + "/")
    sign_in(phone, sync_server)
    go(phone, "#/characters", heading="Characters")
    expect(phone.get_by_role("list", name="Characters").get_by_role("listitem")).to_have_count(
        COUNT, timeout=60_000)
    assert sorted(c["id"] for c in stored(phone, "characters")) == sorted(
        c["id"] for c in library)


def sign_in_started(page: Any, origin: str) -> None:
    go(page, "#/settings/sync", heading="Sync")
    page.get_by_role("textbox", name="Server URL").fill(origin)
    page.get_by_role("textbox", name="Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
