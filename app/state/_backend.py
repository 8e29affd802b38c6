"""What the state layer needs from storage: its layout, loaders and writers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from ._layout import Layout
from ._levels import Level
from ._loader import Source

if TYPE_CHECKING:
    from app.domain import Domain
    from app.domain.files import Files

__all__ = ["Backend", "ExternalListener"]

ExternalListener = Callable[[list[str]], Any]
"""Called with the names of the tables another tab (or connection) committed to."""


class Backend(Source, Protocol):
    """Storage as the state layer sees it.

    `layout` says which stores exist and what they show. `load(level, key)` returns the
    values of every store of that level (see `load_level`, which a backend may use).
    Writers return the entity as stored (ids and timestamps filled in). Entities may be
    pydantic models or dicts; the state layer only reads fields from them. Kinds are the
    registry's (`"character"`, `"lorebook_entry"`, ...).
    """

    @property
    def layout(self) -> Layout: ...

    @property
    def domain(self) -> Domain:
        """The repositories themselves, for the pages that show records no level holds
        (``AppState.writing``)."""
        ...

    async def load_settings(self) -> Any: ...

    async def load(self, level: Level, key: Any, *, partial: bool = False) -> Mapping[str, Any]:
        """The level's stores; ``partial``: stores declaring ``latest`` hold only their
        newest records (the state loads the rest right after)."""
        ...

    def entities(self, kind: str, records: list[dict[str, Any]]) -> list[Any]:
        """``kind`` entities of records as stored (what an import reports it wrote)."""
        ...

    async def create(self, kind: str, data: Mapping[str, Any]) -> Any: ...

    async def update(self, kind: str, id: str, changes: Mapping[str, Any]) -> Any: ...

    async def delete(self, kind: str, id: str) -> None: ...

    async def set_setting(self, key: str, value: Any) -> Any: ...

    async def set_active_preset(self, id: str) -> Any: ...

    async def attach_module(self, module_id: str, level: str, target_id: str) -> Any: ...

    async def detach_module(self, module_id: str, level: str, target_id: str) -> Any: ...

    async def create_attached_module(
        self, data: Mapping[str, Any], level: str, target_id: str
    ) -> Any:
        """Create a module, then attach it; remove it again if attaching fails."""
        ...

    async def start_chat(self, character_id: str, data: Mapping[str, Any]) -> Any:
        """A new chat with its character's greeting; returns the chat."""
        ...

    async def branch_chat(self, chat_id: str, message_id: str) -> Any:
        """A copy of the chat up to the message; returns the new chat."""
        ...

    async def save_provider(
        self, data: Mapping[str, Any], *, config_id: str | None, api_key: str | None
    ) -> Any:
        """Create or update a provider config with its key, atomically; returns the config."""
        ...

    async def record_prompt(
        self, message_id: str, chat_id: str, alternative: int, report: Mapping[str, Any]
    ) -> Any: ...

    async def prompt_report(self, message_id: str, alternative: int) -> Any:
        """The report's JSON (a mapping), or None."""
        ...

    def watch_external(self, fn: ExternalListener) -> Callable[[], None]:
        """Call `fn(table_names)` after another tab commits; return an unsubscribe."""
        ...

    @property
    def files(self) -> Files:
        """Files in and out of the library (import, exports, the sample library)."""
        ...
