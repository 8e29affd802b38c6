"""A small library database with the outbox layer (browser-safe: no server imports)."""

from __future__ import annotations

import itertools
import os
import random
from collections.abc import Callable
from typing import Any

from app.db import Database
from app.sync._outbox import outbox_layer, writer_clock
from app.sync._schema import SYNC_TABLES, SyncSchema
from app.sync._state import WRITER, new_writer

__all__ = ["SCHEMA", "STORES", "make_library", "start_recording", "unique_name"]

#: "notes" sync whole; "keys" sync without their "secret"; "plain" never syncs.
SCHEMA = SyncSchema({"notes": frozenset(), "keys": frozenset({"secret"})})
STORES = {"notes": "id, title", "keys": "id", "plain": "id", **SYNC_TABLES}
_counter = itertools.count()
_RUN = f"{os.getpid()}-{random.randrange(1 << 30)}"


def unique_name(prefix: str = "sync") -> str:
    return f"{prefix}-{_RUN}-{next(_counter)}"


def make_library(name: str | None = None, *, schema: SyncSchema = SCHEMA,
                 stores: dict[str, str] | None = None,
                 on_outbox: Callable[[], None] | None = None,
                 now_ms: Callable[[], int] | None = None, **kwargs: Any) -> Database:
    db = Database(name or unique_name(), **kwargs)
    db.version(1).stores(stores or STORES)
    if now_ms is None:
        db.use(outbox_layer(schema, on_outbox))
    else:
        db.use(outbox_layer(schema, on_outbox, now_ms))
    return db


async def start_recording(db: Database) -> dict[str, Any]:
    """What signing in does to the writer row, without a server."""
    writer = await db.table("sync_state").get(WRITER) or new_writer()
    clock = writer_clock(writer)
    writer["recording"], writer["baseline"] = True, clock.tick()
    writer["clock"] = clock.last
    await db.table("sync_state").put(writer)
    return dict(writer)
