"""Detect writes committed by other tabs (or other connections) to the store's database.

`app.db` reports this tab's commits through `db.on("changes")` and every commit, from
any tab, to live queries. One live query per table reads just the table's count, so
it re-runs after each commit that touched the table; a re-run that no local commit
explains is another tab's write. (A local and a foreign commit to the same table that
land between two re-runs are coalesced by the live query and reported as local.)
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["ExternalWatcher"]


class ExternalWatcher:
    def __init__(self, db: Any, on_external: Callable[[list[str]], None]) -> None:
        self.db = db
        self.on_external = on_external
        self._local: dict[str, int] = {}
        self._stops: list[Callable[[], None]] = []

    def note_local(self, tables: Iterable[str]) -> None:
        """Called for each local commit (before its live-query notification)."""
        for table in tables:
            self._local[table] = self._local.get(table, 0) + 1

    def start(self, tables: Iterable[str]) -> None:
        from app.db import live_query

        for name in tables:
            table = self.db.table(name)
            query = live_query(lambda table=table: table.count())
            self._stops.append(query.subscribe(self._listener(name), lambda _error: None))

    def _listener(self, name: str) -> Callable[[Any], None]:
        seen_first = False

        def on_next(_count: Any) -> None:
            nonlocal seen_first
            if not seen_first:  # the initial run reports the current state, not a change
                seen_first = True
                return
            if self._local.get(name, 0) > 0:
                self._local[name] = 0
                return
            self.on_external([name])

        return on_next

    def stop(self) -> None:
        for stop in self._stops:
            with contextlib.suppress(Exception):
                stop()
        self._stops.clear()
