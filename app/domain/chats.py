"""Chats: belong to a character (or stand alone in a folder) and own their messages."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._entity import Entity
from ._ids import UtcDateTime
from ._module import declare
from ._repository import Repository
from ._store import Store
from .modules import delete_links_to

__all__ = ["CHAT_CASCADE_TABLES", "TABLES", "Chat", "ChatRepository", "delete_chats", "register"]

TABLES = {"chats": "id, character_id, folder_id, persona_id, updated_at"}

#: Tables a chat's deletion touches.
CHAT_CASCADE_TABLES: tuple[str, ...] = ("messages", "lorebook_entries", "module_links")


class Chat(Entity):
    title: str = ""
    character_id: str | None = None
    folder_id: str | None = None
    persona_id: str | None = None
    #: Kept in step with the last message by the messages repository.
    preview: str = ""
    last_message_id: str | None = None
    last_message_at: UtcDateTime | None = None
    message_count: int = Field(default=0, ge=0)
    #: The lore engine's timed effects in this chat (sticky / cooldown per entry), as
    #: `app.lore` writes it after a scan; saved with the chat, so it survives reloads and syncs.
    lore_state: dict[str, Any] = Field(default_factory=dict)


async def delete_chats(store: Store, chat_ids: list[str]) -> None:
    """Delete chats with their messages, chat lorebook entries and module links.

    Must run inside a transaction over `chats` and `CHAT_CASCADE_TABLES`.
    """
    if store.has_table("messages"):
        messages = store.table("messages")
        for chat_id in chat_ids:
            await messages.where("chat_id").equals(chat_id).delete()
    if store.has_table("lorebook_entries"):
        entries = store.table("lorebook_entries")
        for chat_id in chat_ids:
            await entries.where("[level+scope_id]").equals(["chat", chat_id]).delete()
    await delete_links_to(store, "chat", chat_ids)
    await store.table("chats").bulk_delete(chat_ids)


class ChatRepository(Repository[Chat]):
    table_name = "chats"
    model = Chat
    kind = "chat"
    references = (
        ("character_id", "character"),
        ("folder_id", "folder"),
        ("persona_id", "persona"),
    )
    cascade_tables = CHAT_CASCADE_TABLES

    async def for_character(self, character_id: str) -> list[Chat]:
        chats = await self.where("character_id", character_id)
        return sorted(chats, key=lambda c: (c.updated_at, c.id), reverse=True)

    async def in_folder(self, folder_id: str) -> list[Chat]:
        return await self.where("folder_id", folder_id)

    async def _cascade_delete(self, entity: Chat) -> None:
        await delete_chats(self.store, [entity.id])


def register(store: Store) -> ChatRepository:
    """Declare the chats table; return its repository."""
    return declare(store, "chats", TABLES, ChatRepository(store))
