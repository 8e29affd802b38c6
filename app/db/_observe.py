"""The change feed and live-query observation, as one DBCore layer.

Writes: when anybody listens (``db.on("changes")`` or a live query anywhere in the
process), the layer reads the old values first, so each change carries table, key,
type, old and new value, and the exact index keys touched.  Otherwise it only notes
which tables were written.  Everything is kept on the backend transaction and
published once it has committed.

Reads: while a live query runs, every get/query/count records the keys and ranges
it read into the current :class:`ReadSet`.
"""

from __future__ import annotations

import contextvars
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from ._core import (
    CoreTransaction,
    DBCoreLayer,
    DBCoreTable,
    DBCoreTableLayer,
    Mode,
    MutateRequest,
    MutateResponse,
    QueryRequest,
    QueryResponse,
)
from ._keys import MISSING, KeyRange, clone, encode, extract_key, index_keys, set_by_keypath

#: Beyond this many keys in one table and transaction, the keys are not kept for
#: other connections: they hear "the table changed" (as after a clear).
BATCH_KEYS = 1000

if TYPE_CHECKING:
    from ._database import Database

ChangeType = Literal["create", "update", "delete"]


@dataclass(slots=True)
class Change:
    """One committed change: ``old`` is None for creates, ``new`` None for deletes."""

    table: str
    key: Any
    type: ChangeType
    old: Any = None
    new: Any = None


# ---------------------------------------------------------------- parts


@dataclass(slots=True)
class TableWrites:
    all: bool = False
    #: Old index keys were not read (nobody listened in this tab): readers that did
    #: not record the primary keys they saw must assume they are affected.
    unknown_old: bool = False
    pks: set[tuple] = field(default_factory=set)
    index_keys: dict[str, set[tuple]] = field(default_factory=dict)

    def add_value(self, schema: Any, epk: tuple, value: Any) -> None:
        self.pks.add(epk)
        if value is None:
            return
        for name, spec in schema.indexes.items():
            ks = index_keys(value, spec.key_path, spec.multi)
            if ks:
                self.index_keys.setdefault(name, set()).update(ks)


@dataclass(slots=True)
class TableReads:
    #: (index, range, whether the primary keys of the results were recorded too)
    ranges: list[tuple[str, KeyRange, bool]] = field(default_factory=list)
    pks: set[tuple] = field(default_factory=set)


#: (database name, table name) -> writes
Writes = dict[tuple[str, str], TableWrites]


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


current_reads: contextvars.ContextVar[ReadSet | None] = contextvars.ContextVar(
    "app_db_live_reads", default=None
)


def merge_writes(into: Writes, other: Writes) -> None:
    for key, w in other.items():
        t = into.get(key)
        if t is None:
            into[key] = w
            continue
        t.all = t.all or w.all
        t.unknown_old = t.unknown_old or w.unknown_old
        t.pks |= w.pks
        for name, ks in w.index_keys.items():
            t.index_keys.setdefault(name, set()).update(ks)


# ---------------------------------------------------------------- layer


class ObserveLayer(DBCoreLayer):
    """Tracks reads (for live queries) and writes (for the change feed)."""

    def __init__(self, down: Any, db: Database) -> None:
        super().__init__(down)
        self.db = db

    def wrap_table(self, table: DBCoreTable) -> DBCoreTable:
        return _ObservedTable(table, self.db)

    def transaction(self, tables: list[str], mode: Mode) -> CoreTransaction:
        trans = self.down.transaction(tables, mode)
        if mode != "r":
            trans.on_done(self.db._on_transaction_done)
        return trans


class _ObservedTable(DBCoreTableLayer):
    def __init__(self, down: DBCoreTable, db: Database) -> None:
        super().__init__(down)
        self.db = db

    # ------------------------------------------------------------ writes
    def _writes(self, trans: CoreTransaction) -> TableWrites:
        writes: Writes = trans.data.setdefault("writes", {})
        key = (self.db.name, self.name)
        w = writes.get(key)
        if w is None:
            w = writes[key] = TableWrites()
        return w

    async def mutate(self, trans: CoreTransaction, req: MutateRequest) -> MutateResponse:
        if trans.mode == "versionchange":
            return await self.down.mutate(trans, req)
        if not self.db._tracking():
            return await self._untracked(trans, req)
        schema = self.down.schema
        pk_path = schema.primary_key.key_path
        changes: list[Change] = trans.data.setdefault("changes", [])
        if req.type == "delete_range":
            rng = req.range or KeyRange()
            found = await self.down.query(
                trans, QueryRequest("", rng, None, False, False, True, False)
            )
            resp = await self.down.mutate(trans, req)
            w = self._writes(trans)
            for pk, old in zip(found.primary_keys, found.values or [], strict=True):
                changes.append(Change(self.name, pk, "delete", old, None))
                w.add_value(schema, encode(pk), old)
            return resp
        if req.type == "delete":
            keys = req.keys or []
            olds = await self.down.get_many(trans, keys)
            resp = await self.down.mutate(trans, req)
            w = self._writes(trans)
            seen: set[tuple] = set()
            for k, old in zip(keys, olds, strict=True):
                ek = encode(k)
                if old is None or ek in seen:
                    continue
                seen.add(ek)
                changes.append(Change(self.name, k, "delete", old, None))
                w.add_value(schema, ek, old)
            return resp
        values = req.values or []
        known: list[Any] = []
        if pk_path is not None:
            for v in values:
                k = extract_key(v, pk_path) if isinstance(v, dict) else MISSING
                known.append(k)
        else:
            known = list(req.keys) if req.keys is not None else [MISSING] * len(values)
        lookup = [k for k in known if k is not MISSING]
        olds_list = await self.down.get_many(trans, lookup) if lookup else []
        olds_by_key: dict[tuple, Any] = {}
        for k, old in zip(lookup, olds_list, strict=True):
            olds_by_key[encode(k)] = old
        req.old_values = [None if k is MISSING else olds_by_key.get(encode(k)) for k in known]
        resp = await self.down.mutate(trans, req)
        w = self._writes(trans)
        for i, v in enumerate(values):
            if i in resp.failures:
                continue
            key = resp.results[i]
            ek = encode(key)
            old = olds_by_key.get(ek) if known[i] is not MISSING else None
            new = clone(v)
            if pk_path is not None and isinstance(pk_path, str) and known[i] is MISSING:
                set_by_keypath(new, pk_path, key)
            changes.append(
                Change(self.name, key, "update" if old is not None else "create", old, new)
            )
            w.add_value(schema, ek, old)
            w.add_value(schema, ek, new)
            olds_by_key[ek] = new
        return resp

    async def _untracked(self, trans: CoreTransaction, req: MutateRequest) -> MutateResponse:
        """No old values needed: note the written keys for other connections here, if
        any listens (other tabs hear from IndexedDB's JavaScript helper directly)."""
        if not self.db._peers_listening():
            return await self.down.mutate(trans, req)
        resp = await self.down.mutate(trans, req)
        w = self._writes(trans)
        if req.type == "delete_range":
            w.all = True
            return resp
        w.unknown_old = True
        if w.all:
            return resp
        for i, k in enumerate(resp.results):
            if k is not None and i not in resp.failures:
                w.pks.add(encode(k))
        if len(w.pks) > BATCH_KEYS:
            w.all = True
            w.pks.clear()
        return resp

    # ------------------------------------------------------------ reads
    async def get(self, trans: CoreTransaction, key: Any) -> Any:
        reads = current_reads.get()
        if reads is not None:
            reads.add_pks(self.db.name, self.name, [key])
        return await self.down.get(trans, key)

    async def get_many(self, trans: CoreTransaction, keys: list[Any]) -> list[Any]:
        reads = current_reads.get()
        if reads is not None:
            reads.add_pks(self.db.name, self.name, keys)
        return await self.down.get_many(trans, keys)

    async def query(self, trans: CoreTransaction, req: QueryRequest) -> QueryResponse:
        reads = current_reads.get()
        if reads is not None and not req.want_pks:
            req = replace(req, want_pks=True)
        resp = await self.down.query(trans, req)
        if reads is not None:
            if req.limit is not None and not req.unique and len(resp.primary_keys) >= req.limit > 0:
                # a limited scan only depends on the part of the range it covered
                rng = _covered(req, resp)
            else:
                rng = req.range
            exact = resp.primary_keys is not None
            reads.add_range(self.db.name, self.name, req.index, rng, exact)
            if exact:
                reads.add_pks(self.db.name, self.name, resp.primary_keys)
        return resp

    def open_cursor(
        self, trans: CoreTransaction, req: QueryRequest, chunk: int = 200
    ) -> AsyncIterator[QueryResponse]:
        reads = current_reads.get()
        if reads is not None:
            reads.add_range(self.db.name, self.name, req.index, req.range)
        return self.down.open_cursor(trans, req, chunk)

    async def count(self, trans: CoreTransaction, index: str, range: KeyRange) -> int:
        reads = current_reads.get()
        if reads is not None:
            reads.add_range(self.db.name, self.name, index, range)
        return await self.down.count(trans, index, range)


def _covered(req: QueryRequest, resp: QueryResponse) -> KeyRange:
    if req.index and resp.keys is None:
        return req.range
    keys = resp.keys if req.index else resp.primary_keys
    if not keys:
        return req.range
    last = keys[-1]
    r = req.range
    if req.reverse:
        return KeyRange(last, r.upper, False, r.upper_open)
    return KeyRange(r.lower, last, r.lower_open, False)
