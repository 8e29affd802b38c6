"""Chats: belong to a character (or stand alone in a folder) and own their messages."""

from __future__ import annotations

from pydantic import Field

from ._entity import Entity
from ._entity_type import CONTEXT, EntityType, Ref, Shown
from ._feature import Feature
from ._ids import UtcDateTime
from ._repository import Repository

__all__ = ["CHAT", "FEATURE", "Chat", "ChatRepository"]


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


class ChatRepository(Repository[Chat]):
    """Deleting a chat deletes its messages, chat lorebook entries and module links."""

    async def for_character(self, character_id: str) -> list[Chat]:
        chats = await self.where("character_id", character_id)
        return sorted(chats, key=_newest_first, reverse=True)


def _newest_first(chat: Chat) -> tuple[object, str]:
    return chat.updated_at, chat.id


CHAT = EntityType(
    kind="chat",
    table="chats",
    schema="id, character_id, folder_id, persona_id, updated_at",
    history={2: "id, character_id, folder_id, updated_at"},
    model=Chat,
    repository=ChatRepository,
    references=(
        Ref("character_id", "character", on_delete="cascade"),
        Ref("folder_id", "folder"),
        Ref("persona_id", "persona", on_delete="clear"),
    ),
    shown=(
        Shown(
            "chats",
            "character",
            where={"character_id": CONTEXT},
            order=_newest_first,
            descending=True,
        ),
        Shown("active_chat", "chat", single=True),
    ),
)

FEATURE = Feature("chats", (CHAT,))
