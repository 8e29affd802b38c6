"""DBCore: the small internal interface every backend implements.

Like Dexie's DBCore, a backend exposes per-table ``mutate``, ``get``, ``get_many``,
``query``, ``open_cursor`` and ``count`` over a backend transaction.  Middleware
(hooks, the change feed, live-query observation, a sync outbox) wraps a
:class:`DBCore` and its tables; the public Table/Collection API only talks to the
outermost core.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from ._key_range import KeyRange
from ._schema import DBSchema, TableSchema
from .errors import AbortError, DatabaseError, InvalidTableError

Mode = Literal["r", "rw", "versionchange"]
R = TypeVar("R")


@dataclass(slots=True)
class MutateRequest:
    """A write. ``type`` add/put use ``values`` (+ ``keys`` for outbound tables),
    delete uses ``keys``, delete_range uses ``range``."""

    type: Literal["add", "put", "delete", "delete_range"]
    values: list[Any] | None = None
    keys: list[Any] | None = None
    range: KeyRange | None = None


@dataclass(slots=True)
class MutateResponse:
    num_failures: int = 0
    failures: dict[int, DatabaseError] = field(default_factory=dict)
    #: Key per position (None where it failed); for delete, the keys deleted.
    results: list[Any] = field(default_factory=list)
    last_result: Any = None


@dataclass(slots=True)
class QueryRequest:
    """Read entries of ``index`` ("" is the primary key) within ``range``."""

    index: str = ""
    range: KeyRange = field(default_factory=KeyRange)
    limit: int | None = None
    reverse: bool = False
    #: Only the first entry of each distinct index key (IDB "nextunique").
    unique: bool = False
    want_values: bool = True
    want_keys: bool = False
    #: Primary keys may be skipped (None in the response) when False.
    want_pks: bool = True


@dataclass(slots=True)
class QueryResponse:
    primary_keys: list[Any] | None
    values: list[Any] | None = None
    keys: list[Any] | None = None


class CoreTransaction:
    """A backend transaction. Subclasses implement finish/abort/wait."""

    def __init__(self, tables: list[str], mode: Mode) -> None:
        self.tables = list(tables)
        self.mode: Mode = mode
        #: Requests placed but not yet answered (IndexedDB only).
        self.pending = 0
        #: The futures of those requests, which a task may wait on inside a transaction.
        self.requests: set[asyncio.Future[Any]] = set()
        #: Free slots for middleware (the change feed keeps its changes here).
        self.data: dict[str, Any] = {}
        self.done = False
        self.error: DatabaseError | None = None
        self._listeners: list[Callable[[CoreTransaction], None]] = []

    def on_done(self, fn: Callable[[CoreTransaction], None]) -> None:
        """Call ``fn(self)`` once the transaction committed or aborted."""
        if self.done:
            fn(self)
        else:
            self._listeners.append(fn)

    def _settle(self, error: DatabaseError | None) -> None:
        if self.done:
            return
        self.done = True
        self.error = error
        listeners, self._listeners = self._listeners, []
        for fn in listeners:
            fn(self)

    @property
    def active(self) -> bool:
        return not self.done and not self._finishing

    _finishing = False

    def finish(self) -> None:
        """Ask for a commit (no more requests will be placed)."""
        raise NotImplementedError

    def abort(self, error: DatabaseError | None = None) -> None:
        raise NotImplementedError

    async def wait(self) -> None:
        """Wait until committed; raise the mapped error if it aborted."""
        raise NotImplementedError


class DBCoreTable:
    """Per-table operations. All coroutines take the backend transaction first."""

    name: str

    @property
    def schema(self) -> TableSchema:
        raise NotImplementedError

    async def mutate(self, trans: CoreTransaction, req: MutateRequest) -> MutateResponse:
        raise NotImplementedError

    async def get(self, trans: CoreTransaction, key: Any) -> Any:
        raise NotImplementedError

    async def get_many(self, trans: CoreTransaction, keys: list[Any]) -> list[Any]:
        raise NotImplementedError

    async def query(self, trans: CoreTransaction, req: QueryRequest) -> QueryResponse:
        raise NotImplementedError

    def open_cursor(
        self, trans: CoreTransaction, req: QueryRequest, chunk: int = 200
    ) -> AsyncIterator[QueryResponse]:
        """Stream the query in chunks (each a QueryResponse)."""
        raise NotImplementedError

    async def count(self, trans: CoreTransaction, index: str, range: KeyRange) -> int:
        raise NotImplementedError


class DBCore:
    """A backend (or a layer over one)."""

    @property
    def schema(self) -> DBSchema:
        """Table name -> schema, as the connection serves them now."""
        raise NotImplementedError

    def table(self, name: str) -> DBCoreTable:
        raise NotImplementedError

    def transaction(self, tables: list[str], mode: Mode) -> CoreTransaction:
        raise NotImplementedError

    def get_once(self, table: str, key: Any) -> Coroutine[Any, Any, Any]:
        """``table``'s value at ``key`` in a read-only transaction of its own (an
        implicit ``Table.get``, the most frequent call). This runs it through
        ``self.table(table).get`` like any other; a backend may do it in one step, and
        a layer whose tables read nothing differently may pass it down."""
        return run_in_transaction(self, [table], "r", lambda t: self.table(table).get(t, key))


async def run_in_transaction(
    core: DBCore, tables: list[str], mode: Mode, fn: Callable[[CoreTransaction], Awaitable[R]]
) -> R:
    """``fn(transaction)`` in a new transaction of ``core``: finished when ``fn``
    returns, aborted when it raises; a write returns once committed (like Dexie, reads
    as soon as they have their result)."""
    trans = core.transaction(tables, mode)
    try:
        result = await fn(trans)
    except BaseException as exc:
        if not trans.done:
            trans.abort(AbortError(f"aborted by {type(exc).__name__}", exc))
        raise
    trans.finish()
    if mode != "r":
        await trans.wait()
    return result


_SERIAL = "serial-tail"  # trans.data: the future the next serial call waits for


async def serially(trans: CoreTransaction, fn: Callable[[CoreTransaction], Awaitable[R]]) -> R:
    """``fn(trans)`` once every earlier serial call in ``trans`` has finished: a
    read-then-write (modify, delete) runs alone in its transaction, as Dexie locks a
    transaction for them. Two started together (``asyncio.gather``) would otherwise
    both read before either wrote, and one's change would be lost. The wait counts as
    one of the transaction's requests, so the premature-commit probe does not take it
    for a foreign await; the call before hands over inside the same IndexedDB event."""
    before: asyncio.Future[None] | None = trans.data.get(_SERIAL)
    mine: asyncio.Future[None] = asyncio.Future(loop=asyncio.get_running_loop())
    trans.data[_SERIAL] = mine
    try:
        if before is not None and not before.done():
            trans.requests.add(before)
            try:
                await before
            finally:
                trans.requests.discard(before)
        return await fn(trans)
    finally:
        if not mine.done():
            mine.set_result(None)
        if trans.data.get(_SERIAL) is mine:
            del trans.data[_SERIAL]


class BackendCore(DBCore):
    """A storage backend: one table object per schema table, made on first use."""

    def __init__(self, schema: DBSchema) -> None:
        self._schema = schema
        self._tables: dict[str, DBCoreTable] = {}

    @property
    def schema(self) -> DBSchema:
        return self._schema

    def _make_table(self, name: str) -> DBCoreTable:
        raise NotImplementedError

    def table(self, name: str) -> DBCoreTable:
        table = self._tables.get(name)
        if table is None:
            if name not in self.schema:
                raise InvalidTableError(f"table {name!r} does not exist")
            table = self._tables[name] = self._make_table(name)
        return table


class BackendTable(DBCoreTable):
    """A backend's table: its schema is whatever its core's schema says now."""

    def __init__(self, core: BackendCore, name: str) -> None:
        self.core = core
        self.name = name

    @property
    def schema(self) -> TableSchema:
        return self.core.schema[self.name]


class DBCoreTableLayer(DBCoreTable):
    """Delegates everything to ``down``; subclass and override what you need."""

    def __init__(self, down: DBCoreTable) -> None:
        self.down = down
        self.name = down.name

    @property
    def schema(self) -> TableSchema:
        return self.down.schema

    # Each hands on the layer below's coroutine itself (no coroutine of its own to
    # create and resume: a single get passes through every layer).
    def mutate(
        self, trans: CoreTransaction, req: MutateRequest
    ) -> Coroutine[Any, Any, MutateResponse]:
        return self.down.mutate(trans, req)

    def get(self, trans: CoreTransaction, key: Any) -> Coroutine[Any, Any, Any]:
        return self.down.get(trans, key)

    def get_many(self, trans: CoreTransaction, keys: list[Any]) -> Coroutine[Any, Any, list[Any]]:
        return self.down.get_many(trans, keys)

    def query(
        self, trans: CoreTransaction, req: QueryRequest
    ) -> Coroutine[Any, Any, QueryResponse]:
        return self.down.query(trans, req)

    def open_cursor(
        self, trans: CoreTransaction, req: QueryRequest, chunk: int = 200
    ) -> AsyncIterator[QueryResponse]:
        return self.down.open_cursor(trans, req, chunk)

    def count(
        self, trans: CoreTransaction, index: str, range: KeyRange
    ) -> Coroutine[Any, Any, int]:
        return self.down.count(trans, index, range)


class DBCoreLayer(DBCore):
    """Delegates to ``down``; override ``wrap_table`` to wrap each table."""

    def __init__(self, down: DBCore) -> None:
        self.down = down
        self._tables: dict[str, DBCoreTable] = {}

    @property
    def schema(self) -> DBSchema:
        return self.down.schema

    def table(self, name: str) -> DBCoreTable:
        t = self._tables.get(name)
        if t is None:
            inner = self.down.table(name)
            t = self.wrap_table(inner)
            self._tables[name] = t
        return t

    def wrap_table(self, table: DBCoreTable) -> DBCoreTable:
        return table

    def transaction(self, tables: list[str], mode: Mode) -> CoreTransaction:
        return self.down.transaction(tables, mode)


#: A middleware turns a core into a wrapping core: ``db.use(fn)``.
Middleware = Callable[[DBCore], DBCore]
