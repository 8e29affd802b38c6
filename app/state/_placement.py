"""Where entities appear: which stores show a created, updated or deleted entity.

Read from the layout (the entities' `Shown` declarations): a store shows a record when
every `where` condition holds — a constant, `CONTEXT` (the id its level shows) or
`InStore` (the id of a record another store shows); `single` stores hold the record
their level shows; `linked` stores are decided by link records (a reload follows them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.domain import CONTEXT, InStore
from app.reactive import batch, get

from ._hierarchy import Hierarchy
from ._layout import Placement
from ._records import field_of, id_of, remove_ids, upsert

__all__ = ["Shows"]


class Shows(Hierarchy):
    """Puts entities into, and takes them out of, the stores of the shown contexts."""

    def _show(self, kind: str, entity: Any) -> None:
        """Show a created or updated entity wherever the shown contexts include it,
        and remove it from where they no longer do (it may have moved)."""
        with batch():
            for placement in self._layout.of_kind(kind):
                self._effect(placement.level, self._placement_effect(placement, entity))

    def _placement_effect(self, placement: Placement, entity: Any) -> Callable[[], None]:
        """The effect that puts ``entity`` into the placement's store, or takes it out."""
        store, level, shown = placement.store, placement.level, placement.shown
        key = id_of(entity)
        if shown.single:

            def set_if_shown() -> None:
                if self.context(level) == key:
                    self._stores[store].set(entity)

            return set_if_shown
        if shown.linked is not None:  # links decide membership: replace in place only

            def replace_if_shown() -> None:
                if any(id_of(item) == key for item in self._value(store)):
                    self._edit(store, lambda items: upsert(items, entity))

            return replace_if_shown

        def place() -> None:
            if self._belonging(placement)(entity):
                self._edit(store, lambda items: upsert(items, entity))
            else:
                self._edit(store, lambda items: remove_ids(items, [key]))

        return place

    def _show_many(self, kind: str, entities: list[Any]) -> None:
        """`_show` for many entities of one kind at once (an import): each store is
        edited once, and a store with an order is sorted as a reload would give it."""
        if not entities:
            return
        with batch():
            for placement in self._layout.of_kind(kind):
                self._effect(placement.level, self._placements_effect(placement, entities))

    def _placements_effect(self, placement: Placement, entities: list[Any]) -> Callable[[], None]:
        shown = placement.shown
        if shown.single or shown.linked is not None:
            effects = [self._placement_effect(placement, entity) for entity in entities]

            def each() -> None:
                for effect in effects:
                    effect()

            return each
        written = {id_of(entity): entity for entity in entities}

        def place() -> None:
            belongs = self._belonging(placement)
            placed = {k: e for k, e in written.items() if belongs(e)}

            def edit(items: list[Any]) -> list[Any]:
                out = []
                for item in items:
                    key = id_of(item)
                    if key not in written:
                        out.append(item)
                    elif key in placed:  # replaced where it was
                        out.append(placed.pop(key))
                out += placed.values()
                if shown.order is not None:
                    out.sort(key=shown.order, reverse=shown.descending)
                return out

            self._edit(placement.store, edit)

        return place

    def _belonging(self, placement: Placement) -> Callable[[Any], bool]:
        """Whether an entity belongs in the placement's store: every ``where`` condition
        holds — a constant, ``CONTEXT`` (the id its level shows) or ``InStore`` (the id of
        a record another store shows; those stores are read once, for many entities)."""
        where = placement.shown.where
        ids = {
            wanted.store: {id_of(item) for item in self._value(wanted.store)}
            for wanted in where.values()
            if isinstance(wanted, InStore)
        }
        context = self.context(placement.level)

        def belongs(entity: Any) -> bool:
            for name, wanted in where.items():
                value = field_of(entity, name)
                if wanted is CONTEXT:
                    if context != value:
                        return False
                elif isinstance(wanted, InStore):
                    if value not in ids[wanted.store]:
                        return False
                elif value != wanted:
                    return False
            return True

        return belongs

    def _value(self, store: str) -> Any:
        return get(self._stores[store])

    def _hide(self, kind: str, key: str) -> None:
        """Remove a deleted entity (and what only it held in view) from every store."""
        with batch():
            self._hide_now(kind, key)

    def _hide_now(self, kind: str, key: str) -> None:
        layout = self._layout
        stores_of_kind = {p.store for p in layout.of_kind(kind)}
        for placement in layout.of_kind(kind):
            if not placement.shown.single:
                self._effect(placement.level, self._drop(placement.store, "id", key))
        for placement in layout.placements:  # records shown because the deleted one was
            for name, wanted in placement.shown.where.items():
                if isinstance(wanted, InStore) and wanted.store in stores_of_kind:
                    self._effect(placement.level, self._drop(placement.store, name, key))
        for placement in layout.of_kind(kind):
            if placement.shown.single:
                level = placement.level
                load = self._loads.get(level)
                if self.context(level) == key or (load is not None and load.key == key):
                    self.leave(level)

    def _drop(self, store: str, field: str, value: Any) -> Callable[[], None]:
        """The effect that removes the records of `store` whose `field` holds `value`."""

        def without(items: list[Any]) -> list[Any]:
            return remove_ids(items, [id_of(e) for e in items if field_of(e, field) == value])

        return lambda: self._edit(store, without)
