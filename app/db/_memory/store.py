"""The in-memory data: databases by name, object stores, sorted indexes.

Databases live in a process-wide registry keyed by name, like IndexedDB's databases of
an origin, so a second ``Database(name)`` sees the data of the first.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from .._key_path import index_keys
from .._keys import Encoded, decode
from .._schema import IndexSpec, TableSchema
from ..errors import ConstraintError

__all__ = ["MAX_GENERATED", "REGISTRY", "Index", "MemoryData", "SortedSet", "Store"]

#: The largest key a key generator gives (2**53, as in IndexedDB).
MAX_GENERATED = 2**53


class SortedSet:
    """A sorted list of unique items whose inserts and removals are batched.

    Bulk writes just collect; the next read applies a few changes with bisect, or
    many with one sort, so n writes cost O(n log n) rather than O(n^2).
    """

    __slots__ = ("_adds", "_dels", "_items")

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._adds: set[Any] = set()
        self._dels: set[Any] = set()

    def add(self, x: Any) -> None:
        if x in self._dels:
            self._dels.discard(x)
        else:
            self._adds.add(x)

    def discard(self, x: Any) -> None:
        if x in self._adds:
            self._adds.discard(x)
        else:
            self._dels.add(x)

    def view(self) -> list[Any]:
        adds, dels = self._adds, self._dels
        if adds or dels:
            items = self._items
            if len(adds) + len(dels) <= max(32, len(items) >> 5):
                for d in dels:
                    del items[bisect.bisect_left(items, d)]
                for a in sorted(adds):
                    bisect.insort(items, a)
            else:
                if dels:
                    items = [x for x in items if x not in dels]
                items.extend(adds)
                items.sort()
                self._items = items
            self._adds = set()
            self._dels = set()
        return self._items


class Index:
    __slots__ = ("_entries", "by_pk", "counts", "spec")

    def __init__(self, spec: IndexSpec) -> None:
        self.spec = spec
        self._entries = SortedSet()
        self.by_pk: dict[Encoded, list[Encoded]] = {}
        self.counts: dict[Encoded, int] = {}

    @property
    def entries(self) -> list[tuple[Encoded, Encoded]]:
        return self._entries.view()

    def keys_of(self, value: Any) -> list[Encoded]:
        assert self.spec.key_path is not None
        return index_keys(value, self.spec.key_path, self.spec.multi)

    def add(self, epk: Encoded, ekeys: list[Encoded]) -> None:
        if not ekeys:
            return
        self.by_pk[epk] = ekeys
        for ek in ekeys:
            self._entries.add((ek, epk))
            self.counts[ek] = self.counts.get(ek, 0) + 1

    def remove(self, epk: Encoded) -> None:
        ekeys = self.by_pk.pop(epk, None)
        if not ekeys:
            return
        for ek in ekeys:
            self._entries.discard((ek, epk))
            n = self.counts[ek] - 1
            if n:
                self.counts[ek] = n
            else:
                del self.counts[ek]


class Store:
    """One object store."""

    def __init__(self, schema: TableSchema) -> None:
        self.schema = schema
        self._pks = SortedSet()
        self.rows: dict[Encoded, tuple[Any, Any]] = {}
        self.indexes: dict[str, Index] = {}
        self.generator = 1
        for spec in schema.indexes.values():
            self.add_index(spec)

    @property
    def pks(self) -> list[Encoded]:
        return self._pks.view()

    def add_index(self, spec: IndexSpec) -> None:
        idx = Index(spec)
        for epk, (_pk, value) in self.rows.items():
            ekeys = idx.keys_of(value)
            if spec.unique:
                for ek in ekeys:
                    if idx.counts.get(ek):
                        raise ConstraintError(
                            f"table {self.schema.name!r}: cannot create unique index "
                            f"{spec.name!r}: duplicate key {decode(ek)!r}"
                        )
                    idx.counts[ek] = 0  # reserve; fixed by add below
            idx.add(epk, ekeys)
        if spec.unique:
            idx.counts = {k: v for k, v in idx.counts.items() if v}
        self.indexes[spec.name] = idx

    # raw write primitives (no checks)
    def raw_put(self, epk: Encoded, pk: Any, value: Any) -> None:
        if epk in self.rows:
            self.raw_delete(epk)
        self._pks.add(epk)
        self.rows[epk] = (pk, value)
        for idx in self.indexes.values():
            idx.add(epk, idx.keys_of(value))

    def raw_delete(self, epk: Encoded) -> None:
        if epk not in self.rows:
            return
        del self.rows[epk]
        self._pks.discard(epk)
        for idx in self.indexes.values():
            idx.remove(epk)


@dataclass
class MemoryData:
    name: str
    version: float = 0
    stores: dict[str, Store] = field(default_factory=dict)


#: Process-wide registry: name -> data, like IndexedDB's per-origin databases.
REGISTRY: dict[str, MemoryData] = {}


