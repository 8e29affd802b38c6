"""What syncs: the synced tables with their device-only fields, and the sync's own tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["META", "OUTBOX", "STATE", "SYNC_TABLES", "SyncSchema"]

OUTBOX = "sync_outbox"
META = "sync_meta"
STATE = "sync_state"

#: The sync's local-only tables (Dexie schema strings), for the domain's schema history:
#: - ``sync_outbox``: one row per local write to synced tables, ``[seq+part]`` (``seq``
#:   is the batch number sent to the server, ``part`` orders rows of one batch);
#: - ``sync_meta``: per record, the HLC of each field's last write and, for a deleted
#:   record, its tombstone (the record leaves its own table, so it never shows);
#: - ``sync_state``: small rows by ``key`` (the writer's clock and batch counter, the
#:   link to the server with its session and pull cursor).
SYNC_TABLES: dict[str, str] = {
    OUTBOX: "[seq+part]",
    META: "[table+id]",
    STATE: "key",
}


@dataclass(frozen=True)
class SyncSchema:
    """Which tables sync, and for each the fields that never leave the device.

    Taken from the domain's entity registry in the app (``from_registry``); tests build
    one by hand: ``SyncSchema({"characters": frozenset(), "provider_configs":
    frozenset({"api_key_id"})})``.
    """

    tables: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        clash = set(self.tables) & set(SYNC_TABLES)
        if clash:
            raise ValueError(f"the sync's own tables cannot sync: {sorted(clash)}")

    def syncs(self, table: str) -> bool:
        return table in self.tables

    def local_fields(self, table: str) -> frozenset[str]:
        return self.tables.get(table, frozenset())

    def any_synced(self, tables: Iterable[str]) -> bool:
        return any(t in self.tables for t in tables)
