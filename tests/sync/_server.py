"""Clients of the real server app in one process (CPython only: imports the server)."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx

from app.db import Database
from app.server import ServerConfig
from app.sync._httpx import HttpxTransport
from app.sync._replica import Replica
from app.sync._schema import SyncSchema
from tests.server._support import running_app
from tests.sync._library import SCHEMA, make_library

__all__ = [
    "PASSWORD",
    "SERVER",
    "Device",
    "asgi_transport",
    "records_of",
    "server_app",
    "sqlite_config",
]

SERVER = "http://lk.test"
#: Every test account's password.
PASSWORD = "correct horse"
_devices = itertools.count(1)


def sqlite_config(tmp_path: Path, name: str = "s.sqlite3", **options: Any) -> ServerConfig:
    """A server on a fresh SQLite file in ``tmp_path``, without the periodic purge."""
    url = f"sqlite+aiosqlite:///{tmp_path / name}"
    return ServerConfig(database_url=url, purge_interval_s=0, **options)


@contextlib.asynccontextmanager
async def server_app(tmp_path: Path, *users: str, **options: Any) -> AsyncIterator[Any]:
    """The server app (lifespan running) of ``sqlite_config``, with an account for each of
    ``users`` (password ``PASSWORD``)."""
    async with running_app(sqlite_config(tmp_path, **options)) as running:
        for user in users:
            await running.state.server.accounts.create_user(user, PASSWORD)
        yield running


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

    async def sign_in(self, username: str, password: str = PASSWORD) -> Device:
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
