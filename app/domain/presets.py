"""Prompt presets; exactly one is active whenever any exist."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field, JsonValue

from ._db_errors import translate_db_errors
from ._entity import Entity
from ._entity_type import EntityType, Shown
from ._feature import Feature
from ._ids import format_utc
from ._repository import Repository
from ._store import Store

__all__ = ["FEATURE", "PRESET", "PromptPreset", "PromptPresetRepository"]


class PromptPreset(Entity):
    name: str = Field(min_length=1)
    system_prompt: str = ""
    template: str = ""
    parameters: dict[str, JsonValue] = Field(default_factory=dict)
    is_active: bool = False


class PromptPresetRepository(Repository[PromptPreset]):
    """Creating the first preset makes it active; activating one deactivates the
    previous one; deleting the active one activates the most recently updated other."""

    async def active(self) -> PromptPreset | None:
        for preset in await self.list():
            if preset.is_active:
                return preset
        return None

    async def _deactivate_others(self, keep_id: str) -> None:
        now = self.store.clock()
        for preset in await self.list():
            if preset.is_active and preset.id != keep_id:
                changed = preset.model_copy(update={"is_active": False, "updated_at": now})
                await self.table.put(changed.to_record())

    async def create(self, data: PromptPreset | Mapping[str, Any]) -> PromptPreset:
        async with translate_db_errors(), self.store.transaction("rw", self.table_name):
            entity = self._coerce(data)
            if not entity.is_active and await self.active() is None:
                entity = entity.model_copy(update={"is_active": True})
            created = await super().create(entity)
            if created.is_active:
                await self._deactivate_others(created.id)
            return created

    async def update(self, id: str, changes: Mapping[str, Any]) -> PromptPreset:
        async with translate_db_errors(), self.store.transaction("rw", self.table_name):
            before = await self.require(id)
            if before.is_active and changes.get("is_active") is False:
                changes = {k: v for k, v in changes.items() if k != "is_active"}
            updated = await super().update(id, changes)
            if updated.is_active and not before.is_active:
                await self._deactivate_others(id)
            return updated

    async def set_active(self, id: str) -> PromptPreset:
        """Make `id` the active preset (the previous one is deactivated atomically)."""
        return await self.update(id, {"is_active": True})

    async def delete(self, id: str) -> None:
        async with translate_db_errors(), self.store.transaction("rw", self.table_name):
            doomed = await self.require(id)
            await self.table.delete(id)
            if doomed.is_active:
                rest = sorted(await self.list(), key=lambda p: (p.updated_at, p.id))
                if rest:
                    successor = rest[-1].model_copy(
                        update={"is_active": True, "updated_at": self.store.clock()}
                    )
                    await self.table.put(successor.to_record())


PRESET = EntityType(
    kind="preset",
    table="prompt_presets",
    schema="id, name, updated_at",
    since=2,
    model=PromptPreset,
    repository=PromptPresetRepository,
    label="prompt preset",
    section="presets",
    shown=(Shown("presets", "lists"),),
)

async def _one_active_after_import(
    store: Store, writes: Mapping[str, list[dict[str, Any]]]
) -> None:
    """After an import wrote presets, exactly one is active: the last imported active
    one, else the one active before, else the most recently updated."""
    imported = writes.get("prompt_presets")
    if not imported:
        return
    preferred = next((p["id"] for p in reversed(imported) if p.get("is_active")), None)
    table = store.table("prompt_presets")
    presets = await table.to_array()
    active = [p for p in presets if p.get("is_active")]
    keep = preferred or (active[0]["id"] if active else None)
    if keep is None:
        keep = max(presets, key=lambda p: (p["updated_at"], p["id"]))["id"]
    now = format_utc(store.clock())
    for preset in presets:
        should = preset["id"] == keep
        if bool(preset.get("is_active")) != should:
            await table.put({**preset, "is_active": should, "updated_at": now})


FEATURE = Feature("presets", (PRESET,), after_import=_one_active_after_import)
