"""The store: one database, the tables every module declared, and the event bus."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ._db_errors import translate_db_errors
from ._errors import UpgradeBlockedError
from ._events import EventBus, Listener
from ._external import ExternalWatcher
from ._ids import Clock, utc_now
from ._schema_history import CURRENT_VERSION, VERSION_1_TABLES

__all__ = ["Change", "Store", "Upgrade"]

Upgrade = Callable[[Any], Awaitable[None]]
ChangeType = Literal["create", "update", "delete"]


@dataclass(frozen=True, slots=True)
class Change:
    """One committed change to one record; `external` when another tab wrote it."""

    table: str
    key: Any
    type: ChangeType
    old: Any = None
    new: Any = None
    external: bool = False


def _table_names(part: Any) -> list[str]:
    if isinstance(part, str):
        return [part]
    tables = getattr(part, "tables_used", None)
    if tables is not None:
        return list(tables)
    if isinstance(part, (list, tuple, set)):
        return [n for p in part for n in _table_names(p)]
    if hasattr(part, "__dataclass_fields__"):
        return [n for f in part.__dataclass_fields__ for n in _table_names(getattr(part, f))]
    raise TypeError(f"not a table name or repository: {part!r}")


def _field(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _to_change(raw: Any, external: bool) -> Change:
    """An `app.db` change (or a dict with the same fields) as a domain `Change`."""
    return Change(
        table=str(_field(raw, "table")),
        key=_field(raw, "key"),
        type=_field(raw, "type", "update"),
        old=_field(raw, "old"),
        new=_field(raw, "new"),
        external=bool(_field(raw, "external", external)),
    )


def _consume_exception(future: Any) -> None:
    if not future.cancelled():
        future.exception()


class Store:
    """Holds the database, the declared tables, the event bus and the repositories.

    Events (all emitted after commit, never for aborted transactions):
    - `"<table>:changed"` with the list of `Change`s of that table in one commit;
    - `"changes"` with every `Change` of the commit;
    - `"external-change"` with the tables another tab (another connection) wrote:
      `Change(table, key=None, external=True)`, since `app.db` tells other tabs
      only that a table changed; caches of those tables should be reloaded. The
      same changes also go out as `"<table>:changed"` and `"changes"`;
    - `"upgrade-blocked"` with an `UpgradeBlockedError` when an upgrade waits for
      other tabs to close.
    """

    def __init__(self, db: Any, *, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock
        self.bus = EventBus()
        self._tables: dict[str, str] = {}
        self._owners: dict[str, str] = {}
        self._upgrades: dict[int, list[Upgrade]] = {}
        self._repos: dict[str, Any] = {}
        self._versions_declared = False
        self._blocked_waiters: list[Any] = []
        self._watcher = ExternalWatcher(db, self.receive_external)
        db.on("changes", self._on_db_changes)
        db.on("blocked", self._on_blocked)

    # -- declaration ------------------------------------------------------------------
    def define(self, module: str, tables: Mapping[str, str]) -> None:
        """Declare `module`'s tables (Dexie schema strings). Each table has one owner."""
        if self._versions_declared:
            raise RuntimeError("register every module before the store is opened")
        for name, spec in tables.items():
            owner = self._owners.get(name)
            if owner is not None and owner != module:
                raise ValueError(f"table {name!r} is already declared by module {owner!r}")
            self._tables[name] = spec
            self._owners[name] = module

    def add_upgrade(self, version: int, fn: Upgrade) -> None:
        """Run `fn(tx)` when a database older than `version` is upgraded."""
        self._upgrades.setdefault(version, []).append(fn)

    def provide(self, name: str, repo: Any) -> Any:
        """Remember a module's repository under `name` (returned by `register`)."""
        self._repos[name] = repo
        return repo

    def repo(self, name: str) -> Any:
        try:
            return self._repos[name]
        except KeyError:
            raise LookupError(f"module {name!r} is not registered") from None

    def has_table(self, name: str) -> bool:
        return name in self._tables

    @property
    def tables(self) -> dict[str, str]:
        return dict(self._tables)

    def _declare_versions(self) -> None:
        if self._versions_declared:
            return
        self._versions_declared = True
        self.db.version(1).stores(VERSION_1_TABLES)
        upgrades = self._upgrades.get(CURRENT_VERSION, [])

        async def upgrade(tx: Any) -> None:
            for fn in upgrades:
                await fn(tx)

        version = self.db.version(CURRENT_VERSION).stores(self._tables)
        if upgrades:
            version.upgrade(upgrade)

    async def open(self, *, wait_if_blocked: bool = True, watch_external: bool = True) -> None:
        """Declare the schema versions (once) and open the database (upgrading it).

        If other tabs hold an older version open, `"upgrade-blocked"` is emitted with
        an `UpgradeBlockedError` (a message for the UI) and the open waits for them to
        close; with `wait_if_blocked=False` it raises that error instead (the upgrade
        still completes in the background once the other tabs close).
        """
        self._declare_versions()
        async with translate_db_errors():
            if wait_if_blocked:
                await self.db.open()
            else:
                await self._open_or_fail_when_blocked()
        if watch_external:
            self._watcher.stop()
            self._watcher.start(self._tables)

    def close(self) -> None:
        """Stop watching for other tabs' writes and close the database."""
        self._watcher.stop()
        self.db.close()

    async def _open_or_fail_when_blocked(self) -> None:
        loop = asyncio.get_running_loop()
        blocked: asyncio.Future[None] = loop.create_future()
        self._blocked_waiters.append(blocked)
        opening = asyncio.ensure_future(self.db.open())
        try:
            await asyncio.wait({opening, blocked}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self._blocked_waiters.remove(blocked)
        if opening.done():
            blocked.cancel()
            opening.result()
            return
        opening.add_done_callback(_consume_exception)
        raise UpgradeBlockedError()

    def _on_blocked(self, *args: Any) -> None:
        error = UpgradeBlockedError()
        for waiter in self._blocked_waiters:
            if not waiter.done():
                waiter.set_result(None)
        self.bus.emit("upgrade-blocked", error)

    # -- access -----------------------------------------------------------------------
    def table(self, name: str) -> Any:
        if name not in self._tables:
            raise LookupError(f"table {name!r} is not declared by any registered module")
        self._declare_versions()
        return self.db.table(name)

    def transaction(self, mode: Literal["r", "rw"], *parts: Any) -> Any:
        """`db.transaction` over tables; joins a caller's transaction if any.

        Each part is a table name, a repository (all tables its methods touch), or a
        module API holding repositories, so callers can write
        `async with store.transaction("rw", domain.characters, domain.messages): ...`.
        """
        self._declare_versions()
        names = dict.fromkeys(n for part in parts for n in _table_names(part))
        return self.db.transaction(mode, *[self.table(n) for n in names])

    # -- events -----------------------------------------------------------------------
    def on(self, event: str, fn: Listener) -> Callable[[], None]:
        return self.bus.on(event, fn)

    def emit(self, event: str, *args: Any) -> None:
        self.bus.emit(event, *args)

    def _on_db_changes(self, changes: Iterable[Any], *rest: Any) -> None:
        external = bool(rest and rest[0])
        converted = [_to_change(c, external) for c in changes]
        if not external:
            self._watcher.note_local({c.table for c in converted})
        self._dispatch(converted)

    def receive_external(self, writes: Any) -> None:
        """Report writes another tab committed: a list of changes, or of table names,
        or a mapping keyed by table name. Emits `"external-change"` and the tables'
        `"<table>:changed"` events with `external=True` changes (key None when only
        the table is known: invalidate everything cached from it)."""
        if isinstance(writes, Mapping):
            writes = list(writes)
        items = list(writes or ())
        converted = [
            Change(table=w, key=None, type="update", external=True)
            if isinstance(w, str)
            else _to_change(w, True)
            for w in items
        ]
        self._dispatch(converted)

    def _dispatch(self, changes: list[Change]) -> None:
        if not changes:
            return
        by_table: dict[str, list[Change]] = {}
        for change in changes:
            by_table.setdefault(change.table, []).append(change)
        for table, items in by_table.items():
            self.bus.emit(f"{table}:changed", items)
        self.bus.emit("changes", changes)
        external = [c for c in changes if c.external]
        if external:
            self.bus.emit("external-change", external)
