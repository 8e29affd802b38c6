"""The server's database: one async engine, migrations on start, serialised writes."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

__all__ = ["MIGRATIONS", "ServerDatabase"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: An arbitrary key for the advisory lock that keeps two starting processes from
#: migrating a PostgreSQL database at the same time.
_MIGRATION_LOCK = 7_140_014
#: Alembic keeps its running context in module globals, so two migrations in one
#: process (two apps in a test, say) take turns.
_in_process: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary())


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                   "busy_timeout=10000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _upgrade(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


class ServerDatabase:
    """The engine plus the two ways in: ``read()`` and ``write()`` (one transaction each).

    SQLite has one writer at a time: writes in this process wait for each other here
    instead of failing with "database is locked". PostgreSQL writers of one user are
    serialised by a row lock taken inside the transaction (see ``_push``).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.is_postgres = url.startswith("postgresql")
        if self.is_sqlite:
            path = url.split(":///", 1)[1] if ":///" in url else ""
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.engine: AsyncEngine = create_async_engine(url)
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_async_engine(url, pool_size=10, max_overflow=20,
                                              pool_pre_ping=True)
        self._write_lock = asyncio.Lock() if self.is_sqlite else None

    async def migrate(self) -> None:
        """Bring the schema to the newest migration (a no-op when it is there)."""
        lock = _in_process.setdefault(asyncio.get_running_loop(), asyncio.Lock())
        async with lock, self.engine.begin() as conn:
            if self.is_postgres:
                await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                   {"key": _MIGRATION_LOCK})
            await conn.run_sync(_upgrade)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as conn:
            yield conn

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """One write transaction: committed when the block ends, rolled back on error."""
        if self._write_lock is None:
            async with self.engine.begin() as conn:
                yield conn
            return
        async with self._write_lock, self.engine.begin() as conn:
            yield conn

    async def dispose(self) -> None:
        await self.engine.dispose()
