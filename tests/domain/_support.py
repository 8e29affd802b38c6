"""Shared helpers for domain tests (importable in CPython and in the browser)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from app.db import Database
from app.domain import new_id


class FakeClock:
    """Deterministic clock: every reading is one second after the previous one."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def memory_db() -> Database:
    """A fresh database: memory in CPython; in the browser tier, real IndexedDB."""
    backend = "indexeddb" if sys.platform == "emscripten" else "memory"
    return Database(f"domain-test-{new_id()}", backend=backend)


async def dump_tables(db: Database) -> dict[str, list[dict]]:
    """Every entity table's records, sorted by primary key (bookkeeping tables, such as
    the sync's, left out)."""
    from app.domain import default_registry

    local = {t.name for t in default_registry().local_tables}
    out = {}
    for table in db.tables:
        if table.name not in local:
            out[table.name] = await table.to_array()
    return out


class FaultInjector:
    """A DBCore middleware that makes writes to chosen tables fail (`db.use(injector)`)."""

    def __init__(self) -> None:
        self.failing: dict[str, BaseException] = {}
        self.writes: list[str] = []

    def fail_writes(self, table: str, error: BaseException) -> None:
        self.failing[table] = error

    def heal(self) -> None:
        self.failing.clear()

    def __call__(self, down):
        from app.db import DBCoreLayer, DBCoreTableLayer

        injector = self

        class _Table(DBCoreTableLayer):
            async def mutate(self, trans, req):
                injector.writes.append(self.name)
                error = injector.failing.get(self.name)
                if error is not None:
                    raise error
                return await self.down.mutate(trans, req)

        class _Layer(DBCoreLayer):
            def wrap_table(self, table):
                return _Table(table)

        return _Layer(down)
