"""Personas: who the user speaks as in chats."""

from __future__ import annotations

from pydantic import Field

from ._entity import Entity
from ._module import declare
from ._repository import Repository, clear_references, clear_setting
from ._store import Store

__all__ = ["TABLES", "Persona", "PersonaRepository", "register"]

TABLES = {"personas": "id, name, updated_at"}


class Persona(Entity):
    name: str = Field(min_length=1)
    description: str = ""
    avatar: str | None = None


class PersonaRepository(Repository[Persona]):
    """Deleting a persona clears it from chats and from the `active_persona_id` setting."""

    table_name = "personas"
    model = Persona
    kind = "persona"
    cascade_tables = ("chats", "settings")

    async def _cascade_delete(self, entity: Persona) -> None:
        await clear_references(self.store, "chats", "persona_id", entity.id)
        await clear_setting(self.store, "active_persona_id", entity.id)


def register(store: Store) -> PersonaRepository:
    """Declare the personas table; return its repository."""
    return declare(store, "personas", TABLES, PersonaRepository(store))
