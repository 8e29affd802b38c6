"""Opening, upgrading, closing and deleting in-memory databases."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from ._memory import REGISTRY, MemoryCore, MemoryTransaction, _MemoryData, _Store
from ._schema import DBSchema, IndexSpec, TableSchema
from ._upgrade import check_primary_keys, run_populate, run_upgrade_fn
from .errors import DatabaseError, UpgradeError, VersionError

if TYPE_CHECKING:
    from ._database import Database

#: name -> open connections (Database objects) in this process
_CONNECTIONS: dict[str, list[Database]] = {}
_CLOSED: dict[str, asyncio.Event] = {}


_OPENING: dict[tuple[str, int], asyncio.Lock] = {}


def _open_lock(name: str) -> asyncio.Lock:
    """Open and delete requests for one database run one at a time, as IndexedDB queues them."""
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


async def _ask_others_to_close(db: Database, old: int, new: int | None) -> None:
    from ._database import VersionChangeEvent

    event = VersionChangeEvent(old, new)
    for other in list(_CONNECTIONS.get(db.name, [])):
        if other is not db:
            other._on_versionchange(event)
    fired_blocked = False
    while any(o is not db for o in _CONNECTIONS.get(db.name, [])):
        if not fired_blocked:
            fired_blocked = True
            db._fire("blocked", event)
        ev = _closed_event(db.name)
        ev.clear()
        await ev.wait()


class MemoryBackend:
    """The ``backend="memory"`` implementation of Database's open/close/delete."""

    async def open(self, db: Database) -> None:
        async with _open_lock(db.name):
            await self._open(db)

    async def _open(self, db: Database) -> None:
        data = REGISTRY.get(db.name)
        versions = db.declared_versions()
        if not versions:
            if data is None:
                raise VersionError(f"database {db.name!r} does not exist and declares no version")
            schema: DBSchema = {n: s.schema for n, s in data.stores.items()}
            db.verno = data.version
            db._install_core(MemoryCore(data, schema))
            _CONNECTIONS.setdefault(db.name, []).append(db)
            return
        target = versions[-1].number
        if data is not None and data.version > target:
            raise VersionError(
                f"database {db.name!r} is at version {data.version}, newer than declared {target}"
            )
        if data is None or data.version < target:
            old = 0 if data is None else data.version
            await _ask_others_to_close(db, old, target)
            data = REGISTRY.get(db.name)
            if data is None:
                data = _MemoryData(db.name)
            await self._upgrade(db, data, target)
            REGISTRY[db.name] = data
        schema = db.schema_at(target)
        _patch(data, schema)
        db.verno = target
        db._install_core(MemoryCore(data, schema))
        _CONNECTIONS.setdefault(db.name, []).append(db)

    async def _upgrade(self, db: Database, data: _MemoryData, target: int) -> None:
        old_version = data.version
        snapshot = {n: (s, s.schema, dict(s.indexes)) for n, s in data.stores.items()}
        core = MemoryCore(data, {})
        trans = MemoryTransaction(core, [], "versionchange")
        db._install_core(core)
        current = 0
        try:
            if old_version == 0:
                current = target
                schema = db.schema_at(target)
                _apply_structure(data, schema, target)
                core.schema = dict(schema)
                trans.tables = list(data.stores)
                await run_populate(db, trans)
            else:
                for version in db.declared_versions():
                    if version.number <= old_version:
                        continue
                    current = version.number
                    schema = db.schema_at(version.number)
                    _apply_structure(data, schema, version.number)
                    core.schema = {n: s.schema for n, s in data.stores.items()}
                    trans.tables = list(data.stores)
                    await run_upgrade_fn(db, trans, version)
            final = db.schema_at(target)
            for name in list(data.stores):
                if name not in final:
                    del data.stores[name]
        except BaseException as exc:
            trans.abort()
            data.stores = {}
            for name, (store, schema_, indexes) in snapshot.items():
                store.schema = schema_
                store.indexes = indexes
                data.stores[name] = store
            db._core = None  # type: ignore[assignment]
            if isinstance(exc, UpgradeError):
                raise
            if not isinstance(exc, Exception):
                raise
            raise UpgradeError(
                f"database {db.name!r}: upgrade to version {current} failed: "
                f"{type(exc).__name__}: {exc}",
                inner=exc,
                version=current,
            ) from exc
        trans.finish()
        data.version = target

    def close(self, db: Database) -> None:
        conns = _CONNECTIONS.get(db.name)
        if conns and db in conns:
            conns.remove(db)
            _closed_event(db.name).set()

    async def delete(self, db: Database) -> None:
        async with _open_lock(db.name):
            data = REGISTRY.get(db.name)
            await _ask_others_to_close(db, 0 if data is None else data.version, None)
            REGISTRY.pop(db.name, None)


def _apply_structure(data: _MemoryData, schema: DBSchema, version: int) -> None:
    for name, ts in schema.items():
        store = data.stores.get(name)
        if store is None:
            data.stores[name] = _Store(ts)
            continue
        check_primary_keys(store.schema, ts, name, version)
        _sync_indexes(store, ts, version)


def _sync_indexes(store: _Store, ts: TableSchema, version: int) -> None:
    old: dict[str, IndexSpec] = {n: i.spec for n, i in store.indexes.items()}
    new_indexes = dict(store.indexes)
    store.indexes = new_indexes
    for name in list(old):
        if name not in ts.indexes or not old[name].same_as(ts.indexes[name]):
            del new_indexes[name]
    for name, spec in ts.indexes.items():
        if name not in new_indexes:
            try:
                store.add_index(spec)
            except DatabaseError as err:
                raise UpgradeError(
                    f"upgrade to version {version}: cannot create index {name!r} on table "
                    f"{ts.name!r}: {err}",
                    inner=err,
                    version=version,
                ) from err
    store.schema = ts


def _patch(data: _MemoryData, schema: DBSchema) -> None:
    """Schema changed without a version bump: add what is missing (like Dexie 4)."""
    for name, ts in schema.items():
        store = data.stores.get(name)
        if store is None:
            data.stores[name] = _Store(ts)
        elif store.schema is not ts:
            if store.schema.primary_key.same_as(ts.primary_key):
                _sync_indexes(store, ts, data.version)
