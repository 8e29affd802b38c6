"""The state seam: what screens read from ``app.state`` and the operations they call.

``app.state.AppState`` satisfies :class:`UiState` (mypy checks it where the boot hands
the state to ``start``). Stores are typed with ``app.reactive``'s covariant
``Subscribable``, so a state whose views hold a narrower record type still fits. Records
are read through small Protocols naming only the fields screens use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from app.reactive import Subscribable

if TYPE_CHECKING:
    from app.domain import AppSettings
    from app.state import Writing

__all__ = ["CharacterRecord", "ChatRecord", "UiState"]


class CharacterRecord(Protocol):
    """A character as screens read it."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


class ChatRecord(Protocol):
    """A chat as screens read it."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def character_id(self) -> str | None: ...


class UiState(Protocol):
    """The part of ``app.state.AppState`` the UI uses.

    Opening a level raises ``LookupError`` (the domain's ``NotFoundError`` is one) when
    its record does not exist, and returns ``False`` when a later navigation overtook it.
    """

    # -- stores (readonly views) ------------------------------------------------------------
    @property
    def characters(self) -> Subscribable[Sequence[CharacterRecord]]: ...

    @property
    def active_character(self) -> Subscribable[CharacterRecord | None]: ...

    @property
    def active_character_id(self) -> Subscribable[str | None]: ...

    @property
    def active_chat(self) -> Subscribable[ChatRecord | None]: ...

    @property
    def active_chat_id(self) -> Subscribable[str | None]: ...

    @property
    def settings(self) -> Subscribable[AppSettings | None]:
        """Every setting (defaults filled in); ``None`` until loaded."""
        ...

    @property
    def writing(self) -> Writing:
        """Series, stories, chapters, scene beats and every scope's lorebook (live)."""
        ...

    # -- levels ----------------------------------------------------------------------------
    async def load_global(self) -> bool: ...

    async def load_lists(self) -> bool: ...

    async def open_character(self, character_id: str) -> bool: ...

    async def open_chat(self, chat_id: str) -> bool: ...

    def close_character(self) -> None: ...

    def close_chat(self) -> None: ...

    def close(self) -> None:
        """Stop following other tabs' changes."""
        ...

    # -- writes ----------------------------------------------------------------------------
    async def create_character(self, data: Mapping[str, Any]) -> CharacterRecord: ...

    async def rename_character(self, character_id: str, name: str) -> CharacterRecord: ...

    async def delete_character(self, character_id: str) -> None: ...

    async def set_setting(self, key: str, value: Any) -> Any: ...
