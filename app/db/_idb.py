"""IndexedDB backend (Pyodide only): DBCore over real IndexedDB.

Transactions and asyncio: Pyodide resumes a task through a new browser task, but an
IndexedDB transaction only accepts requests during a success event and the microtasks
after it.  While any of our transactions is alive, the running loop's ``call_soon``
therefore schedules callbacks with ``queueMicrotask`` (bounded, so a busy loop can
never starve the page), and the awaiting task wakes up inside the same window.  The
premature-commit probe in :mod:`._transaction` catches bodies that await anything else.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import gc
import itertools
import json
import math
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

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
from ._idb_js import HELPER_JS
from ._keys import MISSING, KeyRange, date_to_ms, encode, extract_key, ms_to_date
from ._schema import DBSchema, IndexSpec, TableSchema
from ._upgrade import check_primary_keys, run_populate, run_upgrade_fn
from .errors import (
    AbortError,
    DatabaseError,
    DataError,
    UpgradeError,
    VersionError,
    map_error,
)

if TYPE_CHECKING:
    from ._database import Database

_TAG = "__lk$"
_H: Any = None
_state = {"live": 0}
_MICRO_BUDGET = 50_000
_channel: Any = None
_CHANNEL_NAME = "app-db-storage-mutated"


def helper() -> Any:
    global _H
    if _H is None:
        from pyodide.code import run_js
        from pyodide.ffi import create_proxy

        _H = run_js(HELPER_JS)
        _H.setResolver(create_proxy(_resolve))
        _install_microtask_scheduling()
    return _H


# ---------------------------------------------------------------- scheduling


def _install_microtask_scheduling() -> None:
    """While a transaction lives, run ``call_soon`` callbacks in a microtask queue."""
    import js
    from pyodide.ffi import create_proxy

    loop = asyncio.get_event_loop()
    if getattr(loop, "_lk_micro", False):
        return
    original = loop.call_soon
    queue: collections.deque[asyncio.Handle] = collections.deque()
    scheduled = [False]

    def run_late(handle: asyncio.Handle) -> None:
        if not handle.cancelled():
            handle._run()

    def drain() -> None:
        install = getattr(loop, "_install_running_loop", None)
        if install is not None:
            install()
        n = 0
        while queue:
            handle = queue.popleft()
            if not handle.cancelled():
                handle._run()
            n += 1
            if n > _MICRO_BUDGET:
                # something spins on the loop: give the browser its turn back
                while queue:
                    original(run_late, queue.popleft())
                break
        scheduled[0] = False

    drain_proxy = create_proxy(drain)
    queue_microtask = js.queueMicrotask

    def resolve_and_drain(fut: asyncio.Future, result: Any) -> None:
        # We are at the top of an IndexedDB event dispatch (no Python frame below):
        # wake the waiting task and run it now, while the transaction is active.
        if scheduled[0]:
            fut.set_result(result)
            return
        scheduled[0] = True
        fut.set_result(result)
        drain()

    _direct[0] = resolve_and_drain

    def call_soon(callback: Any, *args: Any, context: Any = None) -> asyncio.Handle:
        if _state["live"] > 0:
            handle = asyncio.Handle(callback, args, loop, context=context)
            queue.append(handle)
            if not scheduled[0]:
                scheduled[0] = True
                queue_microtask(drain_proxy)
            return handle
        return original(callback, *args, context=context)

    loop.call_soon = call_soon  # type: ignore[method-assign]
    loop._lk_micro = True  # type: ignore[attr-defined]


_futures: dict[int, asyncio.Future] = {}
_ids = itertools.count()


_direct: list[Any] = [None]


def _resolve(call_id: int, result: Any) -> None:
    """Called by JavaScript from a request's event: wake the waiter right here."""
    fut = _futures.pop(call_id, None)
    if fut is None or fut.done():
        return
    run_now = _direct[0]
    if run_now is None:
        fut.set_result(result)
        return
    run_now(fut, result)


def invoke_new(trans: Any, name: str, *args: Any) -> asyncio.Future:
    """Like :func:`invoke`, creating the transaction in the same JavaScript call."""
    H = helper()
    fut = asyncio.get_event_loop().create_future()
    call_id = next(_ids)
    _futures[call_id] = fut
    trans._js = H.callNew(name, call_id, trans._idb, json.dumps(trans.tables), trans.mode, *args)
    return fut


_js_call: Any = None


def invoke(name: str, *args: Any) -> asyncio.Future:
    """Call helper ``name`` and get a future of its (JSON string) result."""
    global _js_call
    if _js_call is None:
        _js_call = helper().call
    fut = asyncio.get_event_loop().create_future()
    call_id = next(_ids)
    _futures[call_id] = fut
    _js_call(name, call_id, *args)
    return fut


# ---------------------------------------------------------------- JSON transport


_flag = [False]


def _default(o: Any) -> Any:
    import datetime as _dt

    if isinstance(o, _dt.datetime):
        _flag[0] = True
        return {_TAG: "d", "v": date_to_ms(o)}
    if isinstance(o, (bytes, bytearray, memoryview)):
        _flag[0] = True
        return {_TAG: "b", "v": base64.b64encode(bytes(o)).decode("ascii")}
    raise TypeError(f"cannot store a value of type {type(o).__name__}")


_encoder = json.JSONEncoder(
    default=_default, allow_nan=False, separators=(",", ":"), ensure_ascii=False
)
_encode = _encoder.encode


def _fix_floats(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        _flag[0] = True
        return {_TAG: "n", "v": "NaN" if x != x else ("Infinity" if x > 0 else "-Infinity")}
    if isinstance(x, dict):
        return {k: _fix_floats(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_fix_floats(v) for v in x]
    return x


def dumps(x: Any) -> tuple[str, bool]:
    """JSON for the helper, and whether tagged values need reviving in JS."""
    t = type(x)
    if t is int:
        return str(x), False
    if t is str:
        return _encode(x), False
    _flag[0] = False
    try:
        s = _encode(x)
    except ValueError:
        s = _encode(_fix_floats(x))
    except TypeError as err:
        raise DataError(f"DataCloneError: {err}") from None
    return s, _flag[0]


def _revive(d: dict) -> Any:
    t = d.get(_TAG)
    if t is None:
        return d
    v = d["v"]
    if t == "d":
        return ms_to_date(v)
    if t == "b":
        return base64.b64decode(v)
    if t == "n":
        return float(v)
    return d


def loads(s: str) -> Any:
    # A big result is many fresh, acyclic dicts: the cyclic GC would only walk the
    # heap for nothing (and make read times jump), so keep it out of the way.
    big = len(s) > 65536 and gc.isenabled()
    if big:
        gc.disable()
    try:
        if s[0] == "1":
            return json.loads(s[1:], object_hook=_revive)
        return json.loads(s[1:])
    finally:
        if big:
            gc.enable()


def _range_json(r: KeyRange) -> tuple[str, bool]:
    if r.is_all:
        return "null", False
    return dumps([r.lower, r.upper, r.lower_open, r.upper_open])


def _error(info: Any, context: str) -> DatabaseError:
    idx, name, message = info[0], info[1], info[2]
    inner: Any = None
    if idx is not None and idx >= 0:
        inner = helper().takeError(idx)
    err = map_error(_Err(name, message) if inner is None else inner, context)
    if err.inner is None or isinstance(err.inner, _Err):
        err.inner = inner
    return err


class _Err:
    def __init__(self, name: str, message: str) -> None:
        self.name = name
        self.message = message


# ---------------------------------------------------------------- transactions


class IDBTransaction(CoreTransaction):
    def __init__(self, idb: Any, tables: list[str], mode: Mode, js_tx: Any = None) -> None:
        super().__init__(tables, mode)
        from pyodide.ffi import create_once_callable

        H = helper()
        self._future: asyncio.Future = asyncio.get_event_loop().create_future()
        self._abort_error: DatabaseError | None = None
        self._live = True
        # Read-only transactions need no completion event: nothing waits for their
        # commit, so they settle as soon as the code is done with them.
        self._quiet = mode == "r" and js_tx is None
        if self._quiet:
            # created by the first request (one JavaScript call instead of two)
            self._js: Any = None
            self._idb = idb
        else:
            cb = create_once_callable(self._on_js_done)
            if js_tx is None:
                self._js = H.transaction(idb, json.dumps(tables), mode, cb)
            else:
                self._js = js_tx
                H.watch(js_tx, cb)
        _state["live"] += 1

    @property
    def js(self) -> Any:
        """The IDBTransaction (created on demand for read-only transactions)."""
        if self._js is None:
            self._js = helper().transaction(self._idb, json.dumps(self.tables), self.mode, None)
        return self._js

    def _unlive(self) -> None:
        if self._live:
            self._live = False
            _state["live"] -= 1

    def _on_js_done(self, err: Any) -> None:
        self._unlive()
        if err is None:
            error = None
        else:
            info = err.to_py() if hasattr(err, "to_py") else err
            error = self._abort_error or _error(info, "transaction")
            if self._abort_error is not None and info and info[1] not in ("AbortError",):
                error = _error(info, "transaction")
        self._settle(error)
        if not self._future.done():
            self._future.set_result(None)

    def finish(self) -> None:
        if self.done or self._finishing:
            return
        self._finishing = True
        if self._quiet:
            # a read-only transaction commits by itself once idle
            self._on_js_done(None)
            return
        helper().commit(self._js)

    def abort(self, error: DatabaseError | None = None) -> None:
        if self.done:
            return
        if self._abort_error is None:
            self._abort_error = error or AbortError("the transaction was aborted")
        self._finishing = True
        if self._js is not None:
            helper().abort(self._js)
        if self._quiet:
            self._unlive()
            self._settle(self._abort_error)
            if not self._future.done():
                self._future.set_result(None)

    async def wait(self) -> None:
        if not self.done:
            await self._future
        if self.error is not None:
            raise self.error


class IDBTable(BackendTable):
    core: IDBCore

    def _index_spec_json(self) -> str:
        spec = self.__dict__.get("_idx_json")
        if spec is None:
            spec = json.dumps([[i.name, i.key_path, i.multi] for i in self.schema.indexes.values()])
            self.__dict__["_idx_json"] = spec
        return spec

    def _ctx(self, what: str) -> str:
        return f"table {self.name!r}, {what}"

    async def _call(self, trans: CoreTransaction, fn: str, *args: Any) -> Any:
        assert isinstance(trans, IDBTransaction)
        trans.pending += 1
        try:
            if trans._js is None:
                s = await invoke_new(trans, fn, self.name, *args)
            else:
                s = await invoke(fn, trans._js, self.name, *args)
        finally:
            trans.pending -= 1
        data = loads(s)
        if "error" in data:
            raise _error(data["error"], self._ctx(fn))
        return data

    async def mutate(self, trans: CoreTransaction, req: MutateRequest) -> MutateResponse:
        if req.type == "delete_range":
            rj, sp = _range_json(req.range or KeyRange())
            await self._call(trans, "mutate", "delete_range", None, rj, sp)
            return MutateResponse()
        if req.type == "delete":
            kj, sp = dumps(req.keys or [])
            data = await self._call(trans, "mutate", "delete", None, kj, sp)
        else:
            vj, sp1 = dumps(req.values or [])
            if req.keys is not None:
                kj, sp2 = dumps(req.keys)
            else:
                kj, sp2 = None, False  # type: ignore[assignment]
            # the index key paths, so the helper can tell other tabs which keys changed
            idx = self._index_spec_json() if self.schema.indexes else None
            data = await self._call(trans, "mutate", req.type, vj, kj, sp1 or sp2, idx)
        resp = MutateResponse(results=data["results"])
        for f in data["failures"]:
            pos = f[0]
            key = None
            if req.keys is not None:
                key = req.keys[pos]
            elif req.values is not None and self.schema.primary_key.key_path is not None:
                k = extract_key(req.values[pos], self.schema.primary_key.key_path)
                key = None if k is MISSING else k
            resp.failures[pos] = _error(
                f[1:],
                self._ctx(
                    f"{req.type} at position {pos}" + (f", key {key!r}" if key is not None else "")
                ),
            )
            resp.results[pos] = None
        resp.num_failures = len(resp.failures)
        for i in range(len(resp.results) - 1, -1, -1):
            if i not in resp.failures:
                resp.last_result = resp.results[i]
                break
        return resp

    async def get(self, trans: CoreTransaction, key: Any) -> Any:
        kj, sp = dumps(key)
        return (await self._call(trans, "get", kj, sp))["value"]

    async def get_many(self, trans: CoreTransaction, keys: list[Any]) -> list[Any]:
        if not keys:
            return []
        kj, sp = dumps(keys)
        return (await self._call(trans, "getMany", kj, sp))["values"]

    async def query(self, trans: CoreTransaction, req: QueryRequest) -> QueryResponse:
        if req.range.is_empty() or req.limit == 0:
            return QueryResponse([], [] if req.want_values else None, [] if req.want_keys else None)
        rj, sp = _range_json(req.range)
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

    async def open_cursor(  # type: ignore[override]
        self, trans: CoreTransaction, req: QueryRequest, chunk: int = 200
    ) -> AsyncIterator[QueryResponse]:
        assert isinstance(trans, IDBTransaction)
        if req.range.is_empty():
            return
        rj, sp = _range_json(req.range)
        cursor = helper().cursor(
            trans.js, self.name, req.index, rj, sp, req.reverse, req.unique, chunk
        )
        while True:
            trans.pending += 1
            try:
                s = await cursor.next()
            finally:
                trans.pending -= 1
            data = loads(s)
            if "error" in data:
                raise _error(data["error"], self._ctx("cursor"))
            if data["pks"]:
                yield QueryResponse(data["pks"], data["values"], data["keys"])
            if data["end"]:
                return

    async def count(self, trans: CoreTransaction, index: str, range: KeyRange) -> int:
        if range.is_empty():
            return 0
        rj, sp = _range_json(range)
        return (await self._call(trans, "count", index, rj, sp))["count"]


class IDBCore(BackendCore):
    def __init__(self, idb: Any, schema: DBSchema) -> None:
        super().__init__(schema)
        self.idb = idb

    def _make_table(self, name: str) -> DBCoreTable:
        return IDBTable(self, name)

    def transaction(self, tables: list[str], mode: Mode) -> CoreTransaction:
        try:
            return IDBTransaction(self.idb, tables, mode)
        except Exception as err:  # JsException from db.transaction()
            raise _js_error(err, f"transaction on {tables!r}") from None


def _num(x: Any) -> Any:
    """JS null/undefined -> None."""
    if x is None or type(x).__name__ in ("JsNull", "JsUndefined"):
        return None
    return x


def _js_error(err: Any, context: str) -> DatabaseError:
    inner = getattr(err, "js_error", None)
    if inner is not None:
        return map_error(inner, context)
    text = str(err)
    name, _, message = text.partition(": ")
    e = map_error(_Err(name, message), context)
    e.inner = err
    return e


# ---------------------------------------------------------------- schema helpers


def _schema_from_description(desc: list[dict]) -> DBSchema:
    out: DBSchema = {}
    for s in desc:
        kp = s["keyPath"]
        pk_name = "" if kp is None else ("[" + "+".join(kp) + "]" if isinstance(kp, list) else kp)
        pk = IndexSpec(pk_name, kp, unique=True, auto=bool(s["auto"]))
        idx = {
            i["name"]: IndexSpec(
                i["name"], i["keyPath"], unique=bool(i["unique"]), multi=bool(i["multi"])
            )
            for i in s["indexes"]
        }
        out[s["name"]] = TableSchema(s["name"], pk, idx)
    return out


def _same_pk(a: IndexSpec, b: IndexSpec) -> bool:
    return a.key_path == b.key_path and a.auto == b.auto


# ---------------------------------------------------------------- backend


class IndexedDBBackend:
    """The ``backend="indexeddb"`` implementation of Database's open/close/delete."""

    def __init__(self) -> None:
        self.idb: Any = None
        self._proxies: list[Any] = []

    async def open(self, db: Database) -> None:
        from pyodide.ffi import JsException, create_proxy

        H = helper()
        _ensure_channel()
        versions = db.declared_versions()
        target = None if not versions else round(versions[-1].number * 10)
        state: dict[str, Any] = {"error": None, "task": None}

        def on_upgrade(idb: Any, vtx: Any, old_version: int) -> None:
            trans = IDBTransaction(idb, [], "versionchange", js_tx=vtx)
            core = IDBCore(idb, {})
            state["task"] = asyncio.get_event_loop().create_task(
                self._upgrade(db, idb, vtx, core, trans, old_version, state)
            )

        def on_blocked(old: int, new: Any) -> None:
            from ._database import VersionChangeEvent

            new = _num(new)
            db._fire("blocked", VersionChangeEvent(old // 10, None if new is None else new // 10))

        up = create_proxy(on_upgrade)
        bl = create_proxy(on_blocked)
        try:
            try:
                idb = await H.open(db.name, target, up, bl)
            except JsException as err:
                task = state["task"]
                if task is not None and not task.done():
                    await task
                if state["error"] is not None:
                    raise state["error"] from None
                e = _js_error(err, f"opening database {db.name!r}")
                if task is not None:
                    version = state.get("current") or (versions[-1].number if versions else 0)
                    raise UpgradeError(
                        f"database {db.name!r}: upgrade to version {version} failed: {e}",
                        inner=e.inner,
                        version=version,
                    ) from None
                if isinstance(e, VersionError):
                    raise VersionError(
                        f"database {db.name!r}: the stored version is newer than declared "
                        f"{versions[-1].number if versions else '?'}",
                        e.inner,
                    ) from None
                raise e from None
            task = state["task"]
            if task is not None and not task.done():
                await task
        finally:
            up.destroy()
            bl.destroy()
        if state["error"] is not None:
            idb.close()
            raise state["error"]
        self.idb = idb
        if target is None:
            schema = _schema_from_description(json.loads(H.describe(idb)))
        else:
            schema = db.schema_at(versions[-1].number)
        db.verno = idb.version / 10 if idb.version % 10 else idb.version // 10
        db._install_core(IDBCore(idb, schema))

        def on_versionchange(ev: Any) -> None:
            from ._database import VersionChangeEvent

            new = _num(ev.newVersion)
            db._on_versionchange(
                VersionChangeEvent(ev.oldVersion // 10, None if new is None else new // 10)
            )

        vc = create_proxy(on_versionchange)
        self._proxies.append(vc)
        idb.onversionchange = vc

    async def _upgrade(
        self,
        db: Database,
        idb: Any,
        vtx: Any,
        core: IDBCore,
        trans: IDBTransaction,
        old_version: int,
        state: dict[str, Any],
    ) -> None:
        H = helper()
        current = 0
        try:
            existing = _schema_from_description(json.loads(H.describeTx(idb, vtx)))
            core.schema = dict(existing)
            db._install_core(core)
            old = old_version / 10
            versions = db.declared_versions()
            if old_version == 0:
                current = state["current"] = versions[-1].number
                self._apply(H, idb, vtx, core, db.schema_at(current), current)
                trans.tables = list(core.schema)
                await run_populate(db, trans)
            else:
                for version in versions:
                    if version.number <= old:
                        continue
                    current = state["current"] = version.number
                    self._apply(H, idb, vtx, core, db.schema_at(current), current)
                    trans.tables = list(core.schema)
                    await run_upgrade_fn(db, trans, version)
            final = db.schema_at(versions[-1].number)
            for name in list(core.schema):
                if name not in final:
                    H.deleteStore(idb, name)
                    del core.schema[name]
        except BaseException as exc:
            if isinstance(exc, UpgradeError):
                state["error"] = exc
            else:
                state["error"] = UpgradeError(
                    f"database {db.name!r}: upgrade to version {current} failed: "
                    f"{type(exc).__name__}: {exc}",
                    inner=exc,
                    version=current,
                )
            trans.abort()
            db._core = None  # type: ignore[assignment]
            if not isinstance(exc, Exception):
                raise

    def _apply(
        self, H: Any, idb: Any, vtx: Any, core: IDBCore, schema: DBSchema, version: int
    ) -> None:
        for name, ts in schema.items():
            cur = core.schema.get(name)
            if cur is None:
                pk = ts.primary_key
                H.createStore(idb, name, json.dumps(pk.key_path), pk.auto)
                for spec in ts.indexes.values():
                    H.createIndex(
                        vtx, name, spec.name, json.dumps(spec.key_path), spec.unique, spec.multi
                    )
                core.schema[name] = ts
                continue
            check_primary_keys(cur, ts, name, version)
            for iname, spec in cur.indexes.items():
                new = ts.indexes.get(iname)
                if new is None or not new.same_as(spec):
                    H.deleteIndex(vtx, name, iname)
            for iname, spec in ts.indexes.items():
                old = cur.indexes.get(iname)
                if old is None or not old.same_as(spec):
                    H.createIndex(
                        vtx, name, iname, json.dumps(spec.key_path), spec.unique, spec.multi
                    )
            core.schema[name] = ts

    def close(self, db: Database) -> None:
        if self.idb is not None:
            self.idb.close()
            self.idb = None
        # the versionchange proxy may be running right now: let it be collected later
        self._proxies.clear()

    async def delete(self, db: Database) -> None:
        from pyodide.ffi import create_proxy

        def on_blocked(old: int, new: Any) -> None:
            from ._database import VersionChangeEvent

            db._fire("blocked", VersionChangeEvent(old // 10, None))

        bl = create_proxy(on_blocked)
        try:
            await helper().deleteDatabase(db.name, bl)
        finally:
            bl.destroy()


def _encoded(keys: list[Any]) -> set[tuple[Any, ...]]:
    out = set()
    for k in keys:
        try:
            out.add(encode(k))
        except DataError:  # not a key (an older build may send such): not indexed
            pass
    return out


def _ensure_channel() -> None:
    """Hear other tabs' commits (the helper posts ours from each ``complete`` event)."""
    global _channel
    if _channel is not None:
        return
    from pyodide.ffi import create_proxy

    from ._feed import publish
    from ._observe import TableWrites, Writes

    def on_message(data: Any) -> None:
        try:
            msg = loads(str(data))
            name = msg["db"]
            writes: Writes = {}
            for it in msg["tables"]:
                w = TableWrites(all=bool(it["all"]), unknown_old=True)
                w.pks = _encoded(it["pks"])
                w.index_keys = {n: _encoded(ks) for n, ks in it["idx"].items()}
                if not w.all and not w.pks:
                    continue
                writes[(name, it["table"])] = w
        except (ValueError, KeyError, TypeError, AttributeError):
            return  # not a message of ours (another build?): nothing to learn from it
        if writes:
            publish(None, name, writes)

    _channel = helper().channel(_CHANNEL_NAME, create_proxy(on_message))
