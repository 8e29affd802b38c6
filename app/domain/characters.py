"""Characters: deleting one deletes everything it owns, in one transaction."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._entity import Entity
from ._entity_type import EntityType, Ref, Shown
from ._feature import Feature
from ._repository import Repository

__all__ = ["CHARACTER", "FEATURE", "Character", "CharacterRepository"]


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
    module links, all in one transaction (each of those declares it)."""


CHARACTER = EntityType(
    kind="character",
    table="characters",
    schema="id, name, folder_id, *tags, updated_at",
    model=Character,
    repository=CharacterRepository,
    references=(Ref("folder_id", "folder"),),
    shown=(
        Shown("characters", "lists"),
        Shown("active_character", "character", single=True),
    ),
)

FEATURE = Feature("characters", (CHARACTER,))
