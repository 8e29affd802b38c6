"""The outbox layer: every write to a synced table records what it changed, per field
with an HLC, in the same IndexedDB transaction (``db.use(outbox_layer(schema))``).

Installed on every library, it records only once a sync target exists (``writer.
recording``, set when the user first signs in). Until then a write to a synced table
costs one extra ``get`` of the tiny ``writer`` row and nothing grows; the first sign-in
pushes the library that is already there (``_replica.py``'s snapshot), with the
baseline HLC for every field written before recording began.

Each read-write transaction touching a synced table is widened with the sync tables. A
write reads the records' previous values and clocks, and appends the changed fields to
the outbox as part of one batch (a batch is what one transaction wrote; a very large
transaction is split into batches of at most ``MAX_BATCH_CHANGES`` changes or about
``MAX_BATCH_BYTES``). A field a write leaves out that the record had is stored and synced
as ``null``, so every replica holds the same record. A delete moves the record's values into its tombstone in
``sync_meta``, so deleted records never show anywhere in the app. Writes that apply
pulled changes run inside ``applying_pulled_changes()`` and record nothing.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Coroutine, Iterator
from contextvars import ContextVar
from typing import Any

from app.db import (
    CoreTransaction,
    DBCore,
    DBCoreLayer,
    DBCoreTable,
    DBCoreTableLayer,
    MutateRequest,
    MutateResponse,
    QueryRequest,
)

from ._fields import DELETED, Clocks, diff_fields, synced_fields
from ._hlc import HybridClock, wall_clock_ms
from ._schema import META, OUTBOX, STATE, SYNC_TABLES, SyncSchema
from ._state import WRITER, WriterRow

__all__ = [
    "MAX_BATCH_BYTES",
    "MAX_BATCH_CHANGES",
    "OutboxLayer",
    "UnsyncableValueError",
    "applying_pulled_changes",
    "outbox_layer",
    "writer_clock",
]

MAX_BATCH_CHANGES = 1000
MAX_BATCH_BYTES = 1_000_000
_TX = "sync"
_applying: ContextVar[bool] = ContextVar("lk_sync_applying", default=False)


class UnsyncableValueError(TypeError):
    """A synced record holds a value JSON cannot carry (the write is refused)."""


@contextlib.contextmanager
def applying_pulled_changes() -> Iterator[None]:
    """Writes in this block apply what the server sent: they record no outbox rows."""
    token = _applying.set(True)
    try:
        yield
    finally:
        _applying.reset(token)


def writer_clock(writer: WriterRow, now_ms: Callable[[], int] = wall_clock_ms) -> HybridClock:
    """The device's clock as the writer row left it (corrected by the learned offset)."""
    clock = HybridClock(writer["client_id"], now_ms=now_ms, last=writer["clock"])
    clock.offset_ms = int(writer.get("offset_ms") or 0)
    return clock


class _TxSync:
    """What one read-write transaction knows: the writer row (read once) and its batch."""

    __slots__ = ("batch_bytes", "batch_changes", "clock", "loaded", "part", "seq", "writer",
                 "wrote")

    def __init__(self) -> None:
        self.loaded = False
        self.writer: WriterRow | None = None
        self.clock: HybridClock | None = None
        self.seq = 0
        self.part = 0
        self.batch_changes = 0
        self.batch_bytes = 0
        self.wrote = False


class OutboxLayer(DBCoreLayer):
    """See the module docstring. ``on_outbox()`` runs after a commit that recorded."""

    def __init__(self, down: DBCore, schema: SyncSchema,
                 on_outbox: Callable[[], None] | None = None,
                 now_ms: Callable[[], int] = wall_clock_ms) -> None:
        super().__init__(down)
        self.sync_schema = schema
        self.on_outbox = on_outbox
        self.now_ms = now_ms

    def _has_sync_tables(self) -> bool:
        schema = self.down.schema
        return all(name in schema for name in SYNC_TABLES)

    def transaction(self, tables: list[str], mode: Any) -> CoreTransaction:
        if (mode != "rw" or _applying.get() or not self.sync_schema.any_synced(tables)
                or not self._has_sync_tables()):
            return self.down.transaction(tables, mode)
        wider = [*tables, *(t for t in SYNC_TABLES if t not in tables)]
        trans = self.down.transaction(wider, mode)
        state = trans.data[_TX] = _TxSync()

        def done(t: CoreTransaction) -> None:
            if t.error is None and state.wrote and self.on_outbox is not None:
                self.on_outbox()

        trans.on_done(done)
        return trans

    def get_once(self, table: str, key: Any) -> Coroutine[Any, Any, Any]:
        # reads pass through this layer untouched
        return self.down.get_once(table, key)

    def wrap_table(self, table: DBCoreTable) -> DBCoreTable:
        if not self.sync_schema.syncs(table.name):
            return table
        key_path = table.schema.primary_key.key_path
        if not isinstance(key_path, str) or table.schema.primary_key.auto:
            raise ValueError(f"synced table {table.name!r} needs a client-made string id "
                             "as its primary key")
        return _RecordingTable(table, self, key_path)

    async def writer(self, trans: CoreTransaction, state: _TxSync) -> WriterRow | None:
        if not state.loaded:
            row = await self.down.table(STATE).get(trans, WRITER)
            if not state.loaded:
                state.loaded = True
                state.writer = row
                if row is not None:
                    state.clock = writer_clock(row, self.now_ms)
        return state.writer

    async def record(self, trans: CoreTransaction, state: _TxSync,
                     changes: list[tuple[dict[str, Any], int]],
                     metas: list[dict[str, Any]]) -> None:
        """Write the clock rows, the outbox rows and the writer row (after the data)."""
        writer, clock = state.writer, state.clock
        assert writer is not None and clock is not None
        rows: dict[int, list[dict[str, Any]]] = {}
        for change, size in changes:
            if (state.seq == 0 or state.batch_changes >= MAX_BATCH_CHANGES
                    or (state.batch_changes and state.batch_bytes + size > MAX_BATCH_BYTES)):
                state.seq = writer["next_seq"]
                writer["next_seq"] += 1
                state.batch_changes = state.batch_bytes = 0
            state.batch_changes += 1
            state.batch_bytes += size
            rows.setdefault(state.seq, []).append(change)
        out = []
        for seq, items in rows.items():
            state.part += 1
            out.append({"seq": seq, "part": state.part, "n": len(items), "changes": items})
        writer["clock"] = clock.last
        state.wrote = True
        await self.down.table(META).mutate(trans, MutateRequest("put", values=metas))
        await self.down.table(OUTBOX).mutate(trans, MutateRequest("put", values=out))
        await self.down.table(STATE).mutate(trans, MutateRequest("put", values=[writer]))


def _with_baseline(before: dict[str, Any], changed: dict[str, Any],
                   writer: WriterRow) -> dict[str, list[Any]]:
    """The untouched fields of a record from before recording began, with the baseline
    HLC: its first recorded change carries the whole record, so the first sync (which
    pushes only records never recorded) need not push it again."""
    return {name: [value, writer["baseline"]] for name, value in before.items()
            if name not in changed}


def _size(table: str, rid: str, fields: dict[str, list[Any]]) -> int:
    try:
        return len(json.dumps(fields, separators=(",", ":"), allow_nan=False)) + len(rid) + 40
    except (TypeError, ValueError) as error:
        raise UnsyncableValueError(
            f"{table}/{rid}: a synced record may hold only JSON values ({error})") from None


class _RecordingTable(DBCoreTableLayer):
    def __init__(self, down: DBCoreTable, layer: OutboxLayer, key_path: str) -> None:
        super().__init__(down)
        self.layer = layer
        self.key_path = key_path
        self.local = layer.sync_schema.local_fields(down.name)

    async def mutate(self, trans: CoreTransaction, req: MutateRequest) -> MutateResponse:
        state: _TxSync | None = trans.data.get(_TX)
        if state is None:
            return await self.down.mutate(trans, req)
        writer = await self.layer.writer(trans, state)
        if writer is None or not writer["recording"]:
            return await self.down.mutate(trans, req)
        if req.type in ("add", "put"):
            return await self._write(trans, state, req)
        return await self._delete(trans, state, req)

    def _ids(self, values: list[Any]) -> list[str]:
        ids = []
        for value in values:
            rid = value.get(self.key_path) if isinstance(value, dict) else None
            if not isinstance(rid, str) or not rid:
                raise UnsyncableValueError(
                    f"{self.name}: a synced record needs a string {self.key_path!r}")
            ids.append(rid)
        return ids

    async def _before(self, trans: CoreTransaction, ids: list[str]) -> tuple[
            dict[str, Any], dict[str, dict[str, Any]]]:
        unique = list(dict.fromkeys(ids))
        olds = await self.down.get_many(trans, unique)
        metas = await self.layer.down.table(META).get_many(
            trans, [[self.name, rid] for rid in unique])
        return (dict(zip(unique, olds, strict=True)),
                {rid: m for rid, m in zip(unique, metas, strict=True) if m is not None})

    async def _write(self, trans: CoreTransaction, state: _TxSync,
                     req: MutateRequest) -> MutateResponse:
        values = req.values = list(req.values or [])
        ids = self._ids(values)
        olds, metas = await self._before(trans, ids)
        writer, clock = state.writer, state.clock
        assert writer is not None and clock is not None
        hlc = clock.tick()
        planned: list[tuple[int, str, dict[str, Any], dict[str, Any], int]] = []
        current = dict(olds)
        for index, (rid, value) in enumerate(zip(ids, values, strict=True)):
            new = synced_fields(value, self.key_path, self.local)
            old = current.get(rid)
            meta = metas.get(rid)
            clocks = Clocks({**meta, "f": dict(meta["f"])}) if meta is not None else None
            before: dict[str, Any] = {}  # a record from before recording, touched first
            if old is not None:
                previous = synced_fields(old, self.key_path, self.local)
                changed = diff_fields(previous, new)
                if clocks is None:
                    clocks = Clocks.new(self.name, rid, writer["baseline"])
                    before = previous
            elif clocks is not None and clocks.deleted:  # the id is written again: undelete
                changed = diff_fields(clocks.row.get("values") or {}, new)
                changed[DELETED] = False
                clocks.row.pop("values", None)
                clocks.row.pop("deleted", None)
            elif clocks is not None:
                changed = new
            else:
                changed, clocks = new, Clocks.new(self.name, rid, hlc)
                if not changed:  # a record with nothing but its id still exists
                    changed = {DELETED: False}
            removed = [name for name, v in changed.items()
                       if v is None and name not in new and name != DELETED]
            if removed:  # stored as null here too, so every replica holds the same record
                value = values[index] = {**value, **dict.fromkeys(removed)}
            current[rid] = value
            if not changed:
                continue
            if clocks.row.get("base") == hlc:  # a new record: base covers what it holds
                clocks.stamp([name for name in changed if name not in new], hlc)
            else:
                clocks.stamp(changed, hlc)
            metas[rid] = clocks.row
            fields = _with_baseline(before, changed, writer)
            fields.update({name: [v, hlc] for name, v in changed.items()})
            planned.append((index, rid, fields, clocks.row, _size(self.name, rid, fields)))
        response = await self.down.mutate(trans, req)
        await self._record(trans, state, planned, response)
        return response

    async def _delete(self, trans: CoreTransaction, state: _TxSync,
                      req: MutateRequest) -> MutateResponse:
        if req.type == "delete_range":
            found = await self.down.query(trans, QueryRequest(
                "", req.range or QueryRequest().range, want_values=True, want_keys=False))
            ids = [str(k) for k in found.primary_keys or []]
            olds = dict(zip(ids, found.values or [], strict=True))
            metas = (await self._before(trans, ids))[1] if ids else {}
        else:
            ids = [k for k in dict.fromkeys(req.keys or []) if isinstance(k, str)]
            olds, metas = await self._before(trans, ids) if ids else ({}, {})
        writer, clock = state.writer, state.clock
        assert writer is not None and clock is not None
        hlc = clock.tick()
        planned = []
        for rid in ids:
            old = olds.get(rid)
            if old is None:
                continue
            meta = metas.get(rid)
            previous = synced_fields(old, self.key_path, self.local)
            clocks = (Clocks({**meta, "f": dict(meta["f"])}) if meta is not None
                      else Clocks.new(self.name, rid, writer["baseline"]))
            clocks.row["deleted"] = True
            clocks.row["values"] = previous
            clocks.set(DELETED, hlc)
            fields = _with_baseline(previous if meta is None else {}, {}, writer)
            fields[DELETED] = [True, hlc]
            planned.append((-1, rid, fields, clocks.row, _size(self.name, rid, fields)))
        response = await self.down.mutate(trans, req)
        await self._record(trans, state, planned, response)
        return response

    async def _record(self, trans: CoreTransaction, state: _TxSync,
                      planned: list[tuple[int, str, dict[str, Any], dict[str, Any], int]],
                      response: MutateResponse) -> None:
        done = [p for p in planned if p[0] < 0 or p[0] not in response.failures]
        if not done:
            return
        changes = [({"table": self.name, "id": rid, "fields": fields}, size)
                   for _i, rid, fields, _meta, size in done]
        metas = list({rid: meta for _i, rid, _f, meta, _s in done}.values())
        await self.layer.record(trans, state, changes, metas)


def outbox_layer(schema: SyncSchema, on_outbox: Callable[[], None] | None = None,
                 now_ms: Callable[[], int] = wall_clock_ms) -> Callable[[DBCore], DBCore]:
    """The middleware for ``db.use(...)``."""

    def make(down: DBCore) -> DBCore:
        return OutboxLayer(down, schema, on_outbox, now_ms)

    return make
