"""Records kept in an order the person chose: series, the stories of a series, the
chapters of a story, the scene beats of a chapter.

Each such record has an integer ``order`` among its siblings (the records sharing its
``group_field``: a chapter's story, a story's series — ``None`` for stories standing
alone). A new record goes last; a move renumbers the siblings ``0..n-1`` in one
transaction, writing only the records whose number changed.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, TypeVar

from ._db_errors import translate_db_errors
from ._entity import Entity
from ._errors import FieldError, InvalidDataError
from ._repository import Repository

__all__ = ["Ordered", "OrderedRepository", "moved", "renumbered"]


class Ordered(Entity):
    """An entity with a place among its siblings."""

    order: int = 0


E = TypeVar("E", bound=Ordered)


def moved(ids: Sequence[str], moving: str, to_index: int) -> list[str]:
    """``ids`` with ``moving`` taken out and put back at ``to_index`` (clamped)."""
    rest = [i for i in ids if i != moving]
    if len(rest) == len(ids):
        raise ValueError(f"{moving!r} is not among the ids")
    index = max(0, min(to_index, len(rest)))
    return [*rest[:index], moving, *rest[index:]]


def renumbered(current: Mapping[str, int], ids: Sequence[str]) -> dict[str, int]:
    """The ``order`` each id must get so that ``ids`` is the new sequence, for the ids
    whose number changes (``current``: id → its order now)."""
    return {i: n for n, i in enumerate(ids) if current.get(i) != n}


class OrderedRepository(Repository[E]):
    """CRUD plus a person-chosen order among siblings (see the module docstring).

    Subclasses name ``group_field`` (or leave it ``None``: every record is a sibling) and
    may refine ``sort_key`` (what "in order" means; ties broken by creation).
    """

    group_field: ClassVar[str | None] = None

    @staticmethod
    def sort_key(entity: Ordered) -> tuple[Any, ...]:
        return (entity.order, entity.created_at, entity.id)

    def group_of(self, entity: E | Mapping[str, Any]) -> Any:
        if self.group_field is None:
            return None
        if isinstance(entity, Mapping):
            return entity.get(self.group_field)
        return getattr(entity, self.group_field)

    async def siblings(self, group: Any) -> builtins.list[E]:
        """The records of one group, in order."""
        if self.group_field is None:
            found = await self.list()
        else:
            found = await self.find({self.group_field: group})
        return sorted(found, key=self.sort_key)

    async def create(self, data: E | Mapping[str, Any]) -> E:
        """As ``Repository.create``; without an explicit ``order`` the record goes last."""
        given = data.model_fields_set if isinstance(data, Entity) else data.keys()
        if "order" in given:
            return await super().create(data)
        async with translate_db_errors(), self.store.transaction("rw", *self.tables_used):
            record = data.model_dump() if isinstance(data, Entity) else dict(data)
            siblings = await self.siblings(self.group_of(record))
            record["order"] = max((s.order for s in siblings), default=-1) + 1
            return await super().create(record)

    async def move(self, id: str, to_index: int) -> builtins.list[E]:
        """Put record ``id`` at ``to_index`` among its siblings; returns them in the new order."""
        async with translate_db_errors(), self.store.transaction("rw", *self.tables_used):
            entity = await self.require(id)
            siblings = await self.siblings(self.group_of(entity))
            ids = moved([s.id for s in siblings], id, to_index)
            return await self._apply_order(siblings, ids, id)

    async def move_by(self, id: str, delta: int) -> builtins.list[E]:
        """Move record ``id`` ``delta`` places (``-1``: up one); clamped at the ends."""
        async with translate_db_errors(), self.store.transaction("rw", *self.tables_used):
            entity = await self.require(id)
            siblings = await self.siblings(self.group_of(entity))
            index = [s.id for s in siblings].index(id)
            ids = moved([s.id for s in siblings], id, index + delta)
            return await self._apply_order(siblings, ids, id)

    async def reorder(self, group: Any, ids: Sequence[str]) -> builtins.list[E]:
        """Give the group exactly the order ``ids`` (every sibling once, nothing else)."""
        async with translate_db_errors(), self.store.transaction("rw", *self.tables_used):
            siblings = await self.siblings(group)
            if sorted(ids) != sorted(s.id for s in siblings) or len(set(ids)) != len(ids):
                raise InvalidDataError(
                    [FieldError("order", "must list every record of the group exactly once")]
                )
            return await self._apply_order(siblings, list(ids), None)

    async def _apply_order(
        self, siblings: builtins.list[E], ids: builtins.list[str], moving: str | None
    ) -> builtins.list[E]:
        by_id = {s.id: s for s in siblings}
        extra = self._moved_changes(siblings, ids, moving) if moving is not None else {}
        changes = renumbered({s.id: s.order for s in siblings}, ids)
        out: builtins.list[E] = []
        for i in ids:
            change = {**({"order": changes[i]} if i in changes else {}), **extra.get(i, {})}
            entity = by_id[i]
            if change:
                entity = await self._apply_update(entity, change, check=False)
            out.append(entity)
        return out

    def _moved_changes(
        self, before: builtins.list[E], ids: builtins.list[str], moving: str
    ) -> dict[str, dict[str, Any]]:
        """Further field changes a move implies (scene beats take their neighbour's point)."""
        return {}
