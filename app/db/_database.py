"""Database: schema versions, opening, tables, transactions, events."""

from __future__ import annotations

import asyncio
import inspect
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from . import _feed
from ._backend import Backend, Connection, OpenRequest, SchemaEditor, VersionChangeEvent
from ._callbacks import call_listener
from ._core import CoreTransaction, DBCore, Middleware, run_in_transaction
from ._live_query import has_subscriptions
from ._observe import Change, ObserveLayer
from ._schema import DBSchema, TableSchema
from ._table import Table
from ._transaction import TransactionScope, current_transaction, table_names
from ._upgrade import run_upgrade
from ._version import Version, Versions
from ._writes import TableWrites, Writes
from .errors import (
    DatabaseClosedError,
    InvalidTableError,
    PrematureCommitError,
    SchemaError,
    TransactionInactiveError,
)

__all__ = ["Database"]

R = TypeVar("R")
_EVENTS = ("changes", "storagemutated", "versionchange", "blocked", "ready", "close", "populate")


class Database:
    """A Dexie-style database over IndexedDB (browser) or memory (CPython)."""

    def __init__(self, name: str, backend: str | None = None, *, auto_open: bool = True) -> None:
        if backend is None:
            backend = "indexeddb" if sys.platform == "emscripten" else "memory"
        if backend not in ("memory", "indexeddb"):
            raise ValueError(f"unknown backend {backend!r}")
        self.name = name
        self.backend = backend
        self.auto_open = auto_open
        #: The installed version once open (0 before).
        self.verno: float = 0
        self._versions = Versions()
        self._tables: dict[str, Table] = {}
        self._listeners: dict[str, list[Callable[..., Any]]] = {e: [] for e in _EVENTS}
        self._middleware: list[tuple[int, Middleware]] = []
        #: The backend's core and the stack of layers over it (while open or upgrading).
        self._base: DBCore | None = None
        self._core: DBCore | None = None
        self._connection: Connection | None = None
        self._open_task: asyncio.Future[None] | None = None
        self._is_open = False
        self._closed_explicitly = False
        self._backend: Backend = _make_backend(backend)
        _feed.register(self)

    def __repr__(self) -> str:
        return f"<Database {self.name!r} ({self.backend})>"

    # ------------------------------------------------------------ schema
    def version(self, number: float) -> Version:
        """Declare version ``number``: ``db.version(2).stores({...}).upgrade(fn)``."""
        if self._is_open:
            raise SchemaError("cannot declare a version while the database is open")
        return self._versions.declare(number)

    def schema_at(self, number: float) -> DBSchema:
        """The merged schema of every version up to ``number``."""
        return self._versions.schema_at(number)

    def declared_versions(self) -> list[Version]:
        return list(self._versions)

    @property
    def tables(self) -> list[Table]:
        return [self.table(n) for n in self._current_schema()]

    def _current_schema(self) -> DBSchema:
        if self._core is not None:
            return self._core.schema
        return self._versions.schema

    def _table_schema(self, name: str) -> TableSchema:
        ts = self._current_schema().get(name) or self._versions.schema.get(name)
        if ts is None:
            raise InvalidTableError(f"table {name!r} does not exist in database {self.name!r}")
        return ts

    def table(self, name: str) -> Table:
        if name not in self._current_schema() and name not in self._versions.schema:
            raise InvalidTableError(f"table {name!r} does not exist in database {self.name!r}")
        t = self._tables.get(name)
        if t is None:
            t = self._tables[name] = Table(self, name)
        return t

    def __getattr__(self, name: str) -> Table:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            t = self.table(name)
        except InvalidTableError:
            raise AttributeError(f"database {self.name!r} has no table {name!r}") from None
        if self._core is not None and name in self._core.schema:
            # ``db.name`` is then a plain attribute until the schema changes (_use_core)
            self.__dict__[name] = t
        return t

    # ------------------------------------------------------------ middleware
    def use(self, middleware: Middleware, level: int = 10) -> Database:
        """Add a DBCore layer: ``middleware(down_core) -> core``. Higher levels wrap lower."""
        self._middleware.append((level, middleware))
        self._middleware.sort(key=lambda x: x[0])
        if self._base is not None:
            self._use_core(self._base)
        return self

    def _use_core(self, base: DBCore | None) -> None:
        """Serve table calls from ``base`` wrapped in every layer (None: nothing)."""
        self._base = base
        for name, t in self._tables.items():  # the attributes __getattr__ made
            if self.__dict__.get(name) is t:
                del self.__dict__[name]
        if base is None:
            self._core = None
            return
        layers: list[tuple[int, Middleware]] = [
            (0, lambda down: ObserveLayer(down, self)),
            *self._middleware,
        ]
        layers.sort(key=lambda x: x[0])
        core = base
        for _level, mw in layers:
            core = mw(core)
        self._core = core

    def _current_core(self) -> DBCore:
        if self._core is None:
            raise DatabaseClosedError(f"database {self.name!r} is not open")
        return self._core

    # ------------------------------------------------------------ lifecycle
    def is_open(self) -> bool:
        return self._is_open

    async def open(self) -> Database:
        """Open (creating or upgrading as declared). Safe to call repeatedly."""
        if self._is_open:
            return self
        if self._open_task is None:
            self._closed_explicitly = False
            self._open_task = asyncio.ensure_future(self._do_open())
        task = self._open_task
        try:
            await asyncio.shield(task)
        except BaseException:
            if self._open_task is task:
                self._open_task = None
            raise
        return self

    async def _do_open(self) -> None:
        latest = self._versions.latest
        request = OpenRequest(
            name=self.name,
            version=None if latest is None else latest.number,
            schema=self._versions.schema,
            upgrade=self._upgrade,
            on_blocked=self._on_blocked,
            on_versionchange=self._on_versionchange,
        )
        try:
            connection = await self._backend.open(request)
        except BaseException:
            self._use_core(None)
            raise
        self._connection = connection
        self.verno = connection.version
        self._use_core(connection.core)
        self._is_open = True
        self._open_task = None
        if connection.upgraded_tables:  # everything the others read may have changed
            everything: Writes = {
                (self.name, t): TableWrites(all=True) for t in connection.upgraded_tables
            }
            _feed.publish(self, self.name, everything)
        self._fire("ready", self)

    async def _upgrade(
        self, core: DBCore, trans: CoreTransaction, installed: float, editor: SchemaEditor
    ) -> None:
        """The backend's version-change transaction is ours: run the upgrade in it."""
        self._use_core(core)
        await run_upgrade(
            self, self._versions, trans, installed, editor, list(self._listeners["populate"])
        )

    def close(self) -> None:
        """Close the connection; later calls raise DatabaseClosedError until ``open()``."""
        self._close(explicit=True)

    def _close(self, explicit: bool) -> None:
        was_open = self._is_open
        self._closed_explicitly = explicit
        self._is_open = False
        self._open_task = None
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()
        self._use_core(None)
        if was_open:
            self._fire("close", self)

    async def delete(self) -> None:
        """Close and delete the whole database."""
        self._close(explicit=False)
        await self._backend.delete(self.name, self._on_blocked)

    async def _ensure_open(self) -> None:
        if self._is_open:
            return
        if self._closed_explicitly:
            raise DatabaseClosedError(f"database {self.name!r} is closed")
        if not self.auto_open and self._open_task is None:
            raise DatabaseClosedError(f"database {self.name!r} is not open")
        await self.open()

    # ------------------------------------------------------------ events
    def on(self, event: str, fn: Callable[..., Any]) -> Callable[[], None]:
        """Subscribe to an event; returns the unsubscribe callable.

        ``"changes"``: ``fn(list_of_Change)`` after each commit made through this object.
        ``"storagemutated"``: ``fn({table: keys or None})`` after a commit made through
        another connection to this database (another ``Database`` object, here or in
        another tab); never for this object's own commits nor for aborted ones.
        Also ``"versionchange"``, ``"blocked"``, ``"ready"``, ``"close"``, ``"populate"``.
        """
        if event not in self._listeners:
            raise ValueError(f"unknown event {event!r}")
        self._listeners[event].append(fn)

        def off() -> None:
            try:
                self._listeners[event].remove(fn)
            except ValueError:
                pass

        return off

    def _fire(self, event: str, arg: Any) -> list[Any]:
        results = []
        for fn in list(self._listeners[event]):
            r = fn(arg)
            if inspect.isawaitable(r):
                r = asyncio.ensure_future(r)
            results.append(r)
        return results

    def _tracking(self) -> bool:
        """Old values are needed: this object has change listeners, or a live query runs."""
        return bool(self._listeners["changes"]) or has_subscriptions()

    def _peers_listening(self) -> bool:
        """Another ``Database`` object of this name in this process hears commits."""
        return _feed.has_listeners(self.name, self)

    def _hears_storage(self) -> bool:
        return bool(self._listeners["storagemutated"]) and not self._closed_explicitly

    def _storage_mutated(self, mutated: dict[str, list[Any] | None]) -> None:
        """Tell this object's listeners (each its own copy; one failing stops nobody)."""
        for fn in list(self._listeners["storagemutated"]):
            payload = {t: None if keys is None else list(keys) for t, keys in mutated.items()}
            call_listener(fn, payload, f"a storagemutated listener of database {self.name!r}")

    def _on_transaction_done(self, trans: CoreTransaction) -> None:
        if trans.error is not None:
            return
        changes: list[Change] | None = trans.data.get("changes")
        writes: Writes | None = trans.data.get("writes")
        for table_writes in (writes or {}).values():
            table_writes.settle()  # before a listener could change the values
        if changes and self._listeners["changes"]:
            self._fire("changes", list(changes))
        if writes:
            _feed.publish(self, self.name, writes)

    def _on_blocked(self, event: VersionChangeEvent) -> None:
        self._fire("blocked", event)

    def _on_versionchange(self, event: VersionChangeEvent) -> None:
        """Another connection wants to upgrade or delete: close unless a listener says no."""
        results = self._fire("versionchange", event)
        if not any(r is False for r in results):
            self._close(explicit=False)

    # ------------------------------------------------------------ transactions
    def transaction(self, mode: str, *tables: Any) -> TransactionScope:
        """``async with db.transaction("rw", db.a, db.b):`` — or pass a body function last."""
        body = None
        if tables and callable(tables[-1]) and not isinstance(tables[-1], Table):
            body = tables[-1]
            tables = tables[:-1]
        names = table_names(tables)
        if not names:
            raise InvalidTableError("a transaction needs at least one table")
        return TransactionScope(self, mode, names, body)

    async def _in_tx(self, mode: str, tables: list[str], body: Callable[[], Awaitable[R]]) -> R:
        async with self.transaction(mode, *tables):
            return await body()

    async def _op(
        self,
        table: str,
        write: bool,
        fn: Callable[[CoreTransaction], Awaitable[R]],
        alone: Callable[[DBCore], Awaitable[R]] | None = None,
    ) -> R:
        """Run ``fn(core_transaction)`` in the current transaction, or outside one in an
        implicit one; or there, when given, ``alone(core)``: the same operation as a
        core call that makes its own transaction (``DBCore.get_once``)."""
        tx = current_transaction.get()
        if tx is not None and tx.db is self:
            tx.check(table, write)
            try:
                return await fn(tx.core)
            except TransactionInactiveError as err:
                if tx.active:
                    # IndexedDB committed under us: the body awaited something foreign
                    tx.premature = True
                    raise PrematureCommitError(
                        f"table {table!r}: the transaction committed before its body finished",
                        err.inner,
                    ) from err
                raise
            finally:
                if tx.active:
                    tx.arm()
        if not self._is_open:
            await self._ensure_open()
        self.table(table)
        if alone is not None:
            return await alone(self._current_core())
        return await run_in_transaction(self._current_core(), [table], "rw" if write else "r", fn)


def _make_backend(kind: str) -> Backend:
    if kind == "memory":
        from ._memory import MemoryBackend

        return MemoryBackend()
    from ._idb import IndexedDBBackend

    return IndexedDBBackend()
