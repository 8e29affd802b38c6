"""Scripts: find/replace text transforms, global or owned by a character or a module."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from ._entity import Entity
from ._entity_type import CONTEXT, EntityType, InStore, Ref, Shown
from ._feature import Feature
from ._repository import Repository
from ._scope import check_scope_id

__all__ = ["FEATURE", "SCRIPT", "Script", "ScriptLevel", "ScriptRepository"]

ScriptLevel = Literal["global", "character", "module"]
Placement = Literal["input", "output", "display", "prompt"]
_OUTPUT: list[Placement] = ["output"]


class Script(Entity):
    name: str = Field(min_length=1)
    level: ScriptLevel = "global"
    scope_id: str | None = Field(default=None, validate_default=True)
    is_regex: bool = False
    find: str = Field(min_length=1)
    replace: str = ""
    flags: str = ""
    placement: list[Placement] = Field(default_factory=lambda: _OUTPUT.copy())
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
    async def for_scope(self, level: ScriptLevel, scope_id: str | None = None) -> list[Script]:
        if level == "global":
            items = await self.where("level", "global")
        else:
            items = await self.where("[level+scope_id]", [level, scope_id])
        return sorted(items, key=_in_order)


def _in_order(script: Script) -> tuple[object, ...]:
    return script.order, script.created_at, script.id
SCRIPT = EntityType(
    kind="script",
    table="scripts",
    schema="id, level, scope_id, [level+scope_id], updated_at",
    since=2,
    model=Script,
    repository=ScriptRepository,
    references=(
        Ref(
            "scope_id",
            by="level",
            kinds=("character", "module"),
            required=True,
            on_delete="cascade",
        ),
    ),
    shown=(
        Shown("global_scripts", "lists", where={"level": "global"}, order=_in_order),
        Shown(
            "character_scripts",
            "character",
            where={"level": "character", "scope_id": CONTEXT},
            order=_in_order,
        ),
        Shown(
            "module_scripts",
            "character",
            where={"level": "module", "scope_id": InStore("character_modules")},
            order=_in_order,
        ),
        Shown(
            "chat_module_scripts",
            "chat",
            where={"level": "module", "scope_id": InStore("chat_modules")},
            order=_in_order,
        ),
    ),
)

FEATURE = Feature("scripts", (SCRIPT,))
