"""Shared helpers for domain tests (importable in CPython and in the browser)."""

from __future__ import annotations

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
    return Database(f"domain-test-{new_id()}", backend="memory")


async def dump_tables(db: Database) -> dict[str, list[dict]]:
    """Every table's records, sorted by primary key."""
    out = {}
    for table in db.tables:
        out[table.name] = await table.to_array()
    return out
