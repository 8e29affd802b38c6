"""The in-memory DBCore: the same contract as IndexedDB's, for CPython.

Writes are applied at once and undone from a log on abort.  Every value is
structured-cloned on the way in and out.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import AsyncIterator
from typing import Any

from .._core import (
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
from .._key_path import MISSING, extract_key, get_by_keypath, set_by_keypath
from .._key_range import KeyRange
from .._keys import MAX_ENC, MIN_ENC, Encoded, decode, encode
from .._schema import DBSchema
from .._values import clone
from ..errors import (
    AbortError,
    ConstraintError,
    DatabaseError,
    DataError,
    NotFoundError,
    ReadOnlyError,
    TransactionInactiveError,
)
from .store import MAX_GENERATED, MemoryData, Store

__all__ = ["MemoryCore", "MemoryTable", "MemoryTransaction"]


class MemoryTransaction(CoreTransaction):
    def __init__(self, core: MemoryCore, tables: list[str], mode: Mode) -> None:
        super().__init__(tables, mode)
        self.core = core
        self.undo: list[tuple[Store, Encoded, tuple[Any, Any] | None]] = []
        self.generators: dict[int, tuple[Store, int]] = {}
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

    def log(self, store: Store, epk: Encoded) -> None:
        self.undo.append((store, epk, store.rows.get(epk)))

    def log_generator(self, store: Store) -> None:
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

    def _store(self, trans: CoreTransaction, write: bool) -> Store:
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
            doomed_keys = req.keys or []
            for e in [encode(k) for k in doomed_keys]:
                if e in store.rows:
                    trans.log(store, e)
                    store.raw_delete(e)
            return MutateResponse(
                results=list(doomed_keys), last_result=doomed_keys[-1] if doomed_keys else None
            )
        if req.type == "delete_range":
            rng = req.range or KeyRange()
            lo, hi = _pk_slice(store.pks, rng)
            doomed = store.pks[lo:hi]
            for e in doomed:
                trans.log(store, e)
                store.raw_delete(e)
            return MutateResponse(results=[decode(e) for e in doomed])
        # cloned first: a value IndexedDB cannot store fails the whole call (DataError)
        values = [clone(v) for v in req.values or []]
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
        self, trans: MemoryTransaction, store: Store, op: str, value: Any, key: Any
    ) -> Any:
        pk_spec = store.schema.primary_key
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
                store.generator = min(math.floor(key) + 1, MAX_GENERATED + 1)
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

    def _generate(self, trans: MemoryTransaction, store: Store) -> int:
        if store.generator > MAX_GENERATED:
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

    def _entries(self, store: Store, req: QueryRequest) -> list[tuple[Encoded, Encoded]]:
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
                out: list[tuple[Encoded, Encoded]] = []
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
        self, store: Store, ents: list[tuple[Encoded, Encoded]], req: QueryRequest
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

    async def open_cursor(
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
    if isinstance(path, list):
        return [get_by_keypath(value, p) for p in path]
    return get_by_keypath(value, path)


def _pk_slice(pks: list[Encoded], rng: KeyRange) -> tuple[int, int]:
    lo, hi = rng.bounds()
    a = bisect.bisect_right(pks, lo) if rng.lower_open else bisect.bisect_left(pks, lo)
    b = bisect.bisect_left(pks, hi) if rng.upper_open else bisect.bisect_right(pks, hi)
    return a, b


def _index_slice(entries: list[tuple[Encoded, Encoded]], rng: KeyRange) -> tuple[int, int]:
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

    def __init__(self, data: MemoryData, schema: DBSchema) -> None:
        super().__init__(schema)
        self.data = data

    def _make_table(self, name: str) -> DBCoreTable:
        return MemoryTable(self, name)

    def transaction(self, tables: list[str], mode: Mode) -> CoreTransaction:
        for t in tables:
            if t not in self.data.stores:
                raise NotFoundError(f"table {t!r} does not exist")
        return MemoryTransaction(self, tables, mode)
