"""Personas: who the user speaks as in chats."""

from __future__ import annotations

from pydantic import Field

from ._entity import Entity
from ._entity_type import EntityType, Shown
from ._feature import Feature
from ._repository import Repository

__all__ = ["FEATURE", "PERSONA", "Persona", "PersonaRepository"]


class Persona(Entity):
    name: str = Field(min_length=1)
    description: str = ""
    avatar: str | None = None


class PersonaRepository(Repository[Persona]):
    """Deleting a persona clears it from chats and from the `active_persona_id` setting."""


PERSONA = EntityType(
    kind="persona",
    table="personas",
    schema="id, name, updated_at",
    model=Persona,
    repository=PersonaRepository,
    shown=(Shown("personas", "lists"),),
)

FEATURE = Feature("personas", (PERSONA,))
