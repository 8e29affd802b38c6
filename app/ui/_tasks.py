"""Tasks: asyncio tasks the view layer starts, kept alive and waited for as one set."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

__all__ = ["Tasks"]

log = logging.getLogger("app.ui")


class Tasks:
    """Keeps tasks (async event handlers, level openings) alive until they finish, and
    logs their errors; ``settle()`` waits for all of them, including ones started meanwhile."""

    def __init__(self, what: str = "a task") -> None:
        self.what = what
        self.pending: set[asyncio.Future[Any]] = set()

    def start(self, awaitable: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(awaitable)
        self.pending.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Future[Any]) -> None:
        self.pending.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s failed", self.what, exc_info=task.exception())

    async def settle(self) -> None:
        while self.pending:
            waiting = [task for task in self.pending if not task.done()]
            if waiting:
                await asyncio.gather(*waiting, return_exceptions=True)
            else:
                # finished, but their done callbacks (which forget them) have not run yet:
                # awaiting a done task need not yield (Pyodide's loop resolves it at once)
                await asyncio.sleep(0)
