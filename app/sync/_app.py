"""The app's sync: the outbox on the library (installed at boot), resuming the sync of a
linked library, and the one ``SyncService`` of this tab for the sync screen.

Why the outbox layer is always installed but records only once the library is linked:
a user who never syncs pays one read of a tiny row per write transaction on a synced
table, and nothing grows; a library that gets linked must not miss a write from any tab,
and each transaction reads the ``writer`` row itself, so a tab opened before another tab
signed in records its next write all the same. The first sign-in then pushes the
library that is already there (``Replica``'s snapshot).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.db import Database

from ._outbox import outbox_layer
from ._schema import STATE, SyncSchema

if TYPE_CHECKING:
    from ._service import SyncService

LINK = "link"  # the row ``_state.LINK`` names (not imported: boot stays small)

__all__ = ["SyncHandle", "current_sync", "install_outbox", "resume_sync", "start_sync"]

_services: dict[str, SyncService] = {}
_schemas: dict[str, SyncSchema] = {}
_stops: list[Callable[[], None]] = []


def install_outbox(db: Database, schema: SyncSchema) -> None:
    """Record every change to ``schema``'s tables (before the first write; at boot)."""
    _schemas[db.name] = schema
    db.use(outbox_layer(schema, on_outbox=lambda: _outbox_written(db.name)))


def _outbox_written(name: str) -> None:
    service = _services.get(name)
    if service is not None:
        service.outbox_written()


async def resume_sync(db: Database, **options: Any) -> SyncService | None:
    """At boot: start syncing if this library is linked to a server (``options`` as for
    ``start_sync``: the boot passes ``on_applied`` so pulled records reach the screen)."""
    if STATE not in db._current_schema() or db.name not in _schemas:
        return None
    if await db.table(STATE).get(LINK) is None:
        return None
    return start_sync(db, **options)


def start_sync(db: Database, *, transport: Any = None, tabs: Any = None,
               **options: Any) -> SyncService:
    """This tab's sync service for ``db`` (made and started once)."""
    service = _services.get(db.name)
    if service is not None:
        return service
    from ._service import SyncService

    in_browser = transport is None or tabs is None
    if in_browser:
        transport, tabs = _browser_parts(db.name, transport, tabs)
        options.setdefault("origin", _page_origin())
    service = SyncService(db, _schemas[db.name], transport, tabs, **options)
    if in_browser:
        from ._browser import watch_page

        _stops.append(watch_page(lambda reason: service.wake(reason)))  # type: ignore[arg-type]
    _services[db.name] = service
    service.start()
    return service


def _browser_parts(name: str, transport: Any, tabs: Any) -> tuple[Any, Any]:
    platform: str = sys.platform
    if platform != "emscripten":
        raise RuntimeError("outside the browser, pass a transport and tabs")
    from ._browser import BrowserTabs, FetchTransport

    return transport or FetchTransport(), tabs or BrowserTabs(name)


def _page_origin() -> str | None:
    from ._browser import page_origin

    return page_origin()


def current_sync(db: Database) -> SyncService | None:
    return _services.get(db.name)


async def stop_all() -> None:
    """Stop every service (tests)."""
    for stop in _stops:
        stop()
    _stops.clear()
    for service in list(_services.values()):
        await service.stop()
    _services.clear()


class SyncHandle:
    """The library's sync for the app state: starts this tab's ``SyncService`` the first
    time the sync screen (or anything else) uses it, so a library that never syncs loads
    none of it."""

    def __init__(self, db: Database, **options: Any) -> None:
        self.db = db
        self.options = options  # for ``start_sync`` (outside the browser: transport, tabs)

    def service(self) -> SyncService:
        return start_sync(self.db, **self.options)

    @property
    def status(self) -> Any:
        return self.service().status

    async def suggested_server(self) -> str | None:
        return await self.service().suggested_server()

    async def sign_in(self, server: str, username: str, password: str) -> None:
        await self.service().sign_in(server, username, password)

    async def register(self, server: str, username: str, password: str) -> None:
        await self.service().register(server, username, password)

    async def sign_out(self) -> None:
        await self.service().sign_out()

    async def dismiss_rejected(self) -> None:
        await self.service().dismiss_rejected()

    def wake(self, reason: Any = "now") -> None:
        self.service().wake(reason)
