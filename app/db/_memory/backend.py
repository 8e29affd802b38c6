"""Opening, upgrading and deleting in-memory databases, as IndexedDB does.

Open and delete requests for one database run one at a time (IndexedDB queues them);
an upgrade or delete first asks every other open connection to close (their
``versionchange``) and waits, reporting ``blocked``, until they have.
"""

from __future__ import annotations

import asyncio

from .._backend import OpenRequest, VersionChangeEvent, VersionHook
from .._schema import DBSchema, IndexSpec, TableSchema, unfit_for
from ..errors import UpgradeError, VersionError, outdated_page_error
from .core import MemoryCore, MemoryTransaction
from .store import REGISTRY, MemoryData, Store

__all__ = ["MemoryBackend", "MemoryConnection", "MemorySchemaEditor"]


class MemoryConnection:
    """One open connection to an in-memory database."""

    def __init__(self, data: MemoryData, schema: DBSchema, on_versionchange: VersionHook) -> None:
        self.core = MemoryCore(data, schema)
        self.version: float = data.version
        self.name = data.name
        self.on_versionchange = on_versionchange
        #: Tables an upgrade by this open changed (before or after it); empty otherwise.
        self.upgraded_tables: list[str] = []
        _connections(self.name).append(self)

    def close(self) -> None:
        conns = _connections(self.name)
        if self in conns:
            conns.remove(self)
            _closed_event(self.name).set()


class MemorySchemaEditor:
    """Changes an in-memory database's stores (inside its version-change transaction)."""

    def __init__(self, data: MemoryData) -> None:
        self.data = data
        self.schema: DBSchema = {name: store.schema for name, store in data.stores.items()}

    def create_table(self, table: TableSchema) -> None:
        self.data.stores[table.name] = Store(table)
        self.schema[table.name] = table

    def change_table(self, table: TableSchema) -> None:
        _sync_indexes(self.data.stores[table.name], table)
        self.schema[table.name] = table

    def delete_table(self, name: str) -> None:
        del self.data.stores[name]
        del self.schema[name]


class MemoryBackend:
    """``Database(name, backend="memory")``: databases in this process's memory."""

    async def open(self, request: OpenRequest) -> MemoryConnection:
        async with _open_lock(request.name):
            return await self._open(request)

    async def _open(self, request: OpenRequest) -> MemoryConnection:
        name = request.name
        data = REGISTRY.get(name)
        if request.version is None:
            if data is None:
                raise VersionError(f"database {name!r} does not exist and declares no version")
            schema = {n: s.schema for n, s in data.stores.items()}
            return MemoryConnection(data, schema, request.on_versionchange)
        target = request.version
        if data is not None and data.version > target:
            # a newer release upgraded it: serve this page's tables if they still fit
            installed = {n: s.schema for n, s in data.stores.items()}
            reason = unfit_for(request.schema, installed)
            if reason is not None:
                raise outdated_page_error(name, data.version, target, reason)
            return MemoryConnection(data, request.schema, request.on_versionchange)
        changed: list[str] = []
        if data is None or data.version < target:
            await _ask_others_to_close(
                name, 0 if data is None else data.version, target, request.on_blocked
            )
            data = REGISTRY.get(name) or MemoryData(name)
            before = list(data.stores)
            await _upgrade(data, request)
            if data.version > 0:  # an existing database changed under other connections
                changed = list(dict.fromkeys([*before, *data.stores]))
            data.version = target
            REGISTRY[name] = data
        _patch(data, request.schema)
        connection = MemoryConnection(data, request.schema, request.on_versionchange)
        connection.upgraded_tables = changed
        return connection

    async def delete(self, name: str, on_blocked: VersionHook) -> None:
        async with _open_lock(name):
            data = REGISTRY.get(name)
            await _ask_others_to_close(name, 0 if data is None else data.version, None, on_blocked)
            REGISTRY.pop(name, None)


async def _upgrade(data: MemoryData, request: OpenRequest) -> None:
    """Run the database's upgrade in one version-change transaction; on failure put the
    stores back exactly as they were (rows by the transaction's undo log)."""
    snapshot = {n: (s, s.schema, dict(s.indexes)) for n, s in data.stores.items()}
    editor = MemorySchemaEditor(data)
    core = MemoryCore(data, editor.schema)
    trans = MemoryTransaction(core, list(editor.schema), "versionchange")
    try:
        await request.upgrade(core, trans, data.version, editor)
    except BaseException:
        trans.abort()
        data.stores = {}
        for name, (store, schema, indexes) in snapshot.items():
            store.schema = schema
            store.indexes = indexes
            data.stores[name] = store
        raise
    trans.finish()


# ---------------------------------------------------------------- connections

#: name -> open connections in this process
_CONNECTIONS: dict[str, list[MemoryConnection]] = {}
_CLOSED: dict[str, asyncio.Event] = {}
_OPENING: dict[tuple[str, int], asyncio.Lock] = {}


def _connections(name: str) -> list[MemoryConnection]:
    return _CONNECTIONS.setdefault(name, [])


def _open_lock(name: str) -> asyncio.Lock:
    key = (name, id(asyncio.get_running_loop()))
    lock = _OPENING.get(key)
    if lock is None:
        lock = _OPENING[key] = asyncio.Lock()
    return lock


def _closed_event(name: str) -> asyncio.Event:
    ev = _CLOSED.get(name)
    if ev is None:
        ev = _CLOSED[name] = asyncio.Event()
    return ev


async def _ask_others_to_close(
    name: str, old: float, new: float | None, on_blocked: VersionHook
) -> None:
    """Every open connection hears ``versionchange``; wait until all have closed."""
    event = VersionChangeEvent(old, new)
    for other in list(_connections(name)):
        other.on_versionchange(event)
    fired_blocked = False
    while _connections(name):
        if not fired_blocked:
            fired_blocked = True
            on_blocked(event)
        ev = _closed_event(name)
        ev.clear()
        await ev.wait()


# ---------------------------------------------------------------- structure


def _sync_indexes(store: Store, table: TableSchema) -> None:
    old: dict[str, IndexSpec] = {n: i.spec for n, i in store.indexes.items()}
    new_indexes = dict(store.indexes)
    store.indexes = new_indexes
    for name in list(old):
        if name not in table.indexes or not old[name].same_as(table.indexes[name]):
            del new_indexes[name]
    for name, spec in table.indexes.items():
        if name not in new_indexes:
            store.add_index(spec)
    store.schema = table


def _patch(data: MemoryData, schema: DBSchema) -> None:
    """Schema changed without a version bump: add what is missing (like Dexie 4)."""
    for name, table in schema.items():
        store = data.stores.get(name)
        if store is None:
            data.stores[name] = Store(table)
        elif store.schema is not table and store.schema.primary_key.same_as(table.primary_key):
            try:
                _sync_indexes(store, table)
            except Exception as err:
                raise UpgradeError(
                    f"database {data.name!r}: cannot add the indexes of table {name!r}: {err}",
                    inner=err,
                    version=data.version,
                ) from err
