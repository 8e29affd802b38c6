"""Export file formats: envelope, per-table models, and the references between tables."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

from pydantic import BaseModel, Field, JsonValue

from ._entity import Model
from .characters import Character
from .chats import Chat
from .folders import Folder
from .lorebook import LorebookEntry
from .messages import Message
from .modules import Module, ModuleLink
from .personas import Persona
from .plugins import Plugin
from .presets import PromptPreset
from .providers import ApiKey, ProviderConfig
from .rules import Rule, Tag, TagRuleLink
from .scripts import Script
from .series import Series
from .stories import Chapter, SceneBeat, Story
from .sync_targets import SyncTarget

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "IMPORT_ORDER",
    "TABLE_MODELS",
    "ConflictPolicy",
    "Envelope",
    "ExportType",
    "ImportOptions",
    "ImportReport",
    "Reference",
    "SettingRecord",
    "references_of",
]

FORMAT = "lorekeeper"
FORMAT_VERSION = 1

ExportType = Literal["full", "chat", "folder", "story", "series", "global-lorebook"]
ConflictPolicy = Literal["skip", "overwrite", "copy"]


class Envelope(Model):
    """The head every export file starts with."""

    model_config = Model.model_config | {"extra": "allow"}

    format: Literal["lorekeeper"]
    type: ExportType
    version: int = Field(ge=1, le=FORMAT_VERSION)
    exported_at: str | None = None


class SettingRecord(Model):
    key: str = Field(min_length=1)
    value: JsonValue = None
    updated_at: str | None = None


TABLE_MODELS: dict[str, type[BaseModel]] = {
    "settings": SettingRecord,
    "folders": Folder,
    "personas": Persona,
    "api_keys": ApiKey,
    "provider_configs": ProviderConfig,
    "characters": Character,
    "chats": Chat,
    "messages": Message,
    "series": Series,
    "stories": Story,
    "chapters": Chapter,
    "scene_beats": SceneBeat,
    "modules": Module,
    "module_links": ModuleLink,
    "scripts": Script,
    "rules": Rule,
    "tags": Tag,
    "tag_rule_links": TagRuleLink,
    "prompt_presets": PromptPreset,
    "plugins": Plugin,
    "sync_targets": SyncTarget,
    "lorebook_entries": LorebookEntry,
}

#: Tables in an order where every reference points at a table earlier in the list.
IMPORT_ORDER: tuple[str, ...] = tuple(TABLE_MODELS)

KIND_TABLE = {
    "folder": "folders",
    "persona": "personas",
    "api_key": "api_keys",
    "character": "characters",
    "chat": "chats",
    "message": "messages",
    "series": "series",
    "story": "stories",
    "chapter": "chapters",
    "module": "modules",
    "rule": "rules",
    "tag": "tags",
}


@dataclass(frozen=True)
class Reference:
    """`field` of a record points at a record of `table`. A `required` reference that
    resolves nowhere is an error; an optional one is cleared (the item is orphaned)."""

    field: str
    table: str
    required: bool


def references_of(table: str, record: dict[str, Any]) -> list[Reference]:
    """The references one record makes (some depend on its `level`)."""

    def ref(field_: str, kind: str, required: bool) -> Reference:
        return Reference(field_, KIND_TABLE[kind], required)

    if table == "folders":
        return [ref("parent_id", "folder", False)]
    if table == "provider_configs":
        return [ref("api_key_id", "api_key", False)]
    if table in ("characters", "modules", "series"):
        return [ref("folder_id", "folder", False)]
    if table == "chats":
        return [
            ref("character_id", "character", False),
            ref("folder_id", "folder", False),
            ref("persona_id", "persona", False),
        ]
    if table == "messages":
        return [ref("chat_id", "chat", True)]
    if table == "stories":
        return [ref("series_id", "series", False), ref("folder_id", "folder", False)]
    if table == "chapters":
        return [ref("story_id", "story", True)]
    if table == "scene_beats":
        return [ref("story_id", "story", True), ref("chapter_id", "chapter", True)]
    if table == "module_links":
        target = record.get("target_level")
        refs = [ref("module_id", "module", True)]
        if target in ("character", "chat"):
            refs.append(ref("target_id", target, True))
        return refs
    if table in ("scripts", "lorebook_entries"):
        level = record.get("level")
        return [ref("scope_id", level, True)] if level in KIND_TABLE else []
    if table == "tag_rule_links":
        return [ref("tag_id", "tag", True), ref("rule_id", "rule", True)]
    return []


@dataclass
class ImportOptions:
    """Which parts of a file to import (each switchable) and what to do about ids that
    already exist: skip them, overwrite them, or import copies with new ids."""

    on_conflict: ConflictPolicy = "skip"
    settings: bool = True
    api_keys: bool = True
    provider_configs: bool = True
    personas: bool = True
    characters: bool = True
    chats: bool = True
    series: bool = True
    stories: bool = True
    lorebooks: bool = True
    folders: bool = True
    modules: bool = True
    scripts: bool = True
    rules: bool = True
    presets: bool = True
    plugins: bool = True
    sync_targets: bool = True

    def tables(self) -> set[str]:
        """The tables these options import."""
        chosen: set[str] = set()
        for option, tables in _SECTIONS.items():
            if getattr(self, option):
                chosen.update(tables)
        return chosen

    @classmethod
    def only(cls, *options: str, on_conflict: ConflictPolicy = "skip") -> ImportOptions:
        """Options with just the named sections switched on."""
        names = {f.name for f in fields(cls)} - {"on_conflict"}
        unknown = set(options) - names
        if unknown:
            raise ValueError(f"unknown import sections: {sorted(unknown)}")
        return cls(on_conflict=on_conflict, **{n: n in options for n in names})


_SECTIONS: dict[str, tuple[str, ...]] = {
    "settings": ("settings",),
    "api_keys": ("api_keys",),
    "provider_configs": ("provider_configs",),
    "personas": ("personas",),
    "characters": ("characters",),
    "chats": ("chats", "messages"),
    "series": ("series",),
    "stories": ("stories", "chapters", "scene_beats"),
    "lorebooks": ("lorebook_entries",),
    "folders": ("folders",),
    "modules": ("modules", "module_links"),
    "scripts": ("scripts",),
    "rules": ("rules", "tags", "tag_rule_links"),
    "presets": ("prompt_presets",),
    "plugins": ("plugins",),
    "sync_targets": ("sync_targets",),
}


@dataclass
class ImportReport:
    """What an import did, per table."""

    written: dict[str, int] = field(default_factory=dict)
    skipped_existing: dict[str, int] = field(default_factory=dict)
    skipped_unselected: dict[str, int] = field(default_factory=dict)
    copied: dict[str, int] = field(default_factory=dict)
    #: old id -> new id, for records imported as copies
    id_map: dict[str, str] = field(default_factory=dict)
    #: optional references cleared because their target is nowhere (path: message)
    orphaned: list[str] = field(default_factory=list)

    def count(self, bucket: dict[str, int], table: str) -> None:
        bucket[table] = bucket.get(table, 0) + 1
