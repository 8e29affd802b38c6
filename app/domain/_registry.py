"""`Registry`: the entity types of every feature, and everything derived from them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ._entity_type import EntityType, Ref, Shown, Upgrade
from ._feature import Feature, LocalTable

__all__ = ["Incoming", "Registry", "ResolvedRef", "SchemaVersion"]


@dataclass(frozen=True, slots=True)
class ResolvedRef:
    """One reference one record makes: `field` points at a record of `table`."""

    field: str
    kind: str
    table: str
    required: bool


@dataclass(frozen=True, slots=True)
class Incoming:
    """A reference *to* a kind: records of `entity` point at it through `ref`."""

    entity: EntityType
    ref: Ref


@dataclass(frozen=True)
class SchemaVersion:
    """One step of the schema history: every table's index spec at `number`, and the
    upgrade functions that bring data written at `number - 1` up to it, in order."""

    number: int
    stores: Mapping[str, str]
    upgrades: tuple[Upgrade, ...]

    async def upgrade(self, tx: Any) -> None:
        for fn in self.upgrades:
            await fn(tx)


class Registry:
    """The features of the app (or of a test) and their entities, in declaration order."""

    def __init__(self, features: Iterable[Feature]) -> None:
        self.features: tuple[Feature, ...] = tuple(features)
        self._by_kind: dict[str, EntityType] = {}
        self._by_table: dict[str, EntityType] = {}
        names: set[str] = set()
        for feature in self.features:
            if feature.name in names:
                raise ValueError(f"two features are named {feature.name!r}")
            names.add(feature.name)
            for entity in feature.entities:
                for seen, value in ((self._by_kind, entity.kind), (self._by_table, entity.table)):
                    if value in seen:
                        raise ValueError(f"{value!r} is declared twice")
                self._by_kind[entity.kind] = entity
                self._by_table[entity.table] = entity
        local = [t.name for t in self.local_tables]
        clash = set(local) & set(self._by_table)
        if clash or len(set(local)) != len(local):
            raise ValueError(f"local tables clash: {sorted(clash) or local}")
        for entity in self:
            for ref in entity.references:
                missing = [k for k in ref.possible_kinds if k not in self._by_kind]
                if ref.kind is not None and missing:
                    raise ValueError(f"{entity.kind}.{ref.field} points at unknown kind {missing}")

    def with_features(self, *more: Feature) -> Registry:
        """This registry plus more features (tests declare throwaway entities this way)."""
        return Registry([*self.features, *more])

    # -- lookups --------------------------------------------------------------------------
    def __iter__(self) -> Iterator[EntityType]:
        return iter(self._by_kind.values())

    def __contains__(self, kind: object) -> bool:
        return kind in self._by_kind

    def entity(self, kind: str) -> EntityType:
        try:
            return self._by_kind[kind]
        except KeyError:
            raise LookupError(f"no entity of kind {kind!r} is registered") from None

    def for_table(self, table: str) -> EntityType:
        try:
            return self._by_table[table]
        except KeyError:
            raise LookupError(f"no entity is stored in table {table!r}") from None

    def has_table(self, table: str) -> bool:
        return table in self._by_table or any(t.name == table for t in self.local_tables)

    def feature(self, name: str) -> Feature:
        for feature in self.features:
            if feature.name == name:
                return feature
        raise LookupError(f"no feature named {name!r}")

    @cached_property
    def local_tables(self) -> tuple[LocalTable, ...]:
        return tuple(t for f in self.features for t in f.local_tables)

    @cached_property
    def setting_refs(self) -> dict[str, str]:
        """Setting key → the kind whose id it holds."""
        return {k: v for f in self.features for k, v in f.setting_refs.items()}

    # -- references ------------------------------------------------------------------------
    def references_to(self, kind: str) -> list[Incoming]:
        """Every reference that may point at records of `kind`."""
        return [
            Incoming(entity, ref)
            for entity in self
            for ref in entity.references
            if kind in ref.possible_kinds
        ]

    def references_of(self, table: str, record: Mapping[str, Any]) -> list[ResolvedRef]:
        """The references one record makes (some depend on its own fields)."""
        out = []
        for ref in self.for_table(table).references:
            kind = ref.target_kind(record)
            if kind is not None and kind in self._by_kind:
                out.append(ResolvedRef(ref.field, kind, self._by_kind[kind].table, ref.required))
        return out

    @cached_property
    def import_order(self) -> tuple[str, ...]:
        """Tables in an order where every reference points at a table earlier in the list
        (declaration order where references allow; a table may point at itself)."""
        order: list[str] = []
        placed: set[str] = set()
        pending = list(self)
        while pending:
            for index, entity in enumerate(pending):
                targets = {
                    self._by_kind[k].table
                    for ref in entity.references
                    for k in ref.possible_kinds
                    if k in self._by_kind
                } - {entity.table}
                if targets <= placed:
                    order.append(entity.table)
                    placed.add(entity.table)
                    del pending[index]
                    break
            else:
                raise ValueError(f"references form a cycle among {[e.table for e in pending]}")
        return tuple(order)

    # -- sections, sync, state ----------------------------------------------------------------
    @cached_property
    def sections(self) -> dict[str, tuple[str, ...]]:
        """Import section → the tables it selects."""
        out: dict[str, list[str]] = {}
        for entity in self:
            out.setdefault(entity.section, []).append(entity.table)
        return {name: tuple(tables) for name, tables in out.items()}

    @cached_property
    def synced(self) -> dict[str, frozenset[str]]:
        """Every table that syncs → the fields that never leave the device."""
        return {e.table: e.device_only for e in self if e.syncs}

    @cached_property
    def shown(self) -> tuple[tuple[EntityType, Shown], ...]:
        """Every state store and the entity it shows, in declaration order."""
        return tuple((entity, shown) for entity in self for shown in entity.shown)

    # -- schema history ----------------------------------------------------------------------
    @cached_property
    def current_version(self) -> int:
        marks = [1]
        for entity in self:
            marks += [entity.since, *entity.history, *entity.migrations]
        marks += [t.since for t in self.local_tables]
        return max(marks)

    @cached_property
    def schema_versions(self) -> tuple[SchemaVersion, ...]:
        """Every schema version from 1 to the current one, each complete."""
        versions = []
        for number in range(1, self.current_version + 1):
            stores: dict[str, str] = {}
            for entity in self:
                spec = entity.schema_at(number)
                if spec is not None:
                    stores[entity.table] = spec
            for table in self.local_tables:
                if table.since <= number:
                    stores[table.name] = table.schema
            upgrades = tuple(e.migrations[number] for e in self if number in e.migrations)
            versions.append(SchemaVersion(number, stores, upgrades))
        return tuple(versions)

    def tables_at(self, version: int) -> dict[str, str]:
        """The complete schema at `version` (what a database written then holds)."""
        return dict(self.schema_versions[version - 1].stores)
