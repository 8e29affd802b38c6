"""Lorekeeper's domain layer: pydantic models, repositories, cross-entity operations.

Each feature module (`app.domain.characters`, `app.domain.lorebook`, ...) declares its
entities once, as `EntityType`s gathered in a `Feature` (`FEATURE`); the `Registry` of
every feature (`default_registry()`, built from `_features.py`) is what the rest of the
app reads: schema versions, references and delete cascades, import/export, which
tables sync, where the app state shows each entity. `open_domain(db)` opens the library
and returns the `Domain`, every feature's API bound to one `Store`. Importing a module
has no side effects. How to add an entity: `app/domain/README.md`.
"""

from typing import TYPE_CHECKING

from app._lazy import lazy_names

from ._compensate import create_then_register, delete_with_cleanup
from ._db_errors import to_domain_error, translate_db_errors
from ._domain import Domain, open_domain
from ._entity import Entity, Model
from ._entity_type import CONTEXT, EntityType, InStore, Linked, OnDelete, Ref, Shown, StateLevel
from ._errors import (
    DomainError,
    FieldError,
    InvalidDataError,
    NotFoundError,
    StorageFullError,
    StorageUnavailableError,
    UpgradeBlockedError,
)
from ._feature import Feature, LocalTable, Repositories
from ._features import FEATURES, default_registry
from ._formats import ConflictPolicy, ImportOptions, ImportReport
from ._ids import UtcDateTime, format_utc, new_id, utc_now, uuid7
from ._registry import Registry, SchemaVersion
from ._repository import Repository, TableRepository
from ._store import Change, Store
from .characters import Character, CharacterRepository
from .chats import Chat, ChatRepository
from .folders import Folder, FolderKind, FolderRepository
from .lorebook import (
    LEVELS,
    SCOPED_LEVELS,
    LorebookEntry,
    LorebookLevel,
    LorebookRepository,
    SelectiveLogic,
)
from .messages import OPENING_MESSAGES, Alternative, Message, MessageRepository, Role, preview_text
from .modules import Module, ModuleLink, ModuleLinkRepository, ModuleRepository, Modules
from .personas import Persona, PersonaRepository
from .plugins import Plugin, PluginRepository
from .presets import PromptPreset, PromptPresetRepository
from .prompt_reports import PromptReport, PromptReportRepository
from .providers import ApiKey, ApiKeyRepository, ProviderConfig, ProviderConfigRepository, Providers
from .rules import (
    Rule,
    RuleRepository,
    Rules,
    Tag,
    TagRepository,
    TagRuleLink,
    TagRuleLinkRepository,
)
from .scripts import Script, ScriptLevel, ScriptRepository
from .series import Series, SeriesRepository
from .settings import AppSettings, SettingRecord, SettingsRepository
from .stories import (
    Chapter,
    ChapterRepository,
    SceneBeat,
    SceneBeatRepository,
    Stories,
    Story,
    StoryRepository,
)
from .sync_targets import SyncTarget, SyncTargetRepository

__all__ = [
    "CONTEXT",
    "FEATURES",
    "LEVELS",
    "OPENING_MESSAGES",
    "SCOPED_LEVELS",
    "Alternative",
    "ApiKey",
    "ApiKeyRepository",
    "AppSettings",
    "Change",
    "Chapter",
    "ChapterRepository",
    "Character",
    "CharacterRepository",
    "Chat",
    "ChatRepository",
    "ConflictPolicy",
    "Domain",
    "DomainError",
    "Entity",
    "EntityType",
    "Feature",
    "FieldError",
    "Folder",
    "FolderKind",
    "FolderRepository",
    "ImportOptions",
    "ImportReport",
    "InStore",
    "InvalidDataError",
    "Linked",
    "LocalTable",
    "LorebookEntry",
    "LorebookLevel",
    "LorebookRepository",
    "Message",
    "MessageRepository",
    "Model",
    "Module",
    "ModuleLink",
    "ModuleLinkRepository",
    "ModuleRepository",
    "Modules",
    "NotFoundError",
    "OnDelete",
    "ParsedFile",
    "Persona",
    "PersonaRepository",
    "Plugin",
    "PluginRepository",
    "PromptPreset",
    "PromptPresetRepository",
    "PromptReport",
    "PromptReportRepository",
    "ProviderConfig",
    "ProviderConfigRepository",
    "Providers",
    "Ref",
    "Registry",
    "Repositories",
    "Repository",
    "Role",
    "Rule",
    "RuleRepository",
    "Rules",
    "SceneBeat",
    "SceneBeatRepository",
    "SchemaVersion",
    "Script",
    "ScriptLevel",
    "ScriptRepository",
    "SelectiveLogic",
    "Series",
    "SeriesRepository",
    "SettingRecord",
    "SettingsRepository",
    "Shown",
    "StateLevel",
    "StorageFullError",
    "StorageUnavailableError",
    "Store",
    "Stories",
    "Story",
    "StoryRepository",
    "SyncTarget",
    "SyncTargetRepository",
    "TableRepository",
    "Tag",
    "TagRepository",
    "TagRuleLink",
    "TagRuleLinkRepository",
    "Transfer",
    "UpgradeBlockedError",
    "UtcDateTime",
    "create_then_register",
    "default_registry",
    "delete_with_cleanup",
    "format_utc",
    "new_id",
    "open_domain",
    "parse_file",
    "preview_text",
    "to_domain_error",
    "translate_db_errors",
    "utc_now",
    "uuid7",
]


_LAZY = {"ParsedFile": "._parse", "parse_file": "._parse", "Transfer": ".transfer"}
"""Import and export code, loaded when first named (PEP 562), never at boot."""


__getattr__ = lazy_names(__name__, _LAZY)


if TYPE_CHECKING:
    from ._parse import ParsedFile, parse_file
    from .transfer import Transfer
