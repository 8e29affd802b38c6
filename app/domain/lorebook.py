"""Lorebook entries: one model for every level (global, series, story, character, chat, module)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, get_args

from pydantic import Field, field_validator, model_validator

from ._db_errors import translate_db_errors
from ._entity import Entity
from ._entity_type import CONTEXT, EntityType, InStore, Ref, Shown
from ._feature import Feature
from ._repository import Repository, require_record
from ._scope import check_scope_id

__all__ = [
    "FEATURE",
    "LEVELS",
    "LOREBOOK_ENTRY",
    "SCOPED_LEVELS",
    "LorebookEntry",
    "LorebookLevel",
    "LorebookRepository",
    "SelectiveLogic",
    "upgrade_story_entries_to_levels",
]

LorebookLevel = Literal["global", "series", "story", "character", "chat", "module"]
SelectiveLogic = Literal["and_any", "and_all", "not_any", "not_all"]

LEVELS: tuple[str, ...] = get_args(LorebookLevel)
SCOPED_LEVELS: tuple[str, ...] = tuple(level for level in LEVELS if level != "global")


class LorebookEntry(Entity):
    """A lorebook entry. `scope_id` is None exactly when `level` is "global".

    Unknown fields given to `parse`/`model_validate` are moved into `extensions`, so
    data from imported files round-trips verbatim.
    """

    level: LorebookLevel
    scope_id: str | None = Field(default=None, validate_default=True)
    name: str = ""
    content: str = ""
    keys: list[str] = Field(default_factory=list)
    secondary_keys: list[str] = Field(default_factory=list)
    selective_logic: SelectiveLogic = "and_any"
    category: str | None = None
    tags: list[str] = Field(default_factory=list)
    enabled: bool = True
    constant: bool = False
    case_sensitive: bool | None = None
    match_whole_words: bool | None = None
    probability: int = Field(default=100, ge=0, le=100)
    insertion_order: int = 100
    priority: int = 0
    position: str = "after_char"
    depth: int | None = Field(default=None, ge=0)
    scan_depth: int | None = Field(default=None, ge=0)
    exclude_recursion: bool = False
    prevent_recursion: bool = False
    delay_until_recursion: bool = False
    extensions: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _unknown_fields_to_extensions(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        unknown = {k: v for k, v in data.items() if k not in cls.model_fields}
        if not unknown:
            return data
        known = {k: v for k, v in data.items() if k in cls.model_fields}
        extensions = known.get("extensions", {})
        if isinstance(extensions, dict):  # otherwise let field validation report it
            known["extensions"] = {**unknown, **extensions}
        return known

    _scope_matches_level = field_validator("scope_id")(check_scope_id)


#: The order entries are returned in, per view.
_LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}


def _entry_order(entry: LorebookEntry) -> tuple[object, ...]:
    return _LEVEL_RANK[entry.level], entry.insertion_order, entry.created_at, entry.id


def _ordered(entries: Iterable[LorebookEntry]) -> list[LorebookEntry]:
    return sorted(entries, key=_entry_order)


class LorebookRepository(Repository[LorebookEntry]):
    """Entries of every level; `scope_id` must name an existing scope of that level."""

    # -- retrieval ----------------------------------------------------------------------
    async def by_level(
        self, level: LorebookLevel, scope_id: str | None = None, *, include_disabled: bool = True
    ) -> list[LorebookEntry]:
        """Entries of one level (`scope_id` ignored for global), disabled ones included
        unless `include_disabled=False`."""
        async with translate_db_errors():
            if level == "global":
                records = await self.table.where("level").equals("global").to_array()
            else:
                if scope_id is None:
                    records = await self.table.where("level").equals(level).to_array()
                else:
                    records = (
                        await self.table.where("[level+scope_id]")
                        .equals([level, scope_id])
                        .to_array()
                    )
        entries = [self.load(r) for r in records]
        if not include_disabled:
            entries = [e for e in entries if e.enabled]
        return _ordered(entries)

    async def for_story(self, story_id: str) -> list[LorebookEntry]:
        """What a story sees: enabled global + its series' + its own entries."""
        async with translate_db_errors(), self.store.transaction("r", self.table_name, "stories"):
            story = await require_record(self.store, "stories", story_id, "story")
            entries = await self.by_level("global", include_disabled=False)
            if story.get("series_id"):
                entries += await self.by_level("series", story["series_id"], include_disabled=False)
            entries += await self.by_level("story", story_id, include_disabled=False)
        return entries

    async def for_chat(self, chat_id: str) -> list[LorebookEntry]:
        """What a chat sees: enabled global + its character's + its own + its enabled
        modules' entries (modules attached to the chat or to its character)."""
        tables = [self.table_name, "chats"]
        if self.store.has_table("modules"):
            tables += ["modules", "module_links"]
        async with translate_db_errors(), self.store.transaction("r", *tables):
            chat = await require_record(self.store, "chats", chat_id, "chat")
            entries = await self.by_level("global", include_disabled=False)
            character_id = chat.get("character_id")
            if character_id:
                entries += await self.by_level("character", character_id, include_disabled=False)
            entries += await self.by_level("chat", chat_id, include_disabled=False)
            for module_id in await self._enabled_module_ids(chat_id, character_id):
                entries += await self.by_level("module", module_id, include_disabled=False)
        return entries

    async def _enabled_module_ids(self, chat_id: str, character_id: str | None) -> list[str]:
        if not self.store.has_table("modules"):
            return []
        links = self.store.table("module_links")
        found = await links.where("[target_level+target_id]").equals(["chat", chat_id]).to_array()
        if character_id:
            found += (
                await links.where("[target_level+target_id]")
                .equals(["character", character_id])
                .to_array()
            )
        ids = list(dict.fromkeys(link["module_id"] for link in found if link.get("enabled", True)))
        modules = await self.store.table("modules").bulk_get(ids)
        return [m["id"] for m in modules if m is not None and m.get("enabled", True)]

    async def _filtered(
        self,
        index: str,
        value: str,
        level: LorebookLevel | None,
        scope_id: str | None,
    ) -> list[LorebookEntry]:
        async with translate_db_errors():
            records = await self.table.where(index).equals(value).to_array()
        entries = [self.load(r) for r in records]
        if level is not None:
            entries = [e for e in entries if e.level == level]
        if scope_id is not None:
            entries = [e for e in entries if e.scope_id == scope_id]
        return _ordered(entries)

    async def by_tag(
        self, tag: str, *, level: LorebookLevel | None = None, scope_id: str | None = None
    ) -> list[LorebookEntry]:
        """Entries carrying `tag`, optionally of one level (and scope)."""
        return await self._filtered("tags", tag, level, scope_id)

    async def by_category(
        self, category: str, *, level: LorebookLevel | None = None, scope_id: str | None = None
    ) -> list[LorebookEntry]:
        """Entries of `category`, optionally of one level (and scope)."""
        return await self._filtered("category", category, level, scope_id)

    # -- promotion and demotion -----------------------------------------------------------
    async def move(
        self, entry_id: str, level: LorebookLevel, scope_id: str | None = None
    ) -> LorebookEntry:
        """Change an entry's level and scope, keeping its id; the target is validated
        (`scope_id` required except for global, and must exist)."""
        return await self.update(entry_id, {"level": level, "scope_id": scope_id})

    async def promote_to_series(self, entry_id: str, series_id: str) -> LorebookEntry:
        return await self.move(entry_id, "series", series_id)

    async def promote_to_global(self, entry_id: str) -> LorebookEntry:
        return await self.move(entry_id, "global")

    async def demote_to_series(self, entry_id: str, series_id: str) -> LorebookEntry:
        return await self.move(entry_id, "series", series_id)

    async def demote_to_story(self, entry_id: str, story_id: str) -> LorebookEntry:
        return await self.move(entry_id, "story", story_id)


async def upgrade_story_entries_to_levels(tx: Any) -> None:
    """Schema 1 → 2: every entry gets `level="story"` and `scope_id` = its old
    `story_id` (which is removed); nothing else changes."""
    table = tx.table("lorebook_entries")

    def migrate(entry: dict[str, Any]) -> None:
        if "level" in entry:
            return
        entry["level"] = "story"
        entry["scope_id"] = entry.pop("story_id", None)

    await table.to_collection().modify(migrate)


def _level(level: str, scope: object) -> dict[str, object]:
    return {"level": level, "scope_id": scope}


LOREBOOK_ENTRY = EntityType(
    kind="lorebook_entry",
    table="lorebook_entries",
    schema="id, level, scope_id, [level+scope_id], name, category, *tags, updated_at",
    history={2: "id, story_id, name, category, *tags"},
    migrations={2: upgrade_story_entries_to_levels},
    model=LorebookEntry,
    repository=LorebookRepository,
    references=(
        Ref("scope_id", by="level", kinds=SCOPED_LEVELS, required=True, on_delete="cascade"),
    ),
    section="lorebooks",
    shown=(
        Shown("global_lorebook", "lists", where={"level": "global"}, order=_entry_order),
        Shown("character_lorebooks", "character", _level("character", CONTEXT), order=_entry_order),
        Shown("chat_lorebooks", "chat", _level("chat", CONTEXT), order=_entry_order),
        Shown(
            "module_lorebooks",
            "character",
            _level("module", InStore("character_modules")),
            order=_entry_order,
        ),
        Shown(
            "chat_module_lorebooks",
            "chat",
            _level("module", InStore("chat_modules")),
            order=_entry_order,
        ),
    ),
)

FEATURE = Feature("lorebook", (LOREBOOK_ENTRY,))
