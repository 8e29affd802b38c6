"""Sync targets: where the user's data is pushed and pulled."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ._entity import Entity
from ._ids import UtcDateTime
from ._module import declare
from ._repository import Repository
from ._store import Store

__all__ = ["TABLES", "SyncTarget", "SyncTargetRepository", "register"]

TABLES = {"sync_targets": "id, name, updated_at"}


class SyncTarget(Entity):
    name: str = Field(min_length=1)
    kind: Literal["server", "git"] = "server"
    url: str = Field(min_length=1)
    username: str | None = None
    branch: str | None = None
    enabled: bool = True
    last_synced_at: UtcDateTime | None = None


class SyncTargetRepository(Repository[SyncTarget]):
    table_name = "sync_targets"
    model = SyncTarget
    kind = "sync target"


def register(store: Store) -> SyncTargetRepository:
    """Declare the sync_targets table; return its repository."""
    return declare(store, "sync_targets", TABLES, SyncTargetRepository(store))
