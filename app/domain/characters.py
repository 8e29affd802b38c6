"""Characters: deleting one deletes everything it owns, in one transaction."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._entity import Entity
from ._module import declare
from ._repository import Repository
from ._store import Store
from .chats import CHAT_CASCADE_TABLES, delete_chats
from .modules import delete_links_to

__all__ = ["TABLES", "Character", "CharacterRepository", "register"]

TABLES = {"characters": "id, name, folder_id, *tags, updated_at"}


class Character(Entity):
    name: str = Field(min_length=1)
    description: str = ""
    personality: str = ""
    scenario: str = ""
    first_message: str = ""
    alternate_greetings: list[str] = Field(default_factory=list)
    example_messages: str = ""
    system_prompt: str = ""
    post_history_instructions: str = ""
    creator_notes: str = ""
    avatar: str | None = None
    tags: list[str] = Field(default_factory=list)
    folder_id: str | None = None
    extensions: dict[str, Any] = Field(default_factory=dict)


class CharacterRepository(Repository[Character]):
    """Deleting a character deletes its chats (with their messages, chat lorebook
    entries and module links), its character lorebook entries, its scripts and its
    module links, all in one transaction."""

    table_name = "characters"
    model = Character
    kind = "character"
    references = (("folder_id", "folder"),)
    cascade_tables = ("chats", *CHAT_CASCADE_TABLES, "scripts")

    async def in_folder(self, folder_id: str | None) -> list[Character]:
        if folder_id is None:
            return [c for c in await self.list() if c.folder_id is None]
        return await self.where("folder_id", folder_id)

    async def with_tag(self, tag: str) -> list[Character]:
        return await self.where("tags", tag)

    async def _cascade_delete(self, entity: Character) -> None:
        store = self.store
        if store.has_table("chats"):
            chat_ids = list(
                await store.table("chats").where("character_id").equals(entity.id).primary_keys()
            )
            await delete_chats(store, chat_ids)
        for table_name in ("lorebook_entries", "scripts"):
            if store.has_table(table_name):
                table = store.table(table_name)
                await table.where("[level+scope_id]").equals(["character", entity.id]).delete()
        await delete_links_to(store, "character", [entity.id])


def register(store: Store) -> CharacterRepository:
    """Declare the characters table; return its repository."""
    return declare(store, "characters", TABLES, CharacterRepository(store))
