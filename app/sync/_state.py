"""The sync's small persisted rows in ``sync_state`` (one IndexedDB table, by ``key``).

``writer`` is read and written inside every recording transaction, so it is tiny:
the client id, the next batch number, the clock, whether writes are recorded, the
baseline HLC of records that existed before recording started, and the correction
of this device's wall clock learned from the server.

``link`` says where this library syncs: server, account, session token, pull cursor,
the first push of an existing library (``snapshot``), changes the server rejected.
"""

from __future__ import annotations

import uuid
from typing import Any, TypedDict

__all__ = ["LINK", "WRITER", "LinkRow", "Rejection", "WriterRow", "new_client_id", "new_writer"]

WRITER = "writer"
LINK = "link"


class WriterRow(TypedDict):
    key: str
    client_id: str
    next_seq: int
    clock: str | None
    recording: bool
    baseline: str | None
    offset_ms: int


class Rejection(TypedDict):
    table: str
    id: str
    reason: str
    at_ms: int


class LinkRow(TypedDict, total=False):
    key: str
    server: str
    username: str
    user_id: str
    token: str | None
    cursor: int
    #: the first push of the library that was there before syncing started:
    #: {"tables": [...], "index": i, "after": last id pushed of tables[i]} or None
    snapshot: dict[str, Any] | None
    snapshot_total: int
    snapshot_done: int
    rejected: list[Rejection]
    last_synced_ms: int | None
    #: set once the first pull from 0 completed
    pulled_once: bool


def new_client_id() -> str:
    return str(uuid.uuid4())


def new_writer() -> WriterRow:
    return {"key": WRITER, "client_id": new_client_id(), "next_seq": 1, "clock": None,
            "recording": False, "baseline": None, "offset_ms": 0}
