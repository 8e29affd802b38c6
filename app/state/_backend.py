"""What the state layer needs from storage: loaders and writers, as async callables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Protocol

__all__ = ["Backend", "Kind", "TableWatcher"]

Kind = Literal[
    "character",
    "persona",
    "preset",
    "module",
    "plugin",
    "series",
    "story",
    "folder",
    "chat",
    "message",
    "lorebook_entry",
    "script",
]
"""The entity kinds the state layer creates, updates and deletes."""


class Backend(Protocol):
    """Storage as the state layer sees it.

    Loaders return a mapping from store names of their level (see
    ``LEVEL_STORES``) to values; names left out are reset to empty. Writers
    return the entity as stored (with ids and timestamps filled in). Entities may
    be pydantic models or dicts; the state layer only reads fields from them.
    """

    async def load_settings(self) -> Any: ...

    async def load_lists(self) -> Mapping[str, Any]: ...

    async def load_character(self, character_id: str) -> Mapping[str, Any]: ...

    async def load_chat(self, chat_id: str) -> Mapping[str, Any]: ...

    async def get(self, kind: Kind, id: str) -> Any: ...

    async def create(self, kind: Kind, data: Mapping[str, Any]) -> Any: ...

    async def update(self, kind: Kind, id: str, changes: Mapping[str, Any]) -> Any: ...

    async def delete(self, kind: Kind, id: str) -> None: ...

    async def set_setting(self, key: str, value: Any) -> Any: ...

    async def set_active_preset(self, id: str) -> Any: ...

    async def attach_module(self, module_id: str, level: str, target_id: str) -> Any: ...

    async def detach_module(self, module_id: str, level: str, target_id: str) -> Any: ...

    async def create_attached_module(
        self, data: Mapping[str, Any], level: str, target_id: str
    ) -> Any:
        """Create a module, then attach it; remove it again if attaching fails."""
        ...


class TableWatcher(Protocol):
    """Optional: a backend that reports tables changed by another tab."""

    def watch_external(self, fn: Any) -> Any:
        """Call ``fn(table_names)`` after another tab commits; return an unsubscribe."""
        ...
