"""Sync targets: where the user's data is pushed and pulled."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ._entity import Entity
from ._entity_type import EntityType
from ._feature import Feature
from ._ids import UtcDateTime
from ._repository import Repository

__all__ = ["FEATURE", "SYNC_TARGET", "SyncTarget", "SyncTargetRepository"]


class SyncTarget(Entity):
    name: str = Field(min_length=1)
    kind: Literal["server", "git"] = "server"
    url: str = Field(min_length=1)
    username: str | None = None
    branch: str | None = None
    enabled: bool = True
    last_synced_at: UtcDateTime | None = None


class SyncTargetRepository(Repository[SyncTarget]):
    pass


SYNC_TARGET = EntityType(
    kind="sync_target",
    table="sync_targets",
    schema="id, name, updated_at",
    since=2,
    model=SyncTarget,
    repository=SyncTargetRepository,
    syncs=False,  # where this device syncs to is the device's own business
)

FEATURE = Feature("sync_targets", (SYNC_TARGET,))
