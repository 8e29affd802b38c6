"""`Domain`: every feature's API bound to one store; `open_domain` opens the library."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from ._entity_type import EntityType
from ._feature import Repositories
from ._features import default_registry
from ._ids import Clock, utc_now
from ._registry import Registry
from ._repository import Repository, TableRepository
from ._store import Store
from .characters import CharacterRepository
from .chats import ChatRepository
from .folders import FolderRepository
from .lorebook import LorebookRepository
from .messages import MessageRepository
from .modules import Modules
from .personas import PersonaRepository
from .plugins import PluginRepository
from .presets import PromptPresetRepository
from .prompt_reports import PromptReportRepository
from .providers import Providers
from .rules import Rules
from .scripts import ScriptRepository
from .series import SeriesRepository
from .settings import SettingsRepository
from .stories import Stories
from .sync_targets import SyncTargetRepository

if TYPE_CHECKING:
    from .transfer import Transfer

__all__ = ["Domain", "open_domain"]

T = TypeVar("T")


def _repository(store: Store, entity: EntityType) -> TableRepository:
    factory = entity.repository or Repository
    return factory(store, entity)


class Domain:
    """Every feature's API, bound to one store.

    `domain.repository(kind)` reaches any entity's repository and `domain.feature(name)`
    any feature's API, including features a test or a plugin registered; the features
    the app ships are also typed attributes (`domain.characters`, `domain.stories`...).
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.registry: Registry = store.registry
        self.repositories = Repositories({e.kind: _repository(store, e) for e in self.registry})
        self._apis = {f.name: f.build_api(self.repositories) for f in self.registry.features}
        self._transfer: Transfer | None = None

    @property
    def transfer(self) -> Transfer:
        """Import and export of the whole library (loaded when first used, not at boot)."""
        if self._transfer is None:
            from .transfer import Transfer

            self._transfer = Transfer(self.store)
        return self._transfer

    def repository(self, kind: str) -> TableRepository:
        return self.repositories[kind]

    def feature(self, name: str) -> Any:
        try:
            return self._apis[name]
        except KeyError:
            raise LookupError(f"no feature named {name!r}") from None

    def _typed(self, name: str, cls: type[T]) -> T:
        api = self.feature(name)
        if not isinstance(api, cls):
            raise TypeError(f"feature {name!r} is a {type(api).__name__}, not {cls.__name__}")
        return api

    @property
    def settings(self) -> SettingsRepository:
        return self._typed("settings", SettingsRepository)

    @property
    def folders(self) -> FolderRepository:
        return self._typed("folders", FolderRepository)

    @property
    def personas(self) -> PersonaRepository:
        return self._typed("personas", PersonaRepository)

    @property
    def providers(self) -> Providers:
        return self._typed("providers", Providers)

    @property
    def characters(self) -> CharacterRepository:
        return self._typed("characters", CharacterRepository)

    @property
    def chats(self) -> ChatRepository:
        return self._typed("chats", ChatRepository)

    @property
    def messages(self) -> MessageRepository:
        return self._typed("messages", MessageRepository)

    @property
    def prompt_reports(self) -> PromptReportRepository:
        return self._typed("prompt_reports", PromptReportRepository)

    @property
    def series(self) -> SeriesRepository:
        return self._typed("series", SeriesRepository)

    @property
    def stories(self) -> Stories:
        return self._typed("stories", Stories)

    @property
    def modules(self) -> Modules:
        return self._typed("modules", Modules)

    @property
    def scripts(self) -> ScriptRepository:
        return self._typed("scripts", ScriptRepository)

    @property
    def rules(self) -> Rules:
        return self._typed("rules", Rules)

    @property
    def presets(self) -> PromptPresetRepository:
        return self._typed("presets", PromptPresetRepository)

    @property
    def plugins(self) -> PluginRepository:
        return self._typed("plugins", PluginRepository)

    @property
    def sync_targets(self) -> SyncTargetRepository:
        return self._typed("sync_targets", SyncTargetRepository)

    @property
    def lorebook(self) -> LorebookRepository:
        return self._typed("lorebook", LorebookRepository)


async def open_domain(
    db: Any,
    *,
    registry: Registry | None = None,
    clock: Clock = utc_now,
    wait_if_blocked: bool = True,
    watch_external: bool = True,
) -> Domain:
    """A store over `db` with every feature of `registry` (default: the app's), opened
    (upgrading if needed; see `Store.open` for `wait_if_blocked` and `watch_external`)."""
    domain = Domain(Store(db, registry or default_registry(), clock=clock))
    await domain.store.open(wait_if_blocked=wait_if_blocked, watch_external=watch_external)
    return domain
