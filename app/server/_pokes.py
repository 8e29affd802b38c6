"""Pokes: tell a user's open event streams that their data changed.

In one process a push pokes the streams directly. With PostgreSQL, several processes
share one database: a push sends ``NOTIFY lk_poke, '<user id>'`` inside its
transaction (delivered on commit) and every process LISTENs on one connection and pokes
its own streams.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from typing import Any

__all__ = ["PokeHub", "Subscription"]

log = logging.getLogger("lorekeeper.server")


class Subscription:
    """One open event stream: ``await wait(timeout)`` is True after a poke."""

    def __init__(self, hub: PokeHub, user_id: str) -> None:
        self.hub = hub
        self.user_id = user_id
        self._event = asyncio.Event()

    def poke(self) -> None:
        self._event.set()

    async def wait(self, timeout: float) -> bool:
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            return False
        self._event.clear()
        return True


class PokeHub:
    """The process's open event streams by user, and (with PostgreSQL) its listener."""

    def __init__(self) -> None:
        self._subs: dict[str, set[Subscription]] = {}
        self.closed = asyncio.Event()
        self._listener: Any = None
        self._watch: asyncio.Task[None] | None = None
        self._dsn: str | None = None

    @contextlib.contextmanager
    def subscribe(self, user_id: str) -> Iterator[Subscription]:
        sub = Subscription(self, user_id)
        self._subs.setdefault(user_id, set()).add(sub)
        try:
            yield sub
        finally:
            subs = self._subs.get(user_id)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subs[user_id]

    def subscribers(self, user_id: str) -> int:
        return len(self._subs.get(user_id, ()))

    def poke(self, user_id: str) -> None:
        for sub in list(self._subs.get(user_id, ())):
            sub.poke()

    def poke_all(self) -> None:
        for user_id in list(self._subs):
            self.poke(user_id)

    # ------------------------------------------------------------ PostgreSQL
    async def listen(self, dsn: str, channel: str) -> None:
        """LISTEN on ``channel`` (payload: a user id); reconnects if the link drops."""
        self._dsn = dsn
        await self._connect(channel)
        self._watch = asyncio.ensure_future(self._keep_listening(channel))

    async def _connect(self, channel: str) -> None:
        import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no type hints

        conn = await asyncpg.connect(self._dsn)

        def on_notify(_conn: Any, _pid: int, _channel: str, payload: str) -> None:
            self.poke(payload)

        await conn.add_listener(channel, on_notify)
        self._listener = conn

    async def _keep_listening(self, channel: str) -> None:
        while not self.closed.is_set():
            try:
                await asyncio.wait_for(self.closed.wait(), 5.0)
                return
            except TimeoutError:
                pass
            if self._listener is not None and not self._listener.is_closed():
                continue
            try:
                await self._connect(channel)
            except Exception as error:  # the database is away: try again shortly
                log.warning("poke listener cannot reconnect: %s", type(error).__name__)
                continue
            self.poke_all()  # pokes may have been missed while the link was down

    async def close(self) -> None:
        self.closed.set()
        for subs in list(self._subs.values()):
            for sub in list(subs):
                sub.poke()
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(BaseException):
                await self._watch
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close()
