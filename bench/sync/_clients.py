"""CPython devices for the benchmark: a memory library, the outbox layer, httpx."""

from __future__ import annotations

import itertools
import time
from typing import Any

from app.db import Database
from app.sync import SYNC_TABLES, Replica, SyncSchema, outbox_layer
from app.sync._httpx import HttpxTransport

__all__ = ["SCHEMA", "STORES", "Device", "character"]

SCHEMA = SyncSchema({"characters": frozenset()})
STORES = {"characters": "id, name, updated_at", **SYNC_TABLES}
_names = itertools.count(1)
_TEXT = ("A wandering bard with a silver lute, who remembers every song she has ever "
         "heard and trades them for stories. ")


def character(n: int, prefix: str = "c") -> dict[str, Any]:
    """A character-sized record (~700 bytes of JSON)."""
    return {"id": f"{prefix}{n:07d}", "name": f"Character {n}", "description": _TEXT * 2,
            "personality": "curious, kind", "scenario": "a tavern at dusk",
            "first_message": "Well met, traveller.", "tags": ["bard", "npc"],
            "created_at": "2026-12-01T10:00:00.000Z", "updated_at": "2026-12-01T10:00:00.000Z"}


class Device:
    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.db = Database(f"bench-{next(_names)}", backend="memory")
        self.db.version(1).stores(STORES)
        self.db.use(outbox_layer(SCHEMA))
        self.transport = HttpxTransport(base_url=origin)
        self.replica = Replica(self.db, SCHEMA, self.transport)

    async def open(self, user: str, password: str) -> Device:
        await self.db.open()
        await self.replica.sign_in(self.origin, user, password)
        return self

    async def write(self, records: list[dict[str, Any]], per_transaction: int) -> None:
        for start in range(0, len(records), per_transaction):
            await self.db.table("characters").bulk_put(records[start:start + per_transaction])

    async def timed_sync(self) -> float:
        started = time.perf_counter()
        await self.replica.sync_once()
        return time.perf_counter() - started

    async def close(self) -> None:
        await self.transport.aclose()
        self.db.close()
