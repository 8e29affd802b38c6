"""Live records: a store of the records of one kind matching a filter, kept in step
with every commit while it has subscribers.

The app state's levels hold what the lists and the open character and chat show. Pages
that show other records — a story's chapters, a chapter's scene beats, the lorebook of a
series or a story — read ``LiveRecords`` instead: loaded when the first subscriber
arrives, dropped when the last one leaves, and patched from the domain store's change
events in between:

- this tab's commits carry the records written, so the store is patched in place (one
  toggled entry among 5,000 costs one upsert, not a reload);
- another tab's commits name their keys (each is read again) or only the table (the
  whole filter is read again).

Changes that arrive while a load is in flight are applied again once it lands (they are
idempotent: put or remove by id), so none is lost to the race.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from app.domain import Change, Repository, Store
from app.reactive import Readable, Writable, readable, writable

__all__ = ["LiveRecords", "Lookup"]

E = TypeVar("E")
_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Lookup(Generic[E]):
    """One record looked up live: ``loaded`` once the first read landed; ``record`` is
    ``None`` when there is no such record (never was, or was deleted)."""

    loaded: bool
    record: E | None = None


def _matches(record: Any, where: Mapping[str, Any]) -> bool:
    for name, wanted in where.items():
        value = record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)
        if value != wanted:
            return False
    return True


class LiveRecords(Generic[E]):
    """The records of ``repository`` whose fields equal ``where``'s, sorted by ``order``.

    ``items`` is the store: ``None`` until the first load lands, then the sorted list.
    ``error`` holds a sentence when the last load failed (else ``""``).
    """

    def __init__(
        self,
        store: Store,
        repository: Repository[Any],
        where: Mapping[str, Any],
        order: Callable[[Any], Any],
    ) -> None:
        self._store = store
        self._repo = repository
        self._where = dict(where)
        self._order = order
        self._records: dict[str, E] = {}
        self._set: Callable[[list[E] | None], None] | None = None
        self._loading: list[Change] | None = None  # changes seen while a load is in flight
        self._generation = 0
        self._tasks: set[asyncio.Future[Any]] = set()
        self.error: Writable[str] = writable("")
        self.items: Readable[list[E] | None] = readable(None, self._start)

    # -- subscription period -------------------------------------------------------------
    def _start(self, set_value: Callable[[list[E] | None], None]) -> Callable[[], None]:
        self._set = set_value
        self._generation += 1
        set_value(None)
        unlisten = self._store.on(f"{self._repo.table_name}:changed", self._on_changes)
        self._spawn(self._load(self._generation))

        def stop() -> None:
            unlisten()
            self._generation += 1
            self._set = None
            self._records = {}
            self._loading = None

        return stop

    def _spawn(self, work: Any) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def settle(self) -> None:
        """Wait for the reads in flight (tests use it to wait for a reload)."""
        while self._tasks:
            waiting = [task for task in self._tasks if not task.done()]
            if waiting:
                await asyncio.gather(*waiting, return_exceptions=True)
            else:  # done, but not yet forgotten: let their callbacks run
                await asyncio.sleep(0)

    async def _load(self, generation: int) -> None:
        self._loading = []
        try:
            found = await self._repo.find(self._where)
        except Exception as exc:
            if generation == self._generation:
                _log.warning("loading %s failed", self._repo.table_name, exc_info=exc)
                self.error.set(str(exc) or type(exc).__name__)
                self._loading = None
                self._emit_value([])
            return
        if generation != self._generation:
            return
        replay, self._loading = self._loading or [], None
        self._records = {r.id: r for r in found}
        self.error.set("")
        self._apply(replay)
        self._emit()

    # -- changes ---------------------------------------------------------------------------
    def _on_changes(self, changes: list[Change]) -> None:
        if self._set is None:
            return
        if self._loading is not None:
            self._loading.extend(changes)
            return
        self._apply(changes)
        self._emit()

    def _apply(self, changes: Iterable[Change]) -> None:
        reread: list[Any] = []
        for change in changes:
            if change.external:
                if change.key is None:
                    self._spawn(self._reload())
                    return
                reread.append(change.key)
                continue
            if change.type == "delete" or change.new is None:
                self._records.pop(change.key, None)
            elif _matches(change.new, self._where):
                self._records[change.key] = self._repo.load(change.new)
            else:
                self._records.pop(change.key, None)
        if reread:
            self._spawn(self._reread(reread))

    async def _reload(self) -> None:
        generation = self._generation
        await self._load(generation)

    async def _reread(self, keys: list[Any]) -> None:
        generation = self._generation
        found = [await self._repo.get(k) for k in keys]
        if generation != self._generation or self._loading is not None:
            return
        for key, record in zip(keys, found, strict=True):
            if record is not None and _matches(record, self._where):
                self._records[key] = record
            else:
                self._records.pop(key, None)
        self._emit()

    def _emit(self) -> None:
        self._emit_value(sorted(self._records.values(), key=self._order))

    def _emit_value(self, value: list[E] | None) -> None:
        if self._set is not None:
            self._set(value)
