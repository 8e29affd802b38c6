"""Loading one level: every store of it filled from its placement's declaration."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from app.domain import CONTEXT, InStore, NotFoundError

from ._layout import Layout, Placement
from ._levels import Level
from ._records import field_of, id_of

__all__ = ["Source", "is_partial", "load_level"]


class Source(Protocol):
    """Where a level's records come from (a `Backend` is one)."""

    async def get(self, kind: str, id: str) -> Any: ...

    async def find(
        self, kind: str, where: Mapping[str, Any], placement: Placement | None
    ) -> list[Any]:
        """Records of `kind` whose fields equal `where`'s values; a value that is a
        `frozenset` matches any of its members. Ordered as `placement` declares."""
        ...

    async def find_latest(
        self, kind: str, where: Mapping[str, Any], placement: Placement
    ) -> list[Any]:
        """Like `find`, only the last records of the placement's `latest` index."""
        ...


def _resolve(where: Mapping[str, Any], key: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, wanted in where.items():
        if wanted is CONTEXT:
            out[name] = key
        elif isinstance(wanted, InStore):
            out[name] = frozenset(id_of(item) for item in values.get(wanted.store, ()))
        else:
            out[name] = wanted
    return out


def is_partial(layout: Layout, level: Level) -> bool:
    """Whether opening `level` shows some stores' newest records first (`Shown.latest`)."""
    return any(p.shown.latest is not None for p in layout.placements_at(level))


async def load_level(
    layout: Layout, level: Level, key: Any, source: Source, *, partial: bool = False
) -> dict[str, Any]:
    """Every store of `level` for the context `key` (an id, or `"loaded"` for LISTS);
    with `partial`, stores that declare `latest` get only their newest records.

    Raises the domain's `NotFoundError` when the record the level shows is gone.
    """
    values: dict[str, Any] = {}
    for placement in layout.placements_at(level):
        shown = placement.shown
        if shown.single:
            record = await source.get(placement.kind, key)
            if record is None:
                raise NotFoundError(placement.kind.replace("_", " "), key)
            values[placement.store] = record
        elif shown.linked is not None:
            link = shown.linked
            links = await source.find(link.kind, _resolve(link.where, key, values), None)
            ids = dict.fromkeys(field_of(item, link.key) for item in links)
            found = [await source.get(placement.kind, i) for i in ids]
            values[placement.store] = [record for record in found if record is not None]
        else:
            where = _resolve(shown.where, key, values)
            if partial and shown.latest is not None:
                found = await source.find_latest(placement.kind, where, placement)
            else:
                found = await source.find(placement.kind, where, placement)
            values[placement.store] = found
    return values

