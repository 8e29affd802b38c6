"""Opening, upgrading and deleting IndexedDB databases (Pyodide only)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from .._backend import (
    OpenRequest,
    VersionChangeEvent,
    VersionHook,
    from_native,
    to_native,
)
from .._schema import DBSchema, IndexSpec, TableSchema, unfit_for
from .._upgrade import UPGRADING_TO
from ..errors import UpgradeError, VersionError, outdated_page_error
from . import channel
from .bridge import helper
from .core import IDBCore, IDBTransaction
from .wire import error_from_js

__all__ = ["IDBConnection", "IDBSchemaEditor", "IndexedDBBackend"]


class IDBConnection:
    """One open IndexedDB connection (``IDBDatabase``)."""

    def __init__(self, idb: Any, schema: DBSchema, on_versionchange: VersionHook) -> None:
        from pyodide.ffi import create_proxy

        self.idb = idb
        self.core = IDBCore(idb, schema)
        self.version: float = from_native(idb.version)
        #: Tables an upgrade by this open changed (before or after it); empty otherwise.
        self.upgraded_tables: list[str] = []

        def versionchange(ev: Any) -> None:
            new = _js_none(ev.newVersion)
            on_versionchange(
                VersionChangeEvent(
                    from_native(ev.oldVersion), None if new is None else from_native(new)
                )
            )

        # kept for the connection's life: the event may fire while it is being closed
        self._on_versionchange = create_proxy(versionchange)
        idb.onversionchange = self._on_versionchange

    def close(self) -> None:
        self.idb.close()


class IDBSchemaEditor:
    """Changes an IndexedDB database's stores inside its version-change transaction."""

    def __init__(self, idb: Any, vtx: Any) -> None:
        self.idb = idb
        self.vtx = vtx
        self.schema: DBSchema = _schema_from_description(
            json.loads(helper().describe(idb, vtx))
        )

    def create_table(self, table: TableSchema) -> None:
        pk = table.primary_key
        helper().createStore(self.idb, table.name, json.dumps(pk.key_path), pk.auto)
        for spec in table.indexes.values():
            self._create_index(table.name, spec)
        self.schema[table.name] = table

    def change_table(self, table: TableSchema) -> None:
        current = self.schema[table.name]
        for name, spec in current.indexes.items():
            new = table.indexes.get(name)
            if new is None or not new.same_as(spec):
                helper().deleteIndex(self.vtx, table.name, name)
        for name, spec in table.indexes.items():
            old = current.indexes.get(name)
            if old is None or not old.same_as(spec):
                self._create_index(table.name, spec)
        self.schema[table.name] = table

    def delete_table(self, name: str) -> None:
        helper().deleteStore(self.idb, name)
        del self.schema[name]

    def _create_index(self, table: str, spec: IndexSpec) -> None:
        helper().createIndex(
            self.vtx, table, spec.name, json.dumps(spec.key_path), spec.unique, spec.multi
        )


class IndexedDBBackend:
    """``Database(name, backend="indexeddb")``: the browser's IndexedDB."""

    async def open(self, request: OpenRequest) -> IDBConnection:
        from pyodide.ffi import JsException, create_proxy

        h = helper()
        channel.listen()
        target = None if request.version is None else to_native(request.version)
        upgrade: list[asyncio.Task[None]] = []
        failure: list[BaseException] = []
        versions: list[Any] = []

        async def run_upgrade(
            core: IDBCore, trans: IDBTransaction, installed: float, editor: IDBSchemaEditor
        ) -> None:
            try:
                await request.upgrade(core, trans, installed, editor)
            except BaseException as exc:
                failure.append(exc)
                trans.abort()
                if not isinstance(exc, Exception):
                    raise
            finally:
                versions.append(trans.data.get(UPGRADING_TO))

        def on_upgrade(idb: Any, vtx: Any, old_native: int) -> None:
            editor = IDBSchemaEditor(idb, vtx)
            trans = IDBTransaction(idb, list(editor.schema), "versionchange", js_tx=vtx)
            core = IDBCore(idb, editor.schema)
            task = asyncio.get_event_loop().create_task(
                run_upgrade(core, trans, from_native(old_native), editor)
            )
            upgrade.append(task)

        def on_blocked(old: int, new: Any) -> None:
            new = _js_none(new)
            request.on_blocked(
                VersionChangeEvent(from_native(old), None if new is None else from_native(new))
            )

        up = create_proxy(on_upgrade)
        bl = create_proxy(on_blocked)
        newer = False
        try:
            try:
                opened = await h.open(request.name, target, up, bl)
            except JsException as err:
                if upgrade and not upgrade[0].done():
                    await upgrade[0]
                if failure:
                    raise failure[0] from None
                e = error_from_js(err, f"opening database {request.name!r}")
                if upgrade:
                    version = (versions and versions[0]) or request.version
                    raise UpgradeError(
                        f"database {request.name!r}: upgrade to version {version} failed: {e}",
                        inner=e.inner,
                        version=version,
                    ) from None
                if not isinstance(e, VersionError) or request.version is None:
                    raise e from None
                # a newer release upgraded it: open it as it is, and see if our tables fit
                newer = True
                opened = await h.open(request.name, None, up, bl)
            if upgrade and not upgrade[0].done():
                await upgrade[0]
        finally:
            up.destroy()
            bl.destroy()
        idb, changed = opened[0], json.loads(opened[1])
        if failure:
            idb.close()
            raise failure[0]
        schema = request.schema
        if target is None or newer:
            installed = _schema_from_description(json.loads(h.describe(idb)))
            if target is None:
                schema = installed
            else:
                assert request.version is not None
                reason = unfit_for(request.schema, installed)
                if reason is not None:
                    idb.close()
                    raise outdated_page_error(
                        request.name, from_native(idb.version), request.version, reason
                    )
        connection = IDBConnection(idb, schema, request.on_versionchange)
        connection.upgraded_tables = changed
        return connection

    async def delete(self, name: str, on_blocked: VersionHook) -> None:
        from pyodide.ffi import create_proxy

        def blocked(old: int, _new: Any) -> None:
            on_blocked(VersionChangeEvent(from_native(old), None))

        proxy = create_proxy(blocked)
        try:
            await helper().deleteDatabase(name, proxy)
        finally:
            proxy.destroy()


def _js_none(x: Any) -> Any:
    """JavaScript's null/undefined as None."""
    if x is None or type(x).__name__ in ("JsNull", "JsUndefined"):
        return None
    return x


def _schema_from_description(desc: list[dict[str, Any]]) -> DBSchema:
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
