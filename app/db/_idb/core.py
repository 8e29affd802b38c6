"""The IndexedDB DBCore: transactions, and per-table operations as one helper call each."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Coroutine
from typing import Any

from pyodide.ffi import create_once_callable

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
from .._key_path import MISSING, extract_key
from .._key_range import KeyRange
from .._schema import DBSchema
from ..errors import AbortError, DatabaseError
from . import loop
from .bridge import helper, invoke, invoke_new, invoke_once
from .wire import MANY, dumps, error_from_info, error_from_js, loads, range_json, values_for_js

__all__ = ["IDBCore", "IDBTable", "IDBTransaction"]

_TABLES_JSON: dict[tuple[str, ...], str] = {}


def _tables_json(tables: tuple[str, ...]) -> str:
    """Store names as the helper takes them (made once per list)."""
    text = _TABLES_JSON.get(tables)
    if text is None:
        text = _TABLES_JSON[tables] = json.dumps(list(tables))
    return text


def _answer_of(s: Any, table: str, what: str, field: str | None = None) -> Any:
    """A helper's answer (see ``wire``) to call ``what`` on ``table``: its dict, or
    its ``field``; the error it reports, raised."""
    data = loads(s)
    if "error" in data:
        raise error_from_info(data["error"], _ctx(table, what))
    return data if field is None else data[field]


def _ctx(table: str, what: str) -> str:
    return f"table {table!r}, {what}"


class IDBTransaction(CoreTransaction):
    """An IndexedDB transaction, settled from its ``complete`` / ``abort`` event."""

    def __init__(self, idb: Any, tables: list[str], mode: Mode, js_tx: Any = None) -> None:
        super().__init__(tables, mode)
        self.idb = idb
        #: What wait() waits on (made only when something waits before the end).
        self._future: asyncio.Future[None] | None = None
        self._abort_error: DatabaseError | None = None
        self._live = True
        # Read-only transactions need no completion event: nothing waits for their
        # commit, so they settle as soon as the code is done with them.
        self._quiet = mode == "r" and js_tx is None
        #: The helper's number for the IDBTransaction (see ``helper_js``); for
        #: read-only ones, made by the first request.
        self.tx_id: int | None = None
        if not self._quiet:
            on_done = create_once_callable(self._on_js_event)
            if js_tx is None:
                self.tx_id = helper().transaction(idb, self.tables_json, mode, on_done)
            else:
                self.tx_id = helper().watch(js_tx, on_done)
        loop.transaction_started()

    @property
    def tables_json(self) -> str:
        """The store names as the helper takes them."""
        return _tables_json(tuple(self.tables))

    @property
    def handle(self) -> int:
        """The helper's number for the IDBTransaction (created on demand for read-only
        transactions)."""
        if self.tx_id is None:
            self.tx_id = helper().transaction(self.idb, self.tables_json, self.mode, None)
        return self.tx_id

    def _forget(self) -> None:
        """Let the helper drop a read-only transaction nothing watches (see ``keep``)."""
        if self.tx_id is not None:
            helper().forget(self.tx_id)

    def _unlive(self) -> None:
        if self._live:
            self._live = False
            loop.transaction_ended()

    def _on_js_event(self, err: Any) -> None:
        """The ``complete`` or ``abort`` event: whoever waits for the commit resumes
        right here, in the event's dispatch, not one turn of the event loop later."""
        loop.resume_waiters(lambda: self._on_js_done(err))

    def _on_js_done(self, err: Any) -> None:
        self._unlive()
        error: DatabaseError | None = None
        if err is not None:
            info = err.to_py() if hasattr(err, "to_py") else err
            error = self._abort_error or error_from_info(info, "transaction")
            if self._abort_error is not None and info and info[1] != "AbortError":
                error = error_from_info(info, "transaction")
        self._settle(error)
        if self._future is not None and not self._future.done():
            self._future.set_result(None)

    def finish(self) -> None:
        if self.done or self._finishing:
            return
        self._finishing = True
        if self._quiet:
            # a read-only transaction commits by itself once idle
            self._forget()
            self._on_js_done(None)
            return
        helper().commit(self.tx_id)

    def abort(self, error: DatabaseError | None = None) -> None:
        if self.done:
            return
        if self._abort_error is None:
            self._abort_error = error or AbortError("the transaction was aborted")
        self._finishing = True
        if self.tx_id is not None:
            helper().abort(self.tx_id)
        if self._quiet:
            self._forget()
            self._unlive()
            self._settle(self._abort_error)
            if self._future is not None and not self._future.done():
                self._future.set_result(None)

    async def wait(self) -> None:
        if not self.done:
            if self._future is None:
                self._future = asyncio.Future(loop=asyncio.get_running_loop())
            await self._future
        if self.error is not None:
            raise self.error


class IDBTable(BackendTable):
    core: IDBCore

    def _index_spec_json(self) -> str:
        """The indexes' key paths, for the helper to tell other tabs the keys written."""
        spec: str | None = self.__dict__.get("_idx_json")
        if spec is None:
            spec = json.dumps([[i.name, i.key_path, i.multi] for i in self.schema.indexes.values()])
            self.__dict__["_idx_json"] = spec
        return spec

    def _call(
        self, trans: CoreTransaction, fn: str, *args: Any, field: str | None = None
    ) -> Coroutine[Any, Any, Any]:
        """Place helper call ``fn`` now; the coroutine of its answer (see ``_answer``)."""
        assert isinstance(trans, IDBTransaction)
        if trans.tx_id is None:
            fut = invoke_new(trans, fn, self.name, *args)
        else:
            fut = invoke(fn, trans.tx_id, self.name, *args)
        return self._answer(trans, fut, fn, field)

    async def _answer(
        self, trans: IDBTransaction, fut: asyncio.Future[Any], what: str, field: str | None = None
    ) -> Any:
        """The helper's answer to a request of ``trans`` (in flight until it arrives):
        the answer's dict, or its ``field``."""
        trans.pending += 1
        trans.requests.add(fut)
        try:
            s = await fut
        finally:
            trans.pending -= 1
            trans.requests.discard(fut)
        return _answer_of(s, self.name, what, field)

    async def mutate(self, trans: CoreTransaction, req: MutateRequest) -> MutateResponse:
        if req.type == "delete_range":
            rj, sp = range_json(req.range or KeyRange())
            await self._call(trans, "mutate", "delete_range", None, rj, sp)
            return MutateResponse()
        if req.type == "delete":
            kj, sp = dumps(req.keys or [])
            data = await self._call(trans, "mutate", "delete", None, kj, sp)
        else:
            values = req.values or []
            vj: Any = values_for_js(values) if len(values) >= MANY else None
            sp1 = False
            if vj is None:
                vj, sp1 = dumps(values)
            kj2: str | None = None
            sp2 = False
            if req.keys is not None:
                kj2, sp2 = dumps(req.keys)
            idx = self._index_spec_json() if self.schema.indexes else None
            data = await self._call(trans, "mutate", req.type, vj, kj2, sp1 or sp2, idx)
        resp = MutateResponse(results=data["results"])
        for f in data["failures"]:
            pos = f[0]
            key = None
            if req.keys is not None:
                key = req.keys[pos]
            elif req.values is not None and self.schema.primary_key.key_path is not None:
                k = extract_key(req.values[pos], self.schema.primary_key.key_path)
                key = None if k is MISSING else k
            where = f"{req.type} at position {pos}" + (f", key {key!r}" if key is not None else "")
            resp.failures[pos] = error_from_info(f[1:], _ctx(self.name, where))
            resp.results[pos] = None
        resp.num_failures = len(resp.failures)
        for i in range(len(resp.results) - 1, -1, -1):
            if i not in resp.failures:
                resp.last_result = resp.results[i]
                break
        return resp

    def get(self, trans: CoreTransaction, key: Any) -> Coroutine[Any, Any, Any]:
        kj, sp = dumps(key)
        return self._call(trans, "get", kj, sp, field="value")

    async def get_many(self, trans: CoreTransaction, keys: list[Any]) -> list[Any]:
        if not keys:
            return []
        kj, sp = dumps(keys)
        values: list[Any] = (await self._call(trans, "getMany", kj, sp))["values"]
        return values

    async def query(self, trans: CoreTransaction, req: QueryRequest) -> QueryResponse:
        if req.range.is_empty() or req.limit == 0:
            return QueryResponse([], [] if req.want_values else None, [] if req.want_keys else None)
        rj, sp = range_json(req.range)
        want = (
            (1 if req.want_values else 0) | (2 if req.want_keys else 0) | (4 if req.want_pks else 0)
        )
        data = await self._call(
            trans, "query", req.index, rj, sp, req.limit, req.reverse, req.unique, want
        )
        pks = data.get("pks")
        values = data.get("values") if req.want_values else None
        keys = data.get("keys") if req.want_keys else None
        if req.want_keys and keys is None and pks is not None:
            keys = list(pks) if not req.index else None
        return QueryResponse(pks, values, keys)

    async def open_cursor(
        self, trans: CoreTransaction, req: QueryRequest, chunk: int = 200
    ) -> AsyncIterator[QueryResponse]:
        assert isinstance(trans, IDBTransaction)
        if req.range.is_empty():
            return
        rj, sp = range_json(req.range)
        cursor = helper().cursor(
            trans.handle, self.name, req.index, rj, sp, req.reverse, req.unique, chunk
        )
        while True:
            data = await self._answer(trans, asyncio.ensure_future(cursor.next()), "cursor")
            if data["pks"]:
                yield QueryResponse(data["pks"], data["values"], data["keys"])
            if data["end"]:
                return

    async def count(self, trans: CoreTransaction, index: str, range: KeyRange) -> int:
        if range.is_empty():
            return 0
        rj, sp = range_json(range)
        n: int = (await self._call(trans, "count", index, rj, sp))["count"]
        return n


class IDBCore(BackendCore):
    def __init__(self, idb: Any, schema: DBSchema) -> None:
        super().__init__(schema)
        self.idb = idb

    def _make_table(self, name: str) -> DBCoreTable:
        return IDBTable(self, name)

    async def get_once(self, table: str, key: Any) -> Any:
        # One helper call makes the read-only transaction and places the get; no
        # IDBTransaction, no layers of tables (a single get is mostly overhead).
        kj, sp = dumps(key)
        loop.transaction_started()  # so its answer wakes this task inside the event
        try:
            s = await invoke_once(self.idb, _tables_json((table,)), "get", table, kj, sp)
        finally:
            loop.transaction_ended()
        return _answer_of(s, table, "get", "value")

    def transaction(self, tables: list[str], mode: Mode) -> CoreTransaction:
        try:
            return IDBTransaction(self.idb, tables, mode)
        except Exception as err:  # JsException from db.transaction()
            raise error_from_js(err, f"transaction on {tables!r}") from None
