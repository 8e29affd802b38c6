"""The Sync screen over the app as the boot starts it, against the real server app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.reactive import get
from app.sync import MemoryTabs, SyncHandle, resume_sync, stop_all
from tests._wait import eventually
from tests.sync._server import PASSWORD, SERVER, asgi_transport, server_app
from tests.ui._tab import Tab, open_tab


@pytest.fixture
async def app(tmp_path: Any) -> AsyncIterator[Any]:
    async with server_app(tmp_path, "ana") as running:
        yield running
    await stop_all()


def sync_options(tab: Tab, app: Any) -> dict[str, Any]:
    """The boot's sync options for ``tab``, with an in-process server and tabs."""
    return {"transport": asgi_transport(app), "tabs": MemoryTabs.group()(), "debounce_s": 0,
            "backoff": None, "listen_for_pokes": False, "periodic_s": 3600,
            "on_applied": tab.library.domain.store.receive_external}


def connect(tab: Tab, app: Any) -> None:
    """What the boot does (``Library.app_state``), with an in-process server and tabs."""
    tab.state.sync = SyncHandle(tab.library.domain.store.db, **sync_options(tab, app))


async def pushed(tab: Tab) -> None:
    """Wait until ``tab``'s replica has nothing left to push."""
    replica = tab.state.sync.service().replica

    async def nothing_pending() -> bool:
        return await replica.pending() == 0

    await eventually(nothing_pending, "the push", timeout=20)


def shown_names(tab: Tab) -> list[str]:
    return sorted(c.name for c in get(tab.state.characters))


def status(tab: Tab) -> str:
    (node,) = tab.harness.query("div[role=status]")
    return tab.harness.text(node)


async def sign_in(tab: Tab) -> None:
    h = tab.harness
    await tab.go("#/settings/sync")
    for fid, value in (("sync-server", SERVER), ("sync-username", "ana"),
                       ("sync-password", PASSWORD)):
        (node,) = h.query(f"input[id={fid}]")
        h.type_into(node, value)
    (form,) = h.query("form.sync-sign-in")
    h.fire(form, "submit")
    await tab.dom.settle()
    await eventually(lambda: status(tab) == "Synced", "Synced", timeout=20)


async def test_two_devices_sync_through_the_screen(app: Any) -> None:
    async with open_tab(["Aria", "Bram"]) as laptop, open_tab(["Cleo"]) as phone:
        connect(laptop, app)
        connect(phone, app)
        await sign_in(laptop)
        await sign_in(phone)
        names = sorted(c.name for c in await phone.domain.characters.list())
        assert names == ["Aria", "Bram", "Cleo"]  # the phone kept its own and got the laptop's
        # an edit on the laptop reaches the phone after a sync (no poke here: sync now)
        aria = next(c for c in await laptop.domain.characters.list() if c.name == "Aria")
        await laptop.state.rename_character(aria.id, "Aria the Bold")
        await pushed(laptop)
        phone.state.sync.wake("now")

        async def renamed() -> bool:
            return any(c.name == "Aria the Bold" for c in await phone.domain.characters.list())

        await eventually(renamed, "the rename on the phone", timeout=20)
        # and the phone's app shows it, as it shows another tab's writes
        await eventually(lambda: "Aria the Bold" in shown_names(phone), "the rename shown")
        await phone.go("#/characters")
        links = [phone.harness.text(a) for a in phone.harness.query("li.character-row a")]
        assert "Aria the Bold" in links


async def test_signing_out_on_the_screen_keeps_the_library(app: Any) -> None:
    async with open_tab(["Aria"]) as tab:
        connect(tab, app)
        await sign_in(tab)
        (sign_out,) = [b for b in tab.harness.query("button") if tab.harness.text(b) == "Sign out"]
        tab.harness.fire(sign_out, "click")
        await tab.dom.settle()
        await eventually(lambda: status(tab) == "Signed out", "Signed out")
        assert [c.name for c in await tab.domain.characters.list()] == ["Aria"]
        await tab.domain.characters.create({"name": "Written later"})
        await eventually(lambda: status(tab) == "Signed out — 1 change waiting", "1 waiting")


async def test_a_sync_resumed_at_boot_shows_what_it_pulls(app: Any) -> None:
    """After a reload the boot resumes the sync (``resume_sync``); what it pulls reaches the
    screen the way another tab's writes do."""
    async with open_tab(["Aria"]) as laptop, open_tab([]) as phone:
        connect(laptop, app)
        connect(phone, app)
        await sign_in(laptop)
        await sign_in(phone)
        await stop_all()  # both "reload": the sync services are gone, the links stay
        resumed = await resume_sync(phone.library.domain.store.db, **sync_options(phone, app))
        assert resumed is not None
        aria = next(c for c in await laptop.domain.characters.list() if c.name == "Aria")
        await laptop.state.rename_character(aria.id, "Aria the Bold")
        await pushed(laptop)
        resumed.wake("now")
        await eventually(lambda: "Aria the Bold" in shown_names(phone), "the pull shown")
