"""`Feature`: what one domain module contributes — its entities and the API the app calls."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from ._entity_type import EntityType

if TYPE_CHECKING:
    from ._repository import TableRepository
    from ._store import Store

AfterImport = Callable[["Store", Mapping[str, list[dict[str, Any]]]], Awaitable[None]]

__all__ = ["Feature", "LocalTable", "Repositories", "tables_of"]

R = TypeVar("R")


class Repositories:
    """The repositories of one domain, by kind (what a feature's `api` builder gets)."""

    def __init__(self, by_kind: Mapping[str, TableRepository]) -> None:
        self._by_kind = dict(by_kind)

    def __getitem__(self, kind: str) -> TableRepository:
        return self._by_kind[kind]

    def __contains__(self, kind: object) -> bool:
        return kind in self._by_kind

    def of(self, kind: str, cls: type[R]) -> R:
        """The repository of `kind`, checked to be a `cls`."""
        repo = self._by_kind[kind]
        if not isinstance(repo, cls):
            raise TypeError(f"the {kind} repository is a {type(repo).__name__}, not {cls.__name__}")
        return repo


def tables_of(*users: Any) -> tuple[str, ...]:
    """Every table the given repositories touch, once each (a feature API's `tables_used`)."""
    return tuple(dict.fromkeys(t for user in users for t in user.tables_used))


@dataclass(frozen=True, slots=True)
class LocalTable:
    """A table that holds no entity (bookkeeping such as a sync outbox): never exported,
    never synced, invisible to the app state."""

    name: str
    schema: str
    since: int


@dataclass(frozen=True)
class Feature:
    """One domain module's contribution.

    - `name`: how the app reaches its API (`domain.feature("stories")`);
    - `entities`: its entity types;
    - `api`: builds the API object from the repositories by kind (default: the single
      entity's repository);
    - `setting_refs`: setting key → kind, for settings that hold a record's id (deleting
      the record forgets the setting);
    - `local_tables`: bookkeeping tables of its own;
    - `after_import`: called once an import has written its records (table → records
      written, inside the import's transaction) to bring what the feature keeps in step
      up to date (a chat's preview, the one active preset).
    """

    name: str
    entities: tuple[EntityType, ...] = ()
    api: Callable[[Repositories], Any] | None = None
    setting_refs: Mapping[str, str] = field(default_factory=dict)
    local_tables: tuple[LocalTable, ...] = ()
    after_import: AfterImport | None = None

    def build_api(self, repositories: Repositories) -> Any:
        if self.api is not None:
            return self.api(repositories)
        if len(self.entities) != 1:
            raise ValueError(f"feature {self.name!r} has several entities: give it an api=")
        return repositories[self.entities[0].kind]
