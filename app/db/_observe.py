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

from collections.abc import AsyncIterator, Coroutine
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from ._core import (
    CoreTransaction,
    DBCore,
    DBCoreLayer,
    DBCoreTable,
    DBCoreTableLayer,
    Mode,
    MutateRequest,
    MutateResponse,
    QueryRequest,
    QueryResponse,
)
from ._key_path import MISSING, extract_key, set_by_keypath
from ._key_range import KeyRange
from ._keys import Encoded, encode
from ._reads import current_reads
from ._values import clone
from ._writes import BATCH_KEYS, TableWrites, Writes

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


# ---------------------------------------------------------------- layer


class ObserveLayer(DBCoreLayer):
    """Tracks reads (for live queries) and writes (for the change feed)."""

    def __init__(self, down: DBCore, db: Database) -> None:
        super().__init__(down)
        self.db = db

    def wrap_table(self, table: DBCoreTable) -> DBCoreTable:
        return _ObservedTable(table, self.db)

    def transaction(self, tables: list[str], mode: Mode) -> CoreTransaction:
        trans = self.down.transaction(tables, mode)
        if mode != "r":
            trans.on_done(self.db._on_transaction_done)
        return trans

    def get_once(self, table: str, key: Any) -> Coroutine[Any, Any, Any]:
        # the same read tracking as a get's (_ObservedTable.get), then the layer below
        reads = current_reads.get()
        if reads is not None:
            reads.add_pks(self.db.name, table, [key])
        return self.down.get_once(table, key)


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
            w.ranged = True
            for pk, old in zip(found.primary_keys or [], found.values or [], strict=True):
                changes.append(Change(self.name, pk, "delete", old, None))
                w.add_value(schema, encode(pk), old)
            return resp
        if req.type == "delete":
            keys = req.keys or []
            olds = await self.down.get_many(trans, keys)
            resp = await self.down.mutate(trans, req)
            w = self._writes(trans)
            seen: set[Encoded] = set()
            for k, old in zip(keys, olds, strict=True):
                ek = encode(k)
                # other connections hear every key deleted, as when nobody reads old values
                w.pks.add(ek)
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
        # an add that succeeds had nothing there (one that fails changes nothing)
        lookup = [] if req.type == "add" else [k for k in known if k is not MISSING]
        olds_list = await self.down.get_many(trans, lookup) if lookup else []
        olds_by_key: dict[Encoded, Any] = {}
        for k, old in zip(lookup, olds_list, strict=True):
            olds_by_key[encode(k)] = old
        resp = await self.down.mutate(trans, req)
        w = self._writes(trans)
        if not w.all and len(w.pks) + len(values) > BATCH_KEYS:
            # as many keys as a clear: every reader of the table hears it changed, and
            # no index key of each value is worked out (an import of thousands of rows)
            w.forget_keys()
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
            if not w.all:
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
    def get(self, trans: CoreTransaction, key: Any) -> Coroutine[Any, Any, Any]:
        reads = current_reads.get()
        if reads is not None:
            reads.add_pks(self.db.name, self.name, [key])
        return self.down.get(trans, key)

    def get_many(self, trans: CoreTransaction, keys: list[Any]) -> Coroutine[Any, Any, list[Any]]:
        reads = current_reads.get()
        if reads is not None:
            reads.add_pks(self.db.name, self.name, keys)
        return self.down.get_many(trans, keys)

    async def query(self, trans: CoreTransaction, req: QueryRequest) -> QueryResponse:
        reads = current_reads.get()
        if reads is not None and not req.want_pks:
            req = replace(req, want_pks=True)
        resp = await self.down.query(trans, req)
        if reads is not None:
            pks = resp.primary_keys
            if req.limit is not None and not req.unique and pks is not None and len(pks) >= req.limit > 0:
                # a limited scan only depends on the part of the range it covered
                rng = _covered(req, resp)
            else:
                rng = req.range
            reads.add_range(self.db.name, self.name, req.index, rng, pks is not None)
            if pks is not None:
                reads.add_pks(self.db.name, self.name, pks)
        return resp

    def open_cursor(
        self, trans: CoreTransaction, req: QueryRequest, chunk: int = 200
    ) -> AsyncIterator[QueryResponse]:
        reads = current_reads.get()
        if reads is not None:
            reads.add_range(self.db.name, self.name, req.index, req.range)
        return self.down.open_cursor(trans, req, chunk)

    def count(
        self, trans: CoreTransaction, index: str, range: KeyRange
    ) -> Coroutine[Any, Any, int]:
        reads = current_reads.get()
        if reads is not None:
            reads.add_range(self.db.name, self.name, index, range)
        return self.down.count(trans, index, range)


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
