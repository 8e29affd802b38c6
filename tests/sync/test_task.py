"""The background task and the per-tab service: waking, backoff, status, tabs, pokes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from app.reactive import get
from app.sync._api import HttpResponse
from app.sync._service import SyncService
from app.sync._status import SyncStatus
from app.sync._tabs import MemoryTabs
from app.sync._task import Backoff
from tests._wait import eventually
from tests.server._support import serving
from tests.sync._library import SCHEMA, make_library
from tests.sync._net import SwitchableTransport
from tests.sync._server import PASSWORD, SERVER, asgi_transport, server_app, sqlite_config

FAST = Backoff(base=0.01, cap=0.05)


async def status_where(service: SyncService, check: Callable[[SyncStatus], bool],
                       what: str, timeout: float = 10.0) -> SyncStatus:
    """The first status (now or later) that passes ``check``."""
    loop = asyncio.get_running_loop()
    found: asyncio.Future[SyncStatus] = loop.create_future()

    def seen(status: SyncStatus) -> None:
        if check(status) and not found.done():
            found.set_result(status)

    stop = service.status.subscribe(seen)
    try:
        return await asyncio.wait_for(found, timeout)
    except TimeoutError:
        raise AssertionError(f"the status never became {what}") from None
    finally:
        stop()


@pytest.fixture
async def app(tmp_path: Any) -> AsyncIterator[Any]:
    async with server_app(tmp_path, "ana") as running:
        yield running


@pytest.fixture
async def tab(app: Any) -> AsyncIterator[Any]:
    """``await tab(db=None, tabs=None, **options)`` -> a started SyncService."""
    made: list[tuple[SyncService, Any]] = []
    databases: list[Any] = []
    group = MemoryTabs.group()

    async def make(db: Any = None, transport: Any = None, tabs: Any = None,
                   **options: Any) -> SyncService:
        holder: list[SyncService] = []
        if db is None:
            db = make_library(on_outbox=lambda: holder[0].outbox_written())
            databases.append(db)
            await db.open()
        net = transport or SwitchableTransport(asgi_transport(app))
        options.setdefault("backoff", FAST)
        options.setdefault("debounce_s", 0)
        options.setdefault("listen_for_pokes", False)
        service = SyncService(db, SCHEMA, net, tabs or group(), **options)
        holder.append(service)
        service.start()
        made.append((service, net))
        return service

    yield make
    for service, net in made:
        await service.stop()
        await net.aclose()
    for db in databases:
        db.close()
        await db.delete()


def test_backoff_grows_to_a_minute_with_jitter() -> None:
    low, high = Backoff(rand=lambda: 0.0), Backoff(rand=lambda: 0.999999)
    assert [low.delay(n) for n in (1, 2, 3, 4)] == [1.0, 1.0, 2.0, 4.0]
    assert [round(high.delay(n), 2) for n in (1, 2, 3, 7, 8, 20)] == [
        1.0, 2.0, 4.0, 60.0, 60.0, 60.0]
    assert all(1.0 <= Backoff().delay(n) <= 60.0 for n in range(1, 40))


def test_the_status_says_what_ui_md_names() -> None:
    assert SyncStatus(state="synced").text == "Synced"
    assert SyncStatus(state="syncing", pending=3).text == "Syncing"
    assert SyncStatus(state="offline").text == "Offline"
    assert SyncStatus(state="offline", pending=2).text == "Offline — 2 changes waiting"
    assert SyncStatus(state="waiting", pending=1).text == "1 change waiting"
    assert SyncStatus(state="synced", pending=4).text == "4 changes waiting"
    message = SyncStatus(state="error", error="boom", pending=1,
                         rejected=({"table": "notes", "id": "n", "reason": "r", "at_ms": 1},))
    assert SyncStatus.from_message(message.to_message()) == message


async def test_a_local_write_wakes_the_task_and_is_pushed(tab: Any) -> None:
    service = await tab(periodic_s=3600)
    await service.sign_in(SERVER, "ana", PASSWORD)
    await status_where(service, lambda s: s.state == "synced", "synced")
    assert service.task is not None
    before = service.task.syncs
    await service.db.notes.put({"id": "n1", "title": "hello"})
    await status_where(service, lambda s: s.state == "synced" and service.task is not None
                       and service.task.syncs > before, "synced after the write")
    assert await service.replica.pending() == 0
    other = await tab(periodic_s=3600, tabs=MemoryTabs.group()())
    await other.sign_in(SERVER, "ana", PASSWORD)
    await status_where(other, lambda s: s.state == "synced", "synced")
    assert await other.db.notes.get("n1") == {"id": "n1", "title": "hello"}


async def test_offline_backs_off_then_online_syncs_at_once(tab: Any, app: Any) -> None:
    transport = SwitchableTransport(asgi_transport(app))
    service = await tab(transport=transport, periodic_s=3600,
                        backoff=Backoff(base=30, cap=60))  # long: only "online" can help
    await service.sign_in(SERVER, "ana", PASSWORD)
    await status_where(service, lambda s: s.state == "synced", "synced")
    transport.offline = True
    await service.db.notes.put({"id": "n1", "title": "written offline"})
    offline = await status_where(service, lambda s: s.state == "offline", "offline")
    assert offline.text == "Offline — 1 change waiting"
    assert offline.retry_in is not None and 15 <= offline.retry_in <= 60
    transport.offline = False
    service.wake("online")
    await status_where(service, lambda s: s.state == "synced", "synced again")
    assert await service.replica.pending() == 0


async def test_retries_keep_going_until_the_server_answers(tab: Any, app: Any) -> None:
    transport = SwitchableTransport(asgi_transport(app))
    service = await tab(transport=transport, periodic_s=3600)
    await service.sign_in(SERVER, "ana", PASSWORD)
    await status_where(service, lambda s: s.state == "synced", "synced")
    failing = [3]

    def flaky(method: str, url: str) -> HttpResponse | None:
        if failing[0] > 0:
            failing[0] -= 1
            return HttpResponse(503, {}, b"")
        return None

    transport.answer = flaky
    await service.db.notes.put({"id": "n1"})
    await status_where(service, lambda s: s.state == "synced" and failing[0] == 0, "synced")
    assert service.task is not None and service.task.failures == 0


async def test_rate_limits_wait_as_long_as_the_server_says(tab: Any, app: Any) -> None:
    transport = SwitchableTransport(asgi_transport(app))
    service = await tab(transport=transport, periodic_s=3600)
    await service.sign_in(SERVER, "ana", PASSWORD)
    await status_where(service, lambda s: s.state == "synced", "synced")
    transport.answer = lambda m, u: HttpResponse(
        429, {"retry-after": "42"},
        b'{"error": {"code": "rate_limited", "message": "slow down"}}')
    await service.db.notes.put({"id": "n1"})
    limited = await status_where(service, lambda s: s.state == "error", "rate limited")
    assert limited.retry_in is not None and limited.retry_in >= 42
    assert limited.error == "slow down"


async def test_a_rejected_change_shows_in_the_status(tab: Any) -> None:
    service = await tab(periodic_s=3600)
    await service.sign_in(SERVER, "ana", PASSWORD)
    await service.db.notes.put({"id": "huge", "body": "x" * (5 * 1024 * 1024 + 1)})
    status = await status_where(service, lambda s: bool(s.rejected), "showing the rejection")
    assert [(r["table"], r["id"]) for r in status.rejected] == [("notes", "huge")]
    assert status.state == "synced"
    await service.dismiss_rejected()
    await status_where(service, lambda s: not s.rejected, "cleared")


async def test_signing_out_stops_syncing_and_signing_in_resumes(tab: Any) -> None:
    service = await tab(periodic_s=3600)
    await service.sign_in(SERVER, "ana", PASSWORD)
    await status_where(service, lambda s: s.state == "synced", "synced")
    await service.sign_out()
    await status_where(service, lambda s: s.state == "signed_out", "signed out")
    await service.db.notes.put({"id": "n1"})
    waiting = await status_where(service, lambda s: s.pending == 1, "one waiting")
    assert waiting.text == "Signed out — 1 change waiting"
    await service.sign_in(SERVER, "ana", PASSWORD)
    await status_where(service, lambda s: s.state == "synced" and s.pending == 0, "synced")


async def test_one_tab_syncs_and_the_others_hear_its_status(tab: Any) -> None:
    group = MemoryTabs.group()
    first = await tab(tabs=group(), periodic_s=3600)
    await first.sign_in(SERVER, "ana", PASSWORD)
    await status_where(first, lambda s: s.state == "synced", "synced")
    second = await tab(db=first.db, tabs=group(), periodic_s=3600)
    assert first.leading and not second.leading
    await status_where(second, lambda s: s.state == "synced", "the leader's status")
    # what the new tab read itself at start ("syncing") never overrides what it heard
    assert second._refreshing is not None
    await second._refreshing
    assert get(second.status).state == "synced"
    await second._refresh_here()  # as after a local write: only the count is its own news
    assert get(second.status).state == "synced"
    # a write in the second tab wakes the first, which pushes it
    assert first.task is not None
    before = first.task.syncs
    await second.db.notes.put({"id": "from-second"})
    second.outbox_written()
    await status_where(second, lambda s: s.state == "synced" and first.task is not None
                       and first.task.syncs > before, "synced by the leader")
    assert await first.replica.pending() == 0
    # the leading tab closes: the other one takes over
    await first.stop()
    await status_where(second, lambda s: second.leading and s.state == "synced", "leading")


async def test_a_poke_wakes_the_task_without_waiting_for_the_minute(tmp_path: Any) -> None:
    from app.sync._httpx import HttpxTransport

    async with serving(sqlite_config(tmp_path, "p.sqlite3")) as (app, origin):
        await app.state.server.accounts.create_user("ana", PASSWORD)
        services = []
        for _ in range(2):
            db = make_library()
            await db.open()
            service = SyncService(db, SCHEMA, HttpxTransport(base_url=origin),
                                  MemoryTabs.group()(), periodic_s=3600, backoff=FAST,
                                  debounce_s=0)
            service.start()
            await service.sign_in(origin, "ana", PASSWORD)
            await status_where(service, lambda s: s.state == "synced", "synced")
            services.append(service)
        writer, reader = services
        await writer.db.notes.put({"id": "poked", "title": "via SSE"})
        writer.wake("outbox")
        # the reader pulls every hour: only the server's poke can bring the note now
        assert await eventually(lambda: reader.db.notes.get("poked"), "the poked pull",
                                timeout=10) == {"id": "poked", "title": "via SSE"}
        for service in services:
            await service.stop()
            service.db.close()
            await service.db.delete()
            await service.replica.transport.aclose()
