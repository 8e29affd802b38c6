"""Lorekeeper's domain layer: pydantic models, repositories, cross-entity operations.

Each feature module (`app.domain.characters`, `app.domain.lorebook`, ...) exposes
`register(store)`, which declares its tables and returns its repository API bound to
the store's database and event bus. Importing a module has no side effects; the app
entry calls `open_domain(db)` (or `register_all(store)` then `store.open()`) once.
"""

from ._compensate import create_then_register, delete_with_cleanup
from ._db_errors import to_domain_error, translate_db_errors
from ._entity import Entity, Model
from ._errors import (
    DomainError,
    FieldError,
    InvalidDataError,
    NotFoundError,
    StorageFullError,
    StorageUnavailableError,
    UpgradeBlockedError,
)
from ._formats import ConflictPolicy, ImportOptions, ImportReport
from ._ids import UtcDateTime, format_utc, new_id, utc_now, uuid7
from ._registry import Domain, open_domain, register_all
from ._repository import Repository
from ._schema_history import CURRENT_VERSION, VERSION_1_TABLES
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
from .messages import Message, MessageRepository, Role, preview_text
from .modules import Module, ModuleLink, ModuleLinkRepository, ModuleRepository, Modules
from .personas import Persona, PersonaRepository
from .plugins import Plugin, PluginRepository
from .presets import PromptPreset, PromptPresetRepository
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
from .settings import AppSettings, SettingsRepository
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
from .transfer import ParsedFile, Transfer, parse_file

__all__ = [
    "CURRENT_VERSION",
    "LEVELS",
    "SCOPED_LEVELS",
    "VERSION_1_TABLES",
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
    "FieldError",
    "Folder",
    "FolderKind",
    "FolderRepository",
    "ImportOptions",
    "ImportReport",
    "InvalidDataError",
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
    "ParsedFile",
    "Persona",
    "PersonaRepository",
    "Plugin",
    "PluginRepository",
    "PromptPreset",
    "PromptPresetRepository",
    "ProviderConfig",
    "ProviderConfigRepository",
    "Providers",
    "Repository",
    "Role",
    "Rule",
    "RuleRepository",
    "Rules",
    "SceneBeat",
    "SceneBeatRepository",
    "Script",
    "ScriptLevel",
    "ScriptRepository",
    "SelectiveLogic",
    "Series",
    "SeriesRepository",
    "SettingsRepository",
    "StorageFullError",
    "StorageUnavailableError",
    "Store",
    "Stories",
    "Story",
    "StoryRepository",
    "SyncTarget",
    "SyncTargetRepository",
    "Tag",
    "TagRepository",
    "TagRuleLink",
    "TagRuleLinkRepository",
    "Transfer",
    "UpgradeBlockedError",
    "UtcDateTime",
    "create_then_register",
    "delete_with_cleanup",
    "format_utc",
    "new_id",
    "open_domain",
    "parse_file",
    "preview_text",
    "register_all",
    "to_domain_error",
    "translate_db_errors",
    "utc_now",
    "uuid7",
]
