"""The store: one database, the registry's schema history, and the event bus."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from ._db_errors import translate_db_errors
from ._errors import UpgradeBlockedError
from ._events import EventBus, Listener
from ._ids import Clock, utc_now
from ._registry import Registry

__all__ = ["Change", "ChangeType", "Store", "TableUser"]

ChangeType = Literal["create", "update", "delete"]


@dataclass(frozen=True, slots=True)
class Change:
    """One committed change to one record; `external` when another tab wrote it (then
    `key` may be None: "something in this table changed")."""

    table: str
    key: Any
    type: ChangeType
    old: Any = None
    new: Any = None
    external: bool = False


class TableUser(Protocol):
    """A repository or feature API: the tables its methods touch."""

    @property
    def tables_used(self) -> tuple[str, ...]: ...


def _table_names(part: str | TableUser) -> list[str]:
    if isinstance(part, str):
        return [part]
    return list(part.tables_used)


def _to_change(raw: Any) -> Change:
    """An `app.db` change as a domain `Change`."""
    return Change(table=raw.table, key=raw.key, type=raw.type, old=raw.old, new=raw.new)


def _consume_exception(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


class Store:
    """Holds the database, the registry, the event bus.

    Events (all emitted after commit, never for aborted transactions):
    - `"<table>:changed"` with the list of `Change`s of that table in one commit;
    - `"changes"` with every `Change` of the commit;
    - `"external-change"` with the changes another tab (another connection) committed,
      from `app.db`'s `storagemutated` (`key` None when the keys are not known: reload
      everything cached from that table). They also go out as `"<table>:changed"` and
      `"changes"` with `external=True`;
    - `"upgrade-blocked"` with an `UpgradeBlockedError` when an upgrade waits for other
      tabs to close.
    """

    def __init__(self, db: Any, registry: Registry, *, clock: Clock = utc_now) -> None:
        self.db = db
        self.registry = registry
        self.clock = clock
        self.bus = EventBus()
        self._versions_declared = False
        self._blocked_waiters: list[asyncio.Future[None]] = []
        self._stop_external: Callable[[], None] | None = None
        db.on("changes", self._on_db_changes)
        db.on("blocked", self._on_blocked)

    # -- schema -----------------------------------------------------------------------
    def has_table(self, name: str) -> bool:
        return self.registry.has_table(name)

    def _declare_versions(self) -> None:
        """Declare every version of the registry's schema history on the database."""
        if self._versions_declared:
            return
        self._versions_declared = True
        for version in self.registry.schema_versions:
            declared = self.db.version(version.number).stores(dict(version.stores))
            if version.upgrades:
                declared.upgrade(version.upgrade)

    async def open(self, *, wait_if_blocked: bool = True, watch_external: bool = True) -> None:
        """Declare the schema versions (once) and open the database, upgrading it through
        every version between the installed one and the latest, in order.

        If other tabs hold an older version open, `"upgrade-blocked"` is emitted with an
        `UpgradeBlockedError` (a message for the UI) and the open waits for them to close;
        with `wait_if_blocked=False` it raises that error instead (the upgrade still
        completes in the background once the other tabs close).
        """
        self._declare_versions()
        async with translate_db_errors():
            if wait_if_blocked:
                await self.db.open()
            else:
                await self._open_or_fail_when_blocked()
        if watch_external and self._stop_external is None:
            self._stop_external = self.db.on("storagemutated", self.receive_external)

    def close(self) -> None:
        """Stop following other tabs' writes and close the database."""
        if self._stop_external is not None:
            self._stop_external()
            self._stop_external = None
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
        if not self.registry.has_table(name):
            raise LookupError(f"table {name!r} is not declared by any registered feature")
        self._declare_versions()
        return self.db.table(name)

    def transaction(self, mode: Literal["r", "rw"], *parts: str | TableUser) -> Any:
        """`db.transaction` over tables; joins a caller's transaction if any.

        Each part is a table name or a repository / feature API (all tables its methods
        touch), so callers can write
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

    def _on_db_changes(self, changes: Iterable[Any]) -> None:
        self._dispatch([_to_change(c) for c in changes])

    def receive_external(self, mutated: Mapping[str, Sequence[Any] | None]) -> None:
        """Report what another tab committed (`app.db`'s `storagemutated`: table → keys,
        or None when the keys are unknown). Emits `"external-change"` and the tables'
        `"<table>:changed"` events with `external=True` changes."""
        changes = [
            Change(table=table, key=key, type="update", external=True)
            for table, keys in mutated.items()
            if self.registry.has_table(table)
            for key in (keys if keys is not None else [None])
        ]
        self._dispatch(changes)

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
