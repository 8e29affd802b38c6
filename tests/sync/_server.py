"""Clients of the real server app in one process (CPython only: imports the server)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import httpx

from app.db import Database
from app.sync._httpx import HttpxTransport
from app.sync._replica import Replica
from app.sync._schema import SyncSchema
from tests.sync._library import SCHEMA, make_library

__all__ = ["SERVER", "Device", "asgi_transport", "records_of"]

SERVER = "http://lk.test"
_devices = itertools.count(1)


def asgi_transport(app: Any) -> HttpxTransport:
    return HttpxTransport(httpx.AsyncClient(transport=httpx.ASGITransport(app),
                                            base_url=SERVER, timeout=60))


class Device:
    """A browser profile: its own library database and a replica talking to ``app``."""

    def __init__(self, app: Any, *, schema: SyncSchema = SCHEMA,
                 now_ms: Callable[[], int] | None = None, transport: Any = None,
                 name: str | None = None) -> None:
        self.name = name or f"device{next(_devices)}"
        self.db: Database = make_library(now_ms=now_ms)
        self.transport = transport or asgi_transport(app)
        kwargs: dict[str, Any] = {} if now_ms is None else {"now_ms": now_ms}
        self.replica = Replica(self.db, schema, self.transport, **kwargs)

    async def open(self) -> Device:
        await self.db.open()
        return self

    async def sign_in(self, username: str, password: str = "correct horse") -> Device:
        await self.replica.sign_in(SERVER, username, password)
        return self

    async def sync(self) -> None:
        await self.replica.sync_once()

    async def close(self) -> None:
        self.db.close()
        await self.db.delete()
        if hasattr(self.transport, "aclose"):
            await self.transport.aclose()


async def records_of(db: Database, table: str = "notes") -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in await db.table(table).to_array()}
