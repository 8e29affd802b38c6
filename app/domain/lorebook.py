"""Lorebook entries: one model for every level (global, series, story, character, chat, module)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, get_args

from pydantic import Field, field_validator, model_validator

from ._cascade import delete_cascading
from ._db_errors import translate_db_errors
from ._entity import Entity
from ._entity_type import CONTEXT, EntityType, InStore, Ref, Shown
from ._errors import FieldError, InvalidDataError, NotFoundError
from ._feature import Feature
from ._ids import format_utc
from ._repository import Repository, require_record
from ._scope import check_scope_id

__all__ = [
    "FEATURE",
    "LEVELS",
    "LOREBOOK_ENTRY",
    "SCOPED_LEVELS",
    "Audience",
    "Layer",
    "LoreChange",
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

    This one model is also the lore engine's entry type (`app.lore.LoreEntry` is this
    class) and what the file importers produce. Unknown fields given to
    `parse`/`model_validate` are moved into `extensions`, so data from imported files
    round-trips verbatim.

    Activation fields follow SillyTavern's world info entries:

    * `selective`: when False the secondary keys are kept but ignored;
    * `use_probability`: when False `probability` is never rolled;
    * `delay_until_recursion`: 0 off, else the recursion level (1 = the first) from which
      the entry may activate;
    * `group` (comma-separated inclusion groups), `group_override` (prioritise inclusion),
      `group_weight`, `use_group_scoring` (None: the scan's default);
    * `sticky` / `cooldown` / `delay`: timed effects, in messages (0 or None: off);
    * `character_filter_names` / `_tags` / `_exclude`: which characters the entry is for;
    * `triggers`: generation types it activates for (empty: all);
    * `match_*`: extra texts scanned for its keys (persona and character fields);
    * `ignore_budget`: admitted even when the token budget is spent;
    * `outlet_name`: with `position == "outlet"`, the named slot the content goes to.
    """

    level: LorebookLevel = "global"
    scope_id: str | None = Field(default=None, validate_default=True)
    name: str = ""
    content: str = ""
    keys: list[str] = Field(default_factory=list)
    secondary_keys: list[str] = Field(default_factory=list)
    selective: bool = True
    selective_logic: SelectiveLogic = "and_any"
    category: str | None = None
    tags: list[str] = Field(default_factory=list)
    enabled: bool = True
    constant: bool = False
    case_sensitive: bool | None = None
    match_whole_words: bool | None = None
    probability: int = Field(default=100, ge=0, le=100)
    use_probability: bool = True
    insertion_order: int = 100
    priority: int = 0
    position: str = "after_char"
    depth: int | None = Field(default=None, ge=0)
    scan_depth: int | None = Field(default=None, ge=0)
    exclude_recursion: bool = False
    prevent_recursion: bool = False
    delay_until_recursion: int = Field(default=0, ge=0)
    ignore_budget: bool = False
    group: str = ""
    group_override: bool = False
    group_weight: int = Field(default=100, ge=0)
    use_group_scoring: bool | None = None
    sticky: int | None = Field(default=None, ge=0)
    cooldown: int | None = Field(default=None, ge=0)
    delay: int | None = Field(default=None, ge=0)
    character_filter_names: list[str] = Field(default_factory=list)
    character_filter_tags: list[str] = Field(default_factory=list)
    character_filter_exclude: bool = False
    triggers: list[str] = Field(default_factory=list)
    match_persona_description: bool = False
    match_character_description: bool = False
    match_character_personality: bool = False
    match_character_depth_prompt: bool = False
    match_scenario: bool = False
    match_creator_notes: bool = False
    outlet_name: str = ""
    extensions: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _unknown_fields_to_extensions(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        fields = cls.model_fields  # a property: read once, not once per key
        if data.keys() <= fields.keys():  # a record as stored: nothing to move
            return data
        unknown = {k: v for k, v in data.items() if k not in fields}
        if not unknown:
            return data
        known = {k: v for k, v in data.items() if k in fields}
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

    async def _enabled_module_ids(self, chat_id: str | None, character_id: str | None) -> list[str]:
        if not self.store.has_table("modules"):
            return []
        links = self.store.table("module_links")
        found = []
        if chat_id:
            found += (
                await links.where("[target_level+target_id]").equals(["chat", chat_id]).to_array()
            )
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

    # -- scopes ---------------------------------------------------------------------------
    async def chain(self, level: LorebookLevel, scope_id: str | None = None) -> list[Layer]:
        """The layers a scope sees, from the top: a story sees global, its series (if
        any) and itself; a chat global, its character (if any), itself and its enabled
        modules; a character global, itself and its enabled modules; a series global
        and itself; a module only itself. `NotFoundError` if the scope does not exist."""
        async with translate_db_errors(), self.store.transaction("r", *self._scope_tables()):
            if level == "global":
                return [Layer("global", None)]
            if scope_id is None:
                raise InvalidDataError(
                    [FieldError("scope_id", f'required when level is "{level}"')]
                )
            record = await require_record(
                self.store, _SCOPE_TABLES[level], scope_id, level.replace("_", " ")
            )
            if level == "module":
                return [Layer("module", scope_id)]
            layers = [Layer("global", None)]
            if level == "story":
                if record.get("series_id"):
                    layers.append(Layer("series", record["series_id"]))
                return [*layers, Layer("story", scope_id)]
            if level == "series":
                return [*layers, Layer("series", scope_id)]
            if level == "character":
                modules = await self._enabled_module_ids(None, scope_id)
                return [
                    *layers,
                    Layer("character", scope_id),
                    *(Layer("module", m) for m in modules),
                ]
            character_id = record.get("character_id")
            if character_id:
                layers.append(Layer("character", character_id))
            modules = await self._enabled_module_ids(scope_id, character_id)
            return [*layers, Layer("chat", scope_id), *(Layer("module", m) for m in modules)]

    def _scope_tables(self) -> list[str]:
        """Tables read to follow a scope chain."""
        names = ["series", "stories", "characters", "chats", "modules", "module_links"]
        return [t for t in names if self.store.has_table(t)]

    async def seen_by(
        self, level: LorebookLevel, scope_id: str | None = None
    ) -> dict[Layer, list[LorebookEntry]]:
        """Every entry (disabled ones too) of each layer the scope sees, layer by layer."""
        tables = (self.table_name, *self._scope_tables())
        async with translate_db_errors(), self.store.transaction("r", *tables):
            layers = await self.chain(level, scope_id)
            return {layer: await self.by_level(layer.level, layer.scope_id) for layer in layers}

    async def promotion(self, entry_id: str) -> Layer | None:
        """Where "Promote" moves an entry: one level up its scope chain (story → its
        series, else global; chat → its character, else global; series and character →
        global). None for global and module entries."""
        entry = await self.require(entry_id)
        if entry.level in ("global", "module"):
            return None
        layers = await self.chain(entry.level, entry.scope_id)
        own = layers.index(Layer(entry.level, entry.scope_id))
        return layers[own - 1]

    async def demotion(
        self, entry_id: str, level: LorebookLevel, scope_id: str | None
    ) -> Layer | None:
        """Where "Demote" moves an entry seen from the scope `level`/`scope_id`: one level
        down the scope chain, toward that scope. None when the entry is the scope's own,
        a module's, or not seen there."""
        entry = await self.require(entry_id)
        layers = [x for x in await self.chain(level, scope_id) if x.level != "module"]
        here = Layer(entry.level, entry.scope_id)
        if here not in layers or here == layers[-1]:
            return None
        return layers[layers.index(here) + 1]

    async def audience(self, layer: Layer) -> Audience:
        """Who sees the entries of `layer`: a sentence for the screen, and a count."""
        level, scope_id = layer
        if level == "global":
            return Audience(layer, "", "every story and every chat", None)
        table = _SCOPE_TABLES[level]
        async with translate_db_errors():
            record = await require_record(self.store, table, scope_id, level)
            name = str(record.get("name") or record.get("title") or "")
            if level == "series":
                count = (
                    await self.store.table("stories").where("series_id").equals(scope_id).count()
                )
                noun = "story" if count == 1 else "stories"
                return Audience(layer, name, f"the {count} {noun} of the series “{name}”", count)
            if level == "character":
                count = (
                    await self.store.table("chats").where("character_id").equals(scope_id).count()
                )
                noun = "chat" if count == 1 else "chats"
                return Audience(layer, name, f"the {count} {noun} with “{name}”", count)
            if level == "module":
                links = (
                    await self.store.table("module_links")
                    .where("module_id")
                    .equals(scope_id)
                    .count()
                )
                noun = "character or chat" if links == 1 else "characters and chats"
                return Audience(layer, name, f"the {links} {noun} using the module “{name}”", links)
        if level == "story":
            return Audience(layer, name, f"only the story “{name}”", 1)
        return Audience(
            layer, name or "this chat", f"only the chat “{name}”" if name else "only this chat", 1
        )

    # -- promotion, demotion and moves ----------------------------------------------------
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

    # -- bulk operations, each undoable -----------------------------------------------------
    async def set_enabled(self, ids: Sequence[str], enabled: bool) -> LoreChange:
        """Enable or disable entries, in one transaction; returns what `undo` reverses."""
        what = "Enabled" if enabled else "Disabled"
        return await self._change_many(ids, {"enabled": enabled}, what)

    async def move_many(
        self, ids: Sequence[str], level: LorebookLevel, scope_id: str | None = None
    ) -> LoreChange:
        """Move entries to one level and scope (ids kept), in one transaction."""
        return await self._change_many(ids, {"level": level, "scope_id": scope_id}, "Moved")

    async def delete_many(self, ids: Sequence[str]) -> LoreChange:
        """Delete entries in one transaction; `undo` puts them back as they were."""
        unique = list(dict.fromkeys(ids))
        async with translate_db_errors(), self.store.transaction("rw", *self.tables_used):
            records = await self._records(unique)
            await delete_cascading(self.store, self.entity.kind, unique)
        return LoreChange("Deleted", tuple(records), None)

    async def undo(self, change: LoreChange) -> int:
        """Reverse a bulk operation: deleted entries come back with their ids; changed
        fields get their earlier values (other edits made since are kept). Entries
        deleted since are left alone; one that cannot go back (its scope is gone) fails
        the whole undo with nothing changed. Returns how many entries changed."""
        now = self.store.clock()
        done = 0
        async with translate_db_errors(), self.store.transaction("rw", *self.tables_used):
            for before in change.before:
                current = await self.get(before["id"])
                if change.fields is None:
                    if current is None:
                        entity = self.load({**before, "updated_at": format_utc(now)})
                        await self._check(entity)
                        await self.table.add(entity.to_record())
                        done += 1
                    continue
                if current is None:
                    continue
                restore = {f: before[f] for f in change.fields}
                if any(getattr(current, f) != v for f, v in restore.items()):
                    await self._apply_update(current, restore)
                    done += 1
        return done

    async def _records(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        records = await self.table.bulk_get(list(ids))
        missing = [i for i, r in zip(ids, records, strict=True) if r is None]
        if missing:
            raise NotFoundError(self.kind, missing[0])
        return [dict(r) for r in records]

    async def _change_many(
        self, ids: Sequence[str], changes: dict[str, Any], what: str
    ) -> LoreChange:
        unique = list(dict.fromkeys(ids))
        self._check_changes(changes)
        async with translate_db_errors(), self.store.transaction("rw", *self.tables_used):
            records = await self._records(unique)
            checked = False
            for record in records:
                current = self.load(record)
                if all(getattr(current, f) == v for f, v in changes.items()):
                    continue
                # the target is the same for every entry: check its references once
                await self._apply_update(current, changes, check=not checked)
                checked = True
        return LoreChange(what, tuple(records), tuple(changes))


class Layer(NamedTuple):
    """One scope layer: a level and its scope (None for global)."""

    level: LorebookLevel
    scope_id: str | None


@dataclass(frozen=True, slots=True)
class Audience:
    """Who sees a layer's entries: `who` is a phrase for the screen ("the 3 stories of
    the series “Saga”"); `count` how many stories, chats or links (None: everything)."""

    layer: Layer
    name: str
    who: str
    count: int | None


@dataclass(frozen=True, slots=True)
class LoreChange:
    """A bulk operation done: what it did ("Deleted", "Disabled", ...), the entries as
    they were before, and which fields it changed (None: it deleted them)."""

    what: str
    before: tuple[dict[str, Any], ...]
    fields: tuple[str, ...] | None

    @property
    def count(self) -> int:
        return len(self.before)

    @property
    def ids(self) -> list[str]:
        return [str(r["id"]) for r in self.before]


_SCOPE_TABLES = {
    "series": "series",
    "story": "stories",
    "character": "characters",
    "chat": "chats",
    "module": "modules",
}


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
