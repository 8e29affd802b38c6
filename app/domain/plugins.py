"""Plugins: user-installed code or URLs with their own configuration."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._entity import Entity
from ._module import declare
from ._repository import Repository
from ._store import Store

__all__ = ["TABLES", "Plugin", "PluginRepository", "register"]

TABLES = {"plugins": "id, name, updated_at"}


class Plugin(Entity):
    name: str = Field(min_length=1)
    version: str = "0.0.0"
    source: str = ""
    enabled: bool = True
    config: dict[str, Any] = Field(default_factory=dict)


class PluginRepository(Repository[Plugin]):
    table_name = "plugins"
    model = Plugin
    kind = "plugin"

    async def enabled(self) -> list[Plugin]:
        return [p for p in await self.list() if p.enabled]


def register(store: Store) -> PluginRepository:
    """Declare the plugins table; return its repository."""
    return declare(store, "plugins", TABLES, PluginRepository(store))
