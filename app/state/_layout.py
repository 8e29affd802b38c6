"""`Layout`: which stores live at which level, derived from where entities are shown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from app.domain import InStore, Registry, Shown

from ._levels import Level

__all__ = ["SETTINGS", "Layout", "Placement"]

SETTINGS = "settings"
"""The one store of the GLOBAL level: every setting, defaults filled in."""


@dataclass(frozen=True, slots=True)
class Placement:
    """Records of `kind` (stored in `table`) shown in the store `shown.store`."""

    kind: str
    table: str
    shown: Shown

    @property
    def store(self) -> str:
        return self.shown.store

    @property
    def level(self) -> Level:
        return Level.named(self.shown.level)

    def depends_on(self) -> set[str]:
        """Stores whose contents this store's filter reads (`InStore`)."""
        return {v.store for v in self.shown.where.values() if isinstance(v, InStore)}


class Layout:
    """Every store of the app state, by level, from the entities' `Shown` declarations.

    `tables` maps each kind to its table (link kinds included), so that another tab's
    write to a table reloads exactly the levels that show records of it.
    """

    def __init__(self, placements: Iterable[Placement], tables: Mapping[str, str]) -> None:
        self.placements: tuple[Placement, ...] = tuple(placements)
        self.tables = dict(tables)
        seen: set[str] = {SETTINGS}
        for p in self.placements:
            if p.store in seen:
                raise ValueError(f"two placements fill the store {p.store!r}")
            seen.add(p.store)

    @classmethod
    def of(cls, registry: Registry) -> Layout:
        """The layout the registry's entities declare."""
        placements = [Placement(e.kind, e.table, s) for e, s in registry.shown]
        return cls(placements, {e.kind: e.table for e in registry})

    @cached_property
    def _by_level(self) -> dict[Level, tuple[Placement, ...]]:
        out: dict[Level, list[Placement]] = {level: [] for level in Level}
        for p in self.placements:
            out[p.level].append(p)
        return {level: _dependencies_first(items) for level, items in out.items()}

    def placements_at(self, level: Level) -> tuple[Placement, ...]:
        """The level's placements, each after the stores its filter reads."""
        return self._by_level[level]

    def of_kind(self, kind: str) -> tuple[Placement, ...]:
        return tuple(p for p in self.placements if p.kind == kind)

    def stores_at(self, level: Level) -> tuple[str, ...]:
        if level == Level.GLOBAL:
            return (SETTINGS,)
        return tuple(p.store for p in self.placements if p.level == level)

    @cached_property
    def stores(self) -> dict[str, Level]:
        """Every store name → its level."""
        return {name: level for level in Level for name in self.stores_at(level)}

    def default(self, store: str) -> Any:
        """A store's value while its level is not loaded: None for single records, else []."""
        if store == SETTINGS:
            return None
        placement = next(p for p in self.placements if p.store == store)
        return None if placement.shown.single else []

    def single_kind(self, level: Level) -> str | None:
        """The kind whose one record is the level's context (character, chat)."""
        return next((p.kind for p in self.placements_at(level) if p.shown.single), None)

    def levels_of_table(self, table: str) -> set[Level]:
        """Levels whose stores show records of `table` or are decided by its links."""
        if table == SETTINGS:
            return {Level.GLOBAL}
        levels = set()
        for p in self.placements:
            linked = p.shown.linked
            if p.table == table or (linked is not None and self.tables.get(linked.kind) == table):
                levels.add(p.level)
        return levels


    def placeable(self, table: str) -> bool:
        """Whether records written to ``table`` show by being put where they belong, with
        no reload: links do not decide where they show, and no store's filter reads the
        stores that show them."""
        if table == SETTINGS:
            return False
        stores = {p.store for p in self.placements if p.table == table}
        for p in self.placements:
            linked = p.shown.linked
            if linked is not None and (p.table == table or self.tables.get(linked.kind) == table):
                return False
            if p.depends_on() & stores:
                return False
        return True


def _dependencies_first(items: list[Placement]) -> tuple[Placement, ...]:
    order: list[Placement] = []
    pending = list(items)
    while pending:
        ready = [p for p in pending if p.depends_on() <= {q.store for q in order}]
        if not ready:  # depends on another level's store: that level is loaded first
            ready = pending[:1]
        order.append(ready[0])
        pending.remove(ready[0])
    return tuple(order)
