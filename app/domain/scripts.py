"""Scripts: find/replace text transforms, global or owned by a character or a module."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from ._entity import Entity
from ._module import declare
from ._repository import Repository, check_reference
from ._scope import check_scope_id
from ._store import Store

__all__ = ["TABLES", "Script", "ScriptLevel", "ScriptRepository", "register"]

TABLES = {"scripts": "id, level, scope_id, [level+scope_id], updated_at"}

ScriptLevel = Literal["global", "character", "module"]
Placement = Literal["input", "output", "display", "prompt"]


class Script(Entity):
    name: str = Field(min_length=1)
    level: ScriptLevel = "global"
    scope_id: str | None = Field(default=None, validate_default=True)
    is_regex: bool = False
    find: str = Field(min_length=1)
    replace: str = ""
    flags: str = ""
    placement: list[Placement] = Field(default_factory=lambda: ["output"])
    enabled: bool = True
    order: int = 0

    _scope_matches_level = field_validator("scope_id")(check_scope_id)

    @field_validator("find")
    @classmethod
    def _valid_pattern(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("is_regex"):
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"invalid regular expression: {exc}") from None
        return value


class ScriptRepository(Repository[Script]):
    table_name = "scripts"
    model = Script
    kind = "script"
    extra_write_tables = ("characters", "modules")

    async def _check(self, entity: Script) -> None:
        if entity.level != "global":
            await check_reference(self.store, "scope_id", entity.level, entity.scope_id)

    async def for_scope(self, level: ScriptLevel, scope_id: str | None = None) -> list[Script]:
        if level == "global":
            items = await self.where("level", "global")
        else:
            items = await self.where("[level+scope_id]", [level, scope_id])
        return sorted(items, key=lambda s: (s.order, s.created_at, s.id))


def register(store: Store) -> ScriptRepository:
    """Declare the scripts table; return its repository."""
    return declare(store, "scripts", TABLES, ScriptRepository(store))
