"""What a live query read, and whether a commit's writes touch it."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field
from typing import Any

from ._key_range import KeyRange
from ._keys import Encoded, encode
from ._writes import Writes

__all__ = ["ReadSet", "TableReads", "current_reads"]


@dataclass(slots=True)
class TableReads:
    #: (index, range, whether the primary keys of the results were recorded too)
    ranges: list[tuple[str, KeyRange, bool]] = field(default_factory=list)
    pks: set[Encoded] = field(default_factory=set)


class ReadSet:
    """What a live query read: ranges per index and point primary keys."""

    def __init__(self) -> None:
        self.tables: dict[tuple[str, str], TableReads] = {}

    def _t(self, db: str, table: str) -> TableReads:
        key = (db, table)
        t = self.tables.get(key)
        if t is None:
            t = self.tables[key] = TableReads()
        return t

    def add_range(
        self, db: str, table: str, index: str, rng: KeyRange, exact: bool = False
    ) -> None:
        self._t(db, table).ranges.append((index, rng, exact))

    def add_pks(self, db: str, table: str, pks: list[Any]) -> None:
        t = self._t(db, table)
        for pk in pks:
            t.pks.add(encode(pk))

    def overlaps(self, writes: Writes) -> bool:
        for key, w in writes.items():
            r = self.tables.get(key)
            if r is None:
                continue
            if w.all:
                return True
            if r.pks & w.pks:
                return True
            for index, rng, exact in r.ranges:
                keys = w.pks if index == "" else w.index_keys.get(index, ())
                for ek in keys:
                    if rng.contains_enc(ek):
                        return True
                if w.unknown_old and index != "" and not exact and w.pks:
                    return True
        return False


#: The reads of the live query running in this context (None outside live queries).
current_reads: contextvars.ContextVar[ReadSet | None] = contextvars.ContextVar(
    "app_db_live_reads", default=None
)
