"""Database: schema versions, opening, tables, transactions, events."""

from __future__ import annotations

import asyncio
import inspect
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from . import _feed
from ._callbacks import call_listener
from ._core import DBCore, Middleware
from ._live_query import has_subscriptions
from ._observe import Change, ObserveLayer, Writes
from ._schema import DBSchema, TableSchema, parse_stores
from ._table import Table
from ._transaction import TransactionScope, current_transaction, table_names
from .errors import (
    AbortError,
    DatabaseClosedError,
    InvalidTableError,
    PrematureCommitError,
    SchemaError,
    TransactionInactiveError,
    VersionError,
)


@dataclass(slots=True)
class VersionChangeEvent:
    """Passed to ``versionchange`` and ``blocked`` listeners."""

    old_version: int
    new_version: int | None


class Version:
    """``db.version(n)``: declare stores and an optional upgrade function."""

    def __init__(self, db: Database, number: int) -> None:
        self._db = db
        self.number = number
        self.spec: dict[str, TableSchema | None] = {}
        self.upgrade_fn: Callable[[Any], Awaitable[Any]] | None = None

    def stores(self, stores: dict[str, str | None]) -> Version:
        self.spec.update(parse_stores(stores))
        self._db._schema_changed()
        return self

    def upgrade(self, fn: Callable[[Any], Awaitable[Any]]) -> Version:
        self.upgrade_fn = fn
        return self


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
        self._versions: dict[int, Version] = {}
        self._tables: dict[str, Table] = {}
        self._listeners: dict[str, list[Callable[..., Any]]] = {e: [] for e in _EVENTS}
        self._middleware: list[tuple[int, Middleware]] = []
        self._core: DBCore = None  # type: ignore[assignment]
        self._base: DBCore | None = None
        self._schema: DBSchema = {}
        self._open_task: asyncio.Future | None = None
        self._is_open = False
        self._closed_explicitly = False
        self.verno = 0
        self._impl = _backend_impl(backend)
        _feed.register(self)

    def __repr__(self) -> str:
        return f"<Database {self.name!r} ({self.backend})>"

    # ------------------------------------------------------------ schema
    def version(self, number: int) -> Version:
        if self._is_open:
            raise SchemaError("cannot declare a version while the database is open")
        if not isinstance(number, (int, float)) or isinstance(number, bool) or number <= 0:
            raise VersionError(f"version must be a positive number, not {number!r}")
        v = self._versions.get(number)
        if v is None:
            v = self._versions[number] = Version(self, number)
        return v

    def _schema_changed(self) -> None:
        self._schema = self.schema_at(max(self._versions)) if self._versions else {}

    def schema_at(self, number: int) -> DBSchema:
        """The merged schema of every version up to ``number``."""
        out: DBSchema = {}
        for n in sorted(self._versions):
            if n > number:
                break
            for name, ts in self._versions[n].spec.items():
                if ts is None:
                    out.pop(name, None)
                else:
                    out[name] = ts
        return out

    def declared_versions(self) -> list[Version]:
        return [self._versions[n] for n in sorted(self._versions)]

    @property
    def tables(self) -> list[Table]:
        return [self.table(n) for n in self._current_schema()]

    def _current_schema(self) -> DBSchema:
        if self._core is not None:
            return self._core.schema
        return self._schema

    def _table_schema(self, name: str) -> TableSchema:
        schema = self._current_schema()
        ts = schema.get(name) or self._schema.get(name)
        if ts is None:
            raise InvalidTableError(f"table {name!r} does not exist in database {self.name!r}")
        return ts

    def table(self, name: str) -> Table:
        if name not in self._current_schema() and name not in self._schema:
            raise InvalidTableError(f"table {name!r} does not exist in database {self.name!r}")
        t = self._tables.get(name)
        if t is None:
            t = self._tables[name] = Table(self, name)
        return t

    def __getattr__(self, name: str) -> Table:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self.table(name)
        except InvalidTableError:
            raise AttributeError(f"database {self.name!r} has no table {name!r}") from None

    # ------------------------------------------------------------ middleware
    def use(self, middleware: Middleware, level: int = 10) -> Database:
        """Add a DBCore layer: ``middleware(down_core) -> core``. Higher levels wrap lower."""
        self._middleware.append((level, middleware))
        self._middleware.sort(key=lambda x: x[0])
        if self._base is not None:
            self._core = self._stack(self._base)
        return self

    def _stack(self, base: DBCore) -> DBCore:
        core: DBCore = base
        layers: list[tuple[int, Middleware]] = [
            (0, lambda down: ObserveLayer(down, self)),
            *self._middleware,
        ]
        layers.sort(key=lambda x: x[0])
        for _level, mw in layers:
            core = mw(core)
        return core

    def _install_core(self, base: DBCore) -> None:
        self._base = base
        self._core = self._stack(base)

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
        try:
            await self._impl.open(self)
        except BaseException:
            self._core = None  # type: ignore[assignment]
            self._base = None
            raise
        self._is_open = True
        self._open_task = None
        self._fire("ready", self)

    def close(self) -> None:
        """Close the connection; later calls raise DatabaseClosedError until ``open()``."""
        self._close(explicit=True)

    def _close(self, explicit: bool) -> None:
        was_open = self._is_open
        self._closed_explicitly = explicit
        self._is_open = False
        self._open_task = None
        self._impl.close(self)
        self._core = None  # type: ignore[assignment]
        self._base = None
        if was_open:
            self._fire("close", self)

    async def delete(self) -> None:
        """Close and delete the whole database."""
        self._close(explicit=False)
        await self._impl.delete(self)

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

    def _on_transaction_done(self, trans: Any) -> None:
        if trans.error is not None:
            return
        changes: list[Change] | None = trans.data.get("changes")
        writes: Writes | None = trans.data.get("writes")
        if changes and self._listeners["changes"]:
            self._fire("changes", list(changes))
        if writes:
            _feed.publish(self, self.name, writes)

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

    async def _in_tx(self, mode: str, tables: list[str], body: Callable[[], Awaitable[Any]]) -> Any:
        async with self.transaction(mode, *tables):
            return await body()

    async def _op(self, table: str, write: bool, fn: Callable[[Any], Any]) -> Any:
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
        trans = self._core.transaction([table], "rw" if write else "r")
        try:
            result = await fn(trans)
        except BaseException as exc:
            if not trans.done:
                trans.abort(AbortError(f"aborted by {type(exc).__name__}", exc))
            raise
        trans.finish()
        if write:
            # like Dexie: writes resolve after commit, reads as soon as they have a result
            await trans.wait()
        return result


def _backend_impl(kind: str) -> Any:
    if kind == "memory":
        from ._memory_open import MemoryBackend

        return MemoryBackend()
    from ._idb import IndexedDBBackend

    return IndexedDBBackend()
