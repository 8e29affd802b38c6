"""In-memory backend: the same DBCore contract as IndexedDB, for CPython.

Databases live in a process-wide registry keyed by name, so a second
``Database(name)`` sees the data of the first (as another IndexedDB connection would)
and ``delete()`` removes it.  Writes are applied at once and undone from a log on
abort.  Every value is structured-cloned on the way in and out.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from ._core import (
    BackendCore,
    BackendTable,
    CoreTransaction,
    DBCoreTable,
    Mode,
    MutateRequest,
    MutateResponse,
    QueryRequest,
    QueryResponse,
)
from ._keys import (
    MAX_ENC,
    MIN_ENC,
    MISSING,
    KeyRange,
    clone,
    decode,
    encode,
    extract_key,
    index_keys,
    set_by_keypath,
)
from ._schema import DBSchema, IndexSpec, TableSchema
from .errors import (
    AbortError,
    ConstraintError,
    DatabaseError,
    DataError,
    NotFoundError,
    ReadOnlyError,
    TransactionInactiveError,
)

_MAX_GENERATED = 2**53


class _LazySorted:
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


class _Index:
    __slots__ = ("_entries", "by_pk", "counts", "spec")

    def __init__(self, spec: IndexSpec) -> None:
        self.spec = spec
        self._entries = _LazySorted()
        self.by_pk: dict[tuple, list[tuple]] = {}
        self.counts: dict[tuple, int] = {}

    @property
    def entries(self) -> list[tuple[tuple, tuple]]:
        return self._entries.view()

    def keys_of(self, value: Any) -> list[tuple]:
        assert self.spec.key_path is not None
        return index_keys(value, self.spec.key_path, self.spec.multi)

    def add(self, epk: tuple, ekeys: list[tuple]) -> None:
        if not ekeys:
            return
        self.by_pk[epk] = ekeys
        for ek in ekeys:
            self._entries.add((ek, epk))
            self.counts[ek] = self.counts.get(ek, 0) + 1

    def remove(self, epk: tuple) -> None:
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


class _Store:
    """One object store."""

    def __init__(self, schema: TableSchema) -> None:
        self.schema = schema
        self._pks = _LazySorted()
        self.rows: dict[tuple, tuple[Any, Any]] = {}
        self.indexes: dict[str, _Index] = {}
        self.generator = 1
        for spec in schema.indexes.values():
            self.add_index(spec)

    @property
    def pks(self) -> list[tuple]:
        return self._pks.view()

    def add_index(self, spec: IndexSpec) -> None:
        idx = _Index(spec)
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
    def raw_put(self, epk: tuple, pk: Any, value: Any) -> None:
        if epk in self.rows:
            self.raw_delete(epk)
        self._pks.add(epk)
        self.rows[epk] = (pk, value)
        for idx in self.indexes.values():
            idx.add(epk, idx.keys_of(value))

    def raw_delete(self, epk: tuple) -> None:
        if epk not in self.rows:
            return
        del self.rows[epk]
        self._pks.discard(epk)
        for idx in self.indexes.values():
            idx.remove(epk)


@dataclass
class _MemoryData:
    name: str
    version: int = 0
    stores: dict[str, _Store] = field(default_factory=dict)


#: Process-wide registry: name -> data, like IndexedDB's per-origin databases.
REGISTRY: dict[str, _MemoryData] = {}


class MemoryTransaction(CoreTransaction):
    def __init__(self, core: MemoryCore, tables: list[str], mode: Mode) -> None:
        super().__init__(tables, mode)
        self.core = core
        self.undo: list[tuple[_Store, tuple, tuple[Any, Any] | None]] = []
        self.generators: dict[int, tuple[_Store, int]] = {}
        self.undo_extra: list[Any] = []

    def check(self, table: str, write: bool) -> None:
        if self.done or self._finishing:
            raise TransactionInactiveError(
                f"table {table!r}: the transaction has already committed or aborted"
            )
        if table not in self.tables:
            raise NotFoundError(f"table {table!r} is not part of this transaction")
        if write and self.mode == "r":
            raise ReadOnlyError(f"table {table!r}: cannot write in a read-only transaction")

    def log(self, store: _Store, epk: tuple) -> None:
        self.undo.append((store, epk, store.rows.get(epk)))

    def log_generator(self, store: _Store) -> None:
        if id(store) not in self.generators:
            self.generators[id(store)] = (store, store.generator)

    def finish(self) -> None:
        if self.done:
            return
        self._finishing = True
        self.undo.clear()
        self._settle(None)

    def abort(self, error: DatabaseError | None = None) -> None:
        if self.done:
            return
        self._finishing = True
        for store, epk, old in reversed(self.undo):
            if old is None:
                store.raw_delete(epk)
            else:
                store.raw_put(epk, old[0], old[1])
        for store, gen in self.generators.values():
            store.generator = gen
        for fn in reversed(self.undo_extra):
            fn()
        self.undo.clear()
        self._settle(error or AbortError("the transaction was aborted"))

    async def wait(self) -> None:
        if self.error is not None:
            raise self.error


class MemoryTable(BackendTable):
    core: MemoryCore

    def _store(self, trans: CoreTransaction, write: bool) -> _Store:
        assert isinstance(trans, MemoryTransaction)
        trans.check(self.name, write)
        store = self.core.data.stores.get(self.name)
        if store is None:
            raise NotFoundError(f"table {self.name!r} does not exist")
        return store

    # ------------------------------------------------------------ writes
    async def mutate(self, trans: CoreTransaction, req: MutateRequest) -> MutateResponse:
        store = self._store(trans, write=True)
        assert isinstance(trans, MemoryTransaction)
        if req.type == "delete":
            keys = req.keys or []
            encs = [encode(k) for k in keys]
            for e in encs:
                if e in store.rows:
                    trans.log(store, e)
                    store.raw_delete(e)
            return MutateResponse(results=list(keys), last_result=keys[-1] if keys else None)
        if req.type == "delete_range":
            rng = req.range or KeyRange()
            lo, hi = _pk_slice(store.pks, rng)
            doomed = store.pks[lo:hi]
            for e in doomed:
                trans.log(store, e)
                store.raw_delete(e)
            return MutateResponse(results=[decode(e) for e in doomed])
        values = req.values or []
        keys = req.keys
        resp = MutateResponse(results=[None] * len(values))
        for i, value in enumerate(values):
            try:
                key = self._write_one(
                    trans, store, req.type, value, None if keys is None else keys[i]
                )
            except DatabaseError as err:
                resp.failures[i] = err
                continue
            resp.results[i] = key
            resp.last_result = key
        resp.num_failures = len(resp.failures)
        return resp

    def _write_one(
        self, trans: MemoryTransaction, store: _Store, op: str, value: Any, key: Any
    ) -> Any:
        pk_spec = store.schema.primary_key
        value = clone(value)
        if pk_spec.key_path is not None:
            if key is not None:
                raise DataError(
                    f"table {self.name!r}: a key was given but the table uses inbound key {pk_spec.name!r}"
                )
            if not isinstance(value, dict):
                raise DataError(
                    f"table {self.name!r}: inbound-key tables store dicts, got {value!r}"
                )
            key = extract_key(value, pk_spec.key_path)
            if key is MISSING:
                raw = _raw_path(value, pk_spec.key_path)
                if pk_spec.auto and raw is MISSING:
                    key = self._generate(trans, store)
                    assert isinstance(pk_spec.key_path, str)
                    set_by_keypath(value, pk_spec.key_path, key)
                else:
                    raise DataError(
                        f"table {self.name!r}: primary key {pk_spec.name!r} is missing or not a valid key "
                        f"(got {raw!r})"
                    )
        elif key is None:
            if pk_spec.auto:
                key = self._generate(trans, store)
            else:
                raise DataError(f"table {self.name!r}: out-of-line key required but none given")
        epk = encode(key)
        if pk_spec.auto and isinstance(key, (int, float)) and not isinstance(key, bool):
            if key >= store.generator:
                trans.log_generator(store)
                store.generator = min(math.floor(key) + 1, _MAX_GENERATED + 1)
        existing = store.rows.get(epk)
        if op == "add" and existing is not None:
            raise ConstraintError(f"table {self.name!r}: key {key!r} already exists")
        for idx in store.indexes.values():
            if not idx.spec.unique:
                continue
            for ek in idx.keys_of(value):
                n = idx.counts.get(ek, 0)
                if n and not (existing is not None and ek in idx.by_pk.get(epk, ())):
                    raise ConstraintError(
                        f"table {self.name!r}: unique index {idx.spec.name!r} already has key "
                        f"{decode(ek)!r} (writing key {key!r})"
                    )
        trans.log(store, epk)
        store.raw_put(epk, decode(epk), value)
        return decode(epk)

    def _generate(self, trans: MemoryTransaction, store: _Store) -> int:
        if store.generator > _MAX_GENERATED:
            raise ConstraintError(f"table {self.name!r}: key generator exhausted")
        trans.log_generator(store)
        key = store.generator
        store.generator += 1
        return key

    # ------------------------------------------------------------ reads
    async def get(self, trans: CoreTransaction, key: Any) -> Any:
        store = self._store(trans, write=False)
        row = store.rows.get(encode(key))
        return None if row is None else clone(row[1])

    async def get_many(self, trans: CoreTransaction, keys: list[Any]) -> list[Any]:
        store = self._store(trans, write=False)
        out = []
        for k in keys:
            row = store.rows.get(encode(k))
            out.append(None if row is None else clone(row[1]))
        return out

    def _entries(self, store: _Store, req: QueryRequest) -> list[tuple[tuple, tuple]]:
        """Matching (encoded index key, encoded pk) pairs in order, unique/limit applied."""
        if req.range.is_empty():
            return []
        if req.index == "":
            lo, hi = _pk_slice(store.pks, req.range)
            sl = store.pks[lo:hi]
            if req.reverse:
                sl = sl[::-1]
            if req.limit is not None:
                sl = sl[: req.limit]
            return [(e, e) for e in sl]
        idx = store.indexes.get(req.index)
        if idx is None:
            raise NotFoundError(f"table {self.name!r} has no index {req.index!r}")
        lo, hi = _index_slice(idx.entries, req.range)
        ents = idx.entries[lo:hi]
        if req.unique:
            if req.reverse:
                out: list[tuple[tuple, tuple]] = []
                for ent in reversed(ents):
                    if out and out[-1][0] == ent[0]:
                        out[-1] = ent
                    else:
                        out.append(ent)
                ents = out
            else:
                out = []
                for ent in ents:
                    if not out or out[-1][0] != ent[0]:
                        out.append(ent)
                ents = out
        elif req.reverse:
            ents = ents[::-1]
        if req.limit is not None:
            ents = ents[: req.limit]
        return ents

    def _response(
        self, store: _Store, ents: list[tuple[tuple, tuple]], req: QueryRequest
    ) -> QueryResponse:
        rows = store.rows
        pks = [rows[e[1]][0] for e in ents]
        resp = QueryResponse(primary_keys=pks)
        if req.want_values:
            resp.values = [clone(rows[e[1]][1]) for e in ents]
        if req.want_keys:
            resp.keys = pks[:] if req.index == "" else [decode(e[0]) for e in ents]
        return resp

    async def query(self, trans: CoreTransaction, req: QueryRequest) -> QueryResponse:
        store = self._store(trans, write=False)
        return self._response(store, self._entries(store, req), req)

    async def open_cursor(  # type: ignore[override]
        self, trans: CoreTransaction, req: QueryRequest, chunk: int = 200
    ) -> AsyncIterator[QueryResponse]:
        store = self._store(trans, write=False)
        ents = self._entries(store, req)
        for start in range(0, len(ents), chunk):
            self._store(trans, write=False)
            part = [e for e in ents[start : start + chunk] if e[1] in store.rows]
            yield self._response(store, part, req)

    async def count(self, trans: CoreTransaction, index: str, range: KeyRange) -> int:
        store = self._store(trans, write=False)
        if range.is_empty():
            return 0
        if index == "":
            lo, hi = _pk_slice(store.pks, range)
        else:
            idx = store.indexes.get(index)
            if idx is None:
                raise NotFoundError(f"table {self.name!r} has no index {index!r}")
            lo, hi = _index_slice(idx.entries, range)
        return max(0, hi - lo)


def _raw_path(value: Any, path: Any) -> Any:
    from ._keys import get_by_keypath

    if isinstance(path, list):
        return [get_by_keypath(value, p) for p in path]
    return get_by_keypath(value, path)


def _pk_slice(pks: list[tuple], rng: KeyRange) -> tuple[int, int]:
    lo, hi = rng.bounds()
    a = bisect.bisect_right(pks, lo) if rng.lower_open else bisect.bisect_left(pks, lo)
    b = bisect.bisect_left(pks, hi) if rng.upper_open else bisect.bisect_right(pks, hi)
    return a, b


def _index_slice(entries: list[tuple[tuple, tuple]], rng: KeyRange) -> tuple[int, int]:
    lo, hi = rng.bounds()
    a = (
        bisect.bisect_right(entries, (lo, MAX_ENC))
        if rng.lower_open
        else bisect.bisect_left(entries, (lo, MIN_ENC))
    )
    b = (
        bisect.bisect_left(entries, (hi, MIN_ENC))
        if rng.upper_open
        else bisect.bisect_right(entries, (hi, MAX_ENC))
    )
    return a, b


class MemoryCore(BackendCore):
    """DBCore over a registry entry."""

    def __init__(self, data: _MemoryData, schema: DBSchema) -> None:
        super().__init__(schema)
        self.data = data

    def _make_table(self, name: str) -> DBCoreTable:
        return MemoryTable(self, name)

    def transaction(self, tables: list[str], mode: Mode) -> CoreTransaction:
        for t in tables:
            if t not in self.data.stores:
                raise NotFoundError(f"table {t!r} does not exist")
        return MemoryTransaction(self, tables, mode)
