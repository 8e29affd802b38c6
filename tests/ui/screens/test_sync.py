"""The Sync screen through the DOM: sign in, status, refused changes, first-sync progress,
sign out (over a stand-in for this tab's sync; tests/sync/test_screen.py runs it against
the real server)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.reactive import writable
from app.sync import ApiError, NetworkError, Progress, SyncStatus
from tests._wait import eventually
from tests.ui._tab import Tab, open_tab

RUN_IN_BROWSER = True

SERVER = "http://127.0.0.1:8123"
REFUSED = {"table": "characters", "id": "c-1", "reason": "a request may carry at most 5242880 bytes",
           "at_ms": 1}


class FakeSync:
    """Records what the screen asks for and answers like the service would."""

    def __init__(self) -> None:
        self._status = writable(SyncStatus())
        self.calls: list[tuple[Any, ...]] = []
        self.fail: Exception | None = None
        self.suggestion: str | None = None

    @property
    def status(self) -> Any:
        return self._status

    def show(self, **fields: Any) -> None:
        self._status.set(SyncStatus(**fields))

    async def suggested_server(self) -> str | None:
        return self.suggestion

    async def _call(self, *call: Any) -> None:
        self.calls.append(call)
        if self.fail is not None:
            raise self.fail

    async def sign_in(self, server: str, username: str, password: str) -> None:
        await self._call("sign_in", server, username, password)
        self.show(state="synced", server=server, username=username)

    async def register(self, server: str, username: str, password: str) -> None:
        await self._call("register", server, username, password)

    async def sign_out(self) -> None:
        await self._call("sign_out")
        self.show(state="signed_out", server=SERVER, username="ana")

    async def dismiss_rejected(self) -> None:
        await self._call("dismiss")
        self.show(state="synced", server=SERVER, username="ana")

    def wake(self, reason: Any = "now") -> None:
        self.calls.append(("wake", reason))


@pytest.fixture
async def screen() -> AsyncIterator[tuple[Tab, FakeSync]]:
    async with open_tab() as tab:
        sync = FakeSync()
        tab.state.sync = sync
        await tab.go("#/settings/sync")
        yield tab, sync


def text_of(tab: Tab, selector: str) -> str:
    (node,) = tab.harness.query(selector)
    return tab.harness.text(node)


def status(tab: Tab) -> str:
    (node,) = tab.harness.query("div[role=status]")
    return tab.harness.text(node)


def alert(tab: Tab) -> str:
    (node,) = tab.harness.query("p[role=alert]")
    return "" if tab.dom.get_prop(node, "hidden") else tab.harness.text(node)


def button(tab: Tab, label: str) -> Any:
    found = [b for b in tab.harness.query("button") if tab.harness.text(b) == label]
    assert len(found) == 1, (label, [tab.harness.text(b) for b in tab.harness.query("button")])
    return found[0]


def field(tab: Tab, fid: str) -> Any:
    (node,) = tab.harness.query(f"input[id={fid}]")
    return node


async def sign_in(tab: Tab, server: str = SERVER + "/", user: str = "ana",
                  password: str = "correct horse") -> None:
    h = tab.harness
    h.type_into(field(tab, "sync-server"), server)
    h.type_into(field(tab, "sync-username"), user)
    h.type_into(field(tab, "sync-password"), password)
    (form,) = h.query("form.sync-sign-in")
    assert h.fire(form, "submit"), "a submit must not reach the browser"
    await tab.dom.settle()


async def test_the_screen_names_its_controls_as_ui_md_says(screen: Any) -> None:
    tab, _sync = screen
    assert tab.heading() == "Sync"
    assert tab.title() == "Sync — Lorekeeper"
    labels = {tab.harness.text(label): tab.harness.attr(label, "for")
              for label in tab.harness.query("label")}
    assert labels == {"Server URL": "sync-server", "Username": "sync-username",
                      "Password": "sync-password"}
    assert tab.harness.attr(field(tab, "sync-password"), "type") == "password"
    assert button(tab, "Sign in") is not None
    assert status(tab) == "Not syncing: sign in to a sync server"
    (progress,) = tab.harness.query("progress")
    assert tab.harness.attr(progress, "aria-label") == "First sync"


async def test_the_server_url_is_offered_when_a_server_serves_the_page() -> None:
    async with open_tab() as tab:
        sync = FakeSync()
        sync.suggestion = SERVER
        tab.state.sync = sync
        await tab.go("#/settings/sync")
        await eventually(lambda: tab.dom.get_prop(field(tab, "sync-server"), "value") == SERVER,
                         "the offered server URL")


async def test_signing_in_shows_the_account_and_forgets_the_password(screen: Any) -> None:
    tab, sync = screen
    await sign_in(tab)
    assert sync.calls == [("sign_in", SERVER, "ana", "correct horse")]
    assert status(tab) == "Synced"
    assert "Signed in as ana on http://127.0.0.1:8123." in tab.harness.text(
        tab.harness.query("div.sync-account")[0])
    button(tab, "Sync now")
    tab.harness.fire(button(tab, "Sync now"), "click")
    assert sync.calls[-1] == ("wake", "now")
    assert not tab.harness.query("input[id=sync-password]")


async def test_missing_fields_and_a_bad_address_are_explained(screen: Any) -> None:
    tab, sync = screen
    await sign_in(tab, user="")
    assert alert(tab) == "Enter your username."
    await sign_in(tab, server="lore.example.org")
    assert alert(tab) == "The server URL starts with http:// or https://."
    assert sync.calls == []


async def test_a_refused_sign_in_is_shown_and_what_was_typed_stays(screen: Any) -> None:
    tab, sync = screen
    sync.fail = ApiError(401, "unauthorized", "wrong username or password")
    await sign_in(tab)
    assert alert(tab) == "Wrong username or password"
    assert tab.dom.get_prop(field(tab, "sync-username"), "value") == "ana"
    sync.fail = NetworkError("Failed to fetch")
    await sign_in(tab)
    assert alert(tab).startswith(f"Cannot reach {SERVER}")
    sync.fail = None
    await sign_in(tab)
    assert alert(tab) == ""


async def test_creating_an_account_registers_then_signs_in(screen: Any) -> None:
    tab, sync = screen
    h = tab.harness
    h.type_into(field(tab, "sync-server"), SERVER)
    h.type_into(field(tab, "sync-username"), "bo")
    h.type_into(field(tab, "sync-password"), "long enough")
    h.fire(button(tab, "Create account"), "click")
    await tab.dom.settle()
    assert [c[0] for c in sync.calls] == ["register", "sign_in"]
    assert status(tab) == "Synced"


async def test_the_status_follows_the_sync(screen: Any) -> None:
    tab, sync = screen
    await sign_in(tab)
    for fields, text in [({"state": "syncing", "pending": 3}, "Syncing"),
                         ({"state": "offline", "pending": 2}, "Offline — 2 changes waiting"),
                         ({"state": "waiting", "pending": 1}, "1 change waiting"),
                         ({"state": "synced"}, "Synced")]:
        sync.show(server=SERVER, username="ana", **fields)
        assert status(tab) == text


async def test_refused_changes_are_named_in_the_status_until_dismissed(screen: Any) -> None:
    tab, sync = screen
    await sign_in(tab)
    sync.show(state="synced", server=SERVER, username="ana", rejected=(REFUSED,))
    assert status(tab).startswith("Synced")
    assert "Not synced: character c-1 — a request may carry at most 5242880 bytes" in status(tab)
    tab.harness.fire(button(tab, "Dismiss"), "click")
    await tab.dom.settle()
    assert sync.calls[-1] == ("dismiss",)
    assert "Not synced" not in status(tab)


async def test_a_first_sync_shows_its_progress(screen: Any) -> None:
    tab, sync = screen
    await sign_in(tab)
    (progress,) = tab.harness.query("progress")
    (box,) = tab.harness.query("div.sync-progress")
    assert tab.dom.get_prop(box, "hidden")
    sync.show(state="syncing", server=SERVER, username="ana",
              progress=Progress("pull", 2500, 10000))
    assert not tab.dom.get_prop(box, "hidden")
    assert tab.harness.attr(progress, "value") == "2500"
    assert tab.harness.attr(progress, "max") == "10000"
    assert tab.harness.text(box) == "Receiving 2,500 of 10,000"
    sync.show(state="synced", server=SERVER, username="ana")
    assert tab.dom.get_prop(box, "hidden")


async def test_signing_out_keeps_the_library_and_offers_sign_in_again(screen: Any) -> None:
    tab, sync = screen
    await tab.domain.characters.create({"name": "Aria"})
    await sign_in(tab)
    tab.harness.fire(button(tab, "Sign out"), "click")
    await tab.dom.settle()
    assert sync.calls[-1] == ("sign_out",)
    assert status(tab) == "Signed out"
    assert button(tab, "Sign in") is not None
    assert [c.name for c in await tab.domain.characters.list()] == ["Aria"]


async def test_user_text_reaches_the_page_only_as_text(screen: Any) -> None:
    tab, sync = screen
    evil = '<img src=x onerror="window.__pwned=1">'
    sync.show(state="synced", server=SERVER, username=evil)
    assert f"Signed in as {evil} on" in tab.harness.text(tab.harness.query("div.sync-account")[0])
    assert not tab.harness.query("div.sync-account img")


async def test_without_a_sync_the_screen_says_so() -> None:
    async with open_tab() as tab:
        await tab.go("#/settings/sync")
        assert tab.heading() == "Sync"
        assert status(tab) == "Sync is not available in this window."
