"""Plugins: user-installed code or URLs with their own configuration."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._entity import Entity
from ._entity_type import EntityType, Shown
from ._feature import Feature
from ._repository import Repository

__all__ = ["FEATURE", "PLUGIN", "Plugin", "PluginRepository"]


class Plugin(Entity):
    name: str = Field(min_length=1)
    version: str = "0.0.0"
    source: str = ""
    enabled: bool = True
    config: dict[str, Any] = Field(default_factory=dict)


class PluginRepository(Repository[Plugin]):
    async def enabled(self) -> list[Plugin]:
        return [p for p in await self.list() if p.enabled]


PLUGIN = EntityType(
    kind="plugin",
    table="plugins",
    schema="id, name, updated_at",
    since=2,
    model=Plugin,
    repository=PluginRepository,
    shown=(Shown("plugins", "lists"),),
)

FEATURE = Feature("plugins", (PLUGIN,))
