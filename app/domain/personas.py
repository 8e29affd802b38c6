"""Personas: who the user speaks as in chats."""

from __future__ import annotations

from pydantic import Field

from ._entity import Entity
from ._module import declare
from ._repository import Repository
from ._store import Store

__all__ = ["TABLES", "Persona", "PersonaRepository", "register"]

TABLES = {"personas": "id, name, updated_at"}


class Persona(Entity):
    name: str = Field(min_length=1)
    description: str = ""
    avatar: str | None = None


class PersonaRepository(Repository[Persona]):
    table_name = "personas"
    model = Persona
    kind = "persona"


def register(store: Store) -> PersonaRepository:
    """Declare the personas table; return its repository."""
    return declare(store, "personas", TABLES, PersonaRepository(store))
