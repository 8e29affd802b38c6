"""Chats: belong to a character (or stand alone in a folder) and own their messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from ._db_errors import translate_db_errors
from ._entity import Entity
from ._entity_type import CONTEXT, EntityType, Ref, Shown
from ._errors import FieldError, InvalidDataError, NotFoundError
from ._feature import Feature
from ._ids import UtcDateTime, format_utc, new_id
from ._repository import Repository
from .messages import Alternative, MessageRepository, refresh_chat_summary

__all__ = ["CHAT", "FEATURE", "Chat", "ChatRepository"]


class Chat(Entity):
    title: str = ""
    character_id: str | None = None
    folder_id: str | None = None
    persona_id: str | None = None
    #: A branch: the chat it was copied from, and the message the copy ends with.
    branched_from_chat_id: str | None = None
    branched_from_message_id: str | None = None
    #: Kept in step with the last message by the messages repository.
    preview: str = ""
    last_message_id: str | None = None
    last_message_at: UtcDateTime | None = None
    message_count: int = Field(default=0, ge=0)
    #: The lore engine's timed effects in this chat (sticky / cooldown per entry), as
    #: `app.lore` writes it after a scan; saved with the chat, so it survives reloads and syncs.
    lore_state: dict[str, Any] = Field(default_factory=dict)


class ChatRepository(Repository[Chat]):
    """Deleting a chat deletes its messages, chat lorebook entries and module links."""

    async def for_character(self, character_id: str) -> list[Chat]:
        chats = await self.where("character_id", character_id)
        return sorted(chats, key=_newest_first, reverse=True)

    def _messages(self) -> MessageRepository:
        return MessageRepository(self.store, self.store.registry.entity("message"))

    def _tables(self, *names: str) -> tuple[str, ...]:
        wanted = (*self.write_tables, *names)
        return tuple(dict.fromkeys(t for t in wanted if self.store.has_table(t)))

    async def start(self, character_id: str, data: Mapping[str, Any] | None = None) -> Chat:
        """A new chat with `character_id` that opens with the character's first message;
        its alternate greetings are alternatives of that message. One transaction."""
        messages = self._messages()
        tables = self._tables("characters", *messages.write_tables)
        async with translate_db_errors(), self.store.transaction("rw", *tables):
            character = await self.store.table("characters").get(character_id)
            if character is None:
                raise NotFoundError("character", character_id)
            chat = await self.create({**(data or {}), "character_id": character_id})
            greetings = [
                g
                for g in [
                    character.get("first_message", ""),
                    *character.get("alternate_greetings", []),
                ]
                if isinstance(g, str) and g.strip()
            ]
            if greetings:
                await messages.create(
                    {
                        "chat_id": chat.id,
                        "role": "assistant",
                        "name": character.get("name"),
                        "content": greetings[0],
                        "alternatives": (
                            [Alternative(content=g) for g in greetings]
                            if len(greetings) > 1
                            else []
                        ),
                    }
                )
            return await self.require(chat.id)

    async def branch(self, chat_id: str, message_id: str) -> Chat:
        """A new chat holding the conversation of `chat_id` up to `message_id` (included):
        messages with every alternative, their prompt reports, the chat's own lorebook
        entries and module links, all copied in one transaction."""
        tables = self._tables("messages", "prompt_reports", "lorebook_entries", "module_links")
        async with translate_db_errors(), self.store.transaction("rw", *tables):
            source = await self.table.get(chat_id)
            if source is None:
                raise NotFoundError("chat", chat_id)
            found = await self.store.table("messages").where("chat_id").equals(chat_id).to_array()
            found.sort(key=lambda m: (m["created_at"], m["id"]))
            position = next((i for i, m in enumerate(found) if m["id"] == message_id), None)
            if position is None:
                raise InvalidDataError(
                    [FieldError("message_id", f"no message {message_id!r} in this chat")]
                )
            now = format_utc(self.store.clock())
            title = source.get("title", "").strip()
            at = f"branch at message {position + 1}"
            copy = {
                **source,
                "id": new_id(),
                "title": f"{title} ({at})" if title else at[0].upper() + at[1:],
                "branched_from_chat_id": chat_id,
                "branched_from_message_id": message_id,
                "created_at": now,
                "updated_at": now,
            }
            branch = self._coerce(copy)
            await self._check(branch)
            await self.table.add(branch.to_record())
            new_ids = {m["id"]: new_id() for m in found[: position + 1]}
            await self.store.table("messages").bulk_add(
                [{**m, "id": new_ids[m["id"]], "chat_id": branch.id} for m in found[: position + 1]]
            )
            if self.store.has_table("prompt_reports"):
                reports = self.store.table("prompt_reports")
                kept = [
                    r
                    for r in await reports.where("chat_id").equals(chat_id).to_array()
                    if r["message_id"] in new_ids
                ]
                await reports.bulk_add(
                    [
                        {
                            **r,
                            "id": new_id(),
                            "chat_id": branch.id,
                            "message_id": new_ids[r["message_id"]],
                        }
                        for r in kept
                    ]
                )
            await self._copy_scoped(chat_id, branch.id, now)
            await refresh_chat_summary(self.store, branch.id)
            return await self.require(branch.id)

    async def _copy_scoped(self, chat_id: str, branch_id: str, now: str) -> None:
        """The chat's lorebook entries and module links, copied to the branch."""
        for table_name, level_field, id_field in (
            ("lorebook_entries", "level", "scope_id"),
            ("module_links", "target_level", "target_id"),
        ):
            if not self.store.has_table(table_name):
                continue
            table = self.store.table(table_name)
            records = (
                await table.where(f"[{level_field}+{id_field}]")
                .equals(["chat", chat_id])
                .to_array()
            )
            await table.bulk_add(
                [
                    {**r, "id": new_id(), id_field: branch_id, "created_at": now, "updated_at": now}
                    for r in records
                ]
            )


def _newest_first(chat: Chat) -> tuple[object, str]:
    return chat.updated_at, chat.id


CHAT = EntityType(
    kind="chat",
    table="chats",
    schema="id, character_id, folder_id, persona_id, branched_from_chat_id, updated_at",
    history={
        2: "id, character_id, folder_id, updated_at",
        3: "id, character_id, folder_id, persona_id, updated_at",
    },
    model=Chat,
    repository=ChatRepository,
    references=(
        Ref("character_id", "character", on_delete="cascade"),
        Ref("folder_id", "folder"),
        Ref("persona_id", "persona", on_delete="clear"),
        Ref("branched_from_chat_id", "chat", on_delete="clear"),
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
