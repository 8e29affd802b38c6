"""One tab's sync: the status store the screen shows, sign in and out, and — in the tab
that holds the lock — the background task and the listener for the server's pokes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from app.db import Database
from app.reactive import Readable, Writable, writable

from ._api import ApiError, NetworkError, SyncApi
from ._replica import Replica, SignedOutError
from ._schema import SyncSchema
from ._status import State, SyncStatus
from ._tabs import Message, Tabs
from ._task import Backoff, SyncTask, Wake

__all__ = ["SyncService"]


class SyncService:
    """See the module docstring. ``start()`` once; ``stop()`` when the tab closes."""

    def __init__(self, db: Database, schema: SyncSchema, transport: Any, tabs: Tabs, *,
                 periodic_s: float = 60.0, debounce_s: float = 0.3,
                 backoff: Backoff | None = None, listen_for_pokes: bool = True,
                 origin: str | None = None,
                 on_applied: Callable[[dict[str, list[str]]], None] | None = None) -> None:
        self.db = db
        self.origin = origin
        self.tabs = tabs
        self.replica = Replica(db, schema, transport, on_applied=on_applied)
        self._status: Writable[SyncStatus] = writable(SyncStatus())
        self._task_options: dict[str, Any] = {"periodic_s": periodic_s,
                                              "debounce_s": debounce_s, "backoff": backoff}
        self._listen_for_pokes = listen_for_pokes
        self.task: SyncTask | None = None
        self._leading: asyncio.Future[None] | None = None
        self._unlisten: Any = None
        self._session = asyncio.Event()
        self._stopped = False
        self._refreshing: asyncio.Future[None] | None = None
        self._heard_statuses = 0  # statuses heard from the syncing tab

    @property
    def status(self) -> Readable[SyncStatus]:
        return self._status

    @property
    def leading(self) -> bool:
        return self.task is not None

    def start(self) -> None:
        self._unlisten = self.tabs.listen(self._heard)
        self._leading = asyncio.ensure_future(self.tabs.lead(self._lead))
        self.tabs.post({"type": "hello"})
        self._refreshing = asyncio.ensure_future(self._refresh_here())

    async def stop(self) -> None:
        self._stopped = True
        if self._unlisten is not None:
            self._unlisten()
        if self.task is not None:
            self.task.stop()
        if self._leading is not None:
            self._leading.cancel()
            with contextlib.suppress(BaseException):
                await self._leading

    # ------------------------------------------------------------------ tabs
    def _publish(self, status: SyncStatus) -> None:
        self._status.set(status)
        self.tabs.post({"type": "status", "status": status.to_message()})

    def _heard(self, message: Message) -> None:
        kind = message.get("type")
        if kind == "status" and self.task is None:
            self._heard_statuses += 1
            self._status.set(SyncStatus.from_message(message["status"]))
        elif kind == "wake" and self.task is not None:
            self._wake_here(message.get("reason", "now"))
        elif kind == "hello" and self.task is not None:
            self._publish(self.task.status)

    async def _refresh_here(self) -> None:
        """A tab that does not sync shows what it can read itself until it hears."""
        if self.task is not None:
            return
        heard = self._heard_statuses
        link = await self.replica.link()
        state: State = ("off" if link is None
                        else "signed_out" if not link.get("token") else "syncing")
        pending = await self.replica.pending()
        if self.task is not None or heard != self._heard_statuses:
            return  # the syncing tab's word, heard while this read ran, is newer
        if heard:  # it has spoken: only the count of waiting changes is news here
            self._status.update(lambda current: replace(current, pending=pending))
        else:
            self._status.set(SyncStatus(state=state, pending=pending,
                                        server=link.get("server") if link else None,
                                        username=link.get("username") if link else None))

    async def _lead(self) -> None:
        task = SyncTask(self.replica, self._publish, **self._task_options)
        self.task = task
        pokes = asyncio.ensure_future(self._pokes()) if self._listen_for_pokes else None
        try:
            await task.run()
        finally:
            self.task = None
            if pokes is not None:
                pokes.cancel()
                with contextlib.suppress(BaseException):
                    await pokes

    # ------------------------------------------------------------------ waking
    def wake(self, reason: Wake = "now") -> None:
        """Something happened that is worth a sync (in whichever tab syncs)."""
        if self.task is not None:
            self._wake_here(reason)
        else:
            self.tabs.post({"type": "wake", "reason": reason})
            if reason == "outbox":
                self._refreshing = asyncio.ensure_future(self._refresh_here())

    def _wake_here(self, reason: Wake) -> None:
        assert self.task is not None
        if reason == "signed_in":
            self._session.set()
        self.task.wake(reason)

    def outbox_written(self) -> None:
        """The outbox layer's hook: a local write was recorded."""
        self.wake("outbox")

    async def _pokes(self) -> None:
        """Listen to the server's event stream; each poke wakes the task."""
        backoff = Backoff()
        failures = 0
        while not self._stopped:
            try:
                api = await self.replica.api()
                async for name in api.events():
                    if name == "open" and failures and self.task is not None:
                        self.task.wake("poke")  # pokes may have been missed while away
                    failures = 0
                    if name == "poke" and self.task is not None:
                        self.task.wake("poke")
            except SignedOutError:
                self._session.clear()
                await self._session.wait()
                continue
            except (ApiError, NetworkError):
                pass
            failures += 1
            self._session.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._session.wait(), backoff.delay(failures))

    # ------------------------------------------------------------------ account
    async def suggested_server(self) -> str | None:
        """The server the screen offers: the one this library syncs with, else the page's
        own origin when a Lorekeeper server serves it."""
        link = await self.replica.link()
        if link is not None:
            return str(link["server"])
        if self.origin is None:
            return None
        try:
            await SyncApi(self.replica.transport, self.origin).health()
        except (ApiError, NetworkError, ValueError, KeyError):
            return None
        return self.origin

    async def sign_in(self, server: str, username: str, password: str) -> None:
        await self.replica.sign_in(server, username, password)
        self.wake("signed_in")

    async def register(self, server: str, username: str, password: str) -> None:
        await self.replica.register(server, username, password)

    async def sign_out(self) -> None:
        await self.replica.sign_out()
        self.wake("signed_in")  # the task notices there is no session any more
        await self._refresh_here()

    async def dismiss_rejected(self) -> None:
        await self.replica.dismiss_rejected()
        if self.task is not None:
            await self.task.refresh()
        else:
            self.tabs.post({"type": "wake", "reason": "now"})
