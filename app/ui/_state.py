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
    from app.domain import (
        ApiKey,
        AppSettings,
        Chat,
        ImportReport,
        LorebookEntry,
        Message,
        Persona,
        PromptPreset,
        ProviderConfig,
    )
    from app.domain.files import Files
    from app.domain.library import CancelToken, ImportChoice, Incoming, Progress
    from app.state import Writing
    from app.sync import SyncStatus

__all__ = ["CharacterRecord", "ChatRecord", "SyncControls", "UiState"]


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


class SyncControls(Protocol):
    """This tab's sync as the Sync screen uses it (``app.sync.SyncService`` fits)."""

    @property
    def status(self) -> Subscribable[SyncStatus]: ...

    async def suggested_server(self) -> str | None: ...

    async def sign_in(self, server: str, username: str, password: str) -> None: ...

    async def register(self, server: str, username: str, password: str) -> None: ...

    async def sign_out(self) -> None: ...

    async def dismiss_rejected(self) -> None: ...

    def wake(self, reason: Any = "now") -> None: ...


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

    async def loaded(self) -> None:
        """Wait until every open level shows all its records (a chat opens on its newest
        messages and reads the rest right after)."""
        ...

    def close(self) -> None:
        """Stop following other tabs' changes."""
        ...

    @property
    def sync(self) -> SyncControls | None:
        """The library's sync (started on first use), if this app has one."""
        ...

    # -- writes ----------------------------------------------------------------------------
    async def create_character(self, data: Mapping[str, Any]) -> CharacterRecord: ...

    async def rename_character(self, character_id: str, name: str) -> CharacterRecord: ...

    async def delete_character(self, character_id: str) -> None: ...

    # -- the chat workspace: stores ----------------------------------------------------------
    @property
    def personas(self) -> Subscribable[Sequence[Persona]]: ...

    @property
    def active_persona(self) -> Subscribable[Persona | None]: ...

    @property
    def presets(self) -> Subscribable[Sequence[PromptPreset]]: ...

    @property
    def active_preset(self) -> Subscribable[PromptPreset | None]: ...

    @property
    def provider_configs(self) -> Subscribable[Sequence[ProviderConfig]]: ...

    @property
    def api_keys(self) -> Subscribable[Sequence[ApiKey]]: ...

    @property
    def chats(self) -> Subscribable[Sequence[Chat]]:
        """The open character's chats, newest first."""
        ...

    @property
    def messages(self) -> Subscribable[Sequence[Message]]:
        """The open chat's messages, oldest first."""
        ...

    @property
    def all_lorebooks(self) -> Subscribable[Sequence[LorebookEntry]]:
        """Every enabled entry the open chat sees."""
        ...

    @property
    def lore_cache(self) -> Any:
        """The app's ``app.lore.LayerCache`` (or None)."""
        ...

    # -- the chat workspace: writes ----------------------------------------------------------
    async def create(self, kind: str, data: Mapping[str, Any]) -> Any: ...

    async def update(self, kind: str, id: str, changes: Mapping[str, Any]) -> Any: ...

    async def delete(self, kind: str, id: str) -> None: ...

    async def set_setting(self, key: str, value: Any) -> Any: ...

    async def set_active_persona(self, persona_id: str | None) -> Any: ...

    async def set_active_preset(self, preset_id: str) -> Any: ...

    async def start_chat(self, character_id: str, data: Mapping[str, Any] | None = None) -> Any: ...

    async def branch_chat(self, chat_id: str, message_id: str) -> Any: ...

    async def delete_chat(self, chat_id: str) -> None: ...

    async def add_message(self, chat_id: str, data: Mapping[str, Any]) -> Any: ...

    async def edit_message(self, message_id: str, changes: Mapping[str, Any]) -> Any: ...

    async def delete_message(self, message_id: str) -> None: ...

    async def save_provider(
        self,
        data: Mapping[str, Any],
        *,
        config_id: str | None = None,
        api_key: str | None = None,
    ) -> Any: ...

    async def record_prompt(
        self, message_id: str, chat_id: str, alternative: int, report: Mapping[str, Any]
    ) -> Any: ...

    async def prompt_report(self, message_id: str, alternative: int) -> Any: ...

    # -- files in and out (the library) -------------------------------------------------------
    @property
    def files(self) -> Files:
        """Read files, exports, the sample library, the scopes a lorebook can go to."""
        ...

    async def import_file(
        self,
        incoming: Incoming,
        choice: ImportChoice | None = None,
        *,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> ImportReport: ...

    async def add_sample_library(self) -> ImportReport: ...

    async def remove_sample_library(self) -> None: ...
