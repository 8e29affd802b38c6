"""Autosave: an editor's changes reach the database by themselves, and never get lost.

Edits are written a short pause after the last keystroke (``delay``), and at once when
the page goes away (``pagehide``, the tab hidden, leaving the page: the editor's scope
is disposed). An IndexedDB write is asynchronous, so a reload right after a keystroke
could still beat it: every edit is therefore also journalled *synchronously* in the
document's ``storage`` (``localStorage``) until the database has it. When the editor opens
again, ``recover(updated_at)`` hands back the journalled fields that are newer than the
stored record, and the editor saves them::

    saver = Autosave(ctx, f"character:{id}", lambda changes: state.update("character", id, changes))
    leftovers = saver.recover(character.updated_at)    # from a reload that beat the write
    ...on input: saver.edit("description", value)
    ctx.el("p", {"role": "status"}, saver.status)       # "Saving…", "Saved", "Not saved: …"
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any

from app.reactive import Readable, readonly, writable

from ._context import Ctx
from ._tasks import Tasks

__all__ = ["JOURNAL_PREFIX", "SAVED", "SAVING", "Autosave"]

log = logging.getLogger("app.ui")

JOURNAL_PREFIX = "lk-unsaved:"
SAVING = "Saving…"
SAVED = "Saved"

Save = Callable[[dict[str, Any]], Awaitable[Any]]


def _epoch(value: datetime | float | str | None) -> float:
    if value is None:
        return 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.timestamp()


class Autosave:
    """Saves one record's edited fields; see the module docstring.

    ``status`` is a store of what to say in a ``role="status"`` region; ``error`` holds
    the last failure in words (empty once a save succeeds). A failed save keeps the
    edits (pending and journalled) and is retried with the next edit or flush.
    """

    def __init__(
        self,
        ctx: Ctx,
        key: str,
        save: Save,
        *,
        delay: float = 0.6,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._ctx = ctx
        self._storage = ctx.dom.storage
        self._journal_key = JOURNAL_PREFIX + key
        self._save = save
        self._delay = delay
        self._clock = clock
        self._pending: dict[str, Any] = {}
        self._edited_at = 0.0
        self._timer: asyncio.Task[None] | None = None
        self._writing: asyncio.Task[bool] | None = None
        self._status = writable("")
        self._error = writable("")
        self.status: Readable[str] = readonly(self._status)
        self.error: Readable[str] = readonly(self._error)
        self.closed = False
        self.tasks = Tasks("autosave")
        window = ctx.dom.window
        ctx.on(window, "pagehide", lambda event: self._flush_soon())
        ctx.on(window, "visibilitychange", lambda event: self._flush_soon())
        ctx.scope.on_dispose(self._close)

    # -- editing ---------------------------------------------------------------------------
    @property
    def pending(self) -> dict[str, Any]:
        """Edits not yet written (a copy)."""
        return dict(self._pending)

    def edit(self, field: str, value: Any) -> None:
        """Record a new value for ``field``: journalled now, written after the pause."""
        self._pending[field] = value
        self._edited_at = self._clock()
        self._journal()
        self._status.set(SAVING)
        self._restart_timer()

    def _journal(self) -> None:
        if self._pending:
            entry = {"at": self._edited_at, "fields": self._pending}
            self._storage.set_item(self._journal_key, json.dumps(entry, ensure_ascii=False))
        else:
            self._storage.remove_item(self._journal_key)

    def _restart_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.ensure_future(self._after_pause())

    async def _after_pause(self) -> None:
        await asyncio.sleep(self._delay)
        self._timer = None
        await self.flush()

    def _flush_soon(self) -> None:
        if self._pending:
            self.tasks.start(self.flush())

    # -- writing ---------------------------------------------------------------------------
    async def flush(self) -> bool:
        """Write what is pending now (after any write in flight); True when nothing is
        left unsaved."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        while (running := self._writing) is not None:
            await asyncio.shield(running)
            if self._writing is running:  # whoever resumes first clears it
                self._writing = None
        if not self._pending:
            return True
        task = asyncio.ensure_future(self._write())
        self._writing = task
        result = await asyncio.shield(task)
        if self._writing is task:
            self._writing = None
        return result

    async def _write(self) -> bool:
        changes = dict(self._pending)
        try:
            await self._save(changes)
        except Exception as error:
            message = str(error).strip() or type(error).__name__
            log.warning("autosave of %s failed: %s", self._journal_key, message)
            self._error.set(message)
            self._status.set(f"Not saved: {message}")
            return False
        for field, value in changes.items():  # edits made meanwhile stay pending
            if self._pending.get(field, value) == value and field in self._pending:
                del self._pending[field]
        self._journal()
        self._error.set("")
        if self._pending:
            self._status.set(SAVING)
            if not self.closed:
                self._restart_timer()
        else:
            self._status.set(SAVED)
        return not self._pending

    def _close(self) -> None:
        """The editor went away: write what is left (the write runs to its end)."""
        self.closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._pending:
            self.tasks.start(self.flush())

    # -- recovery --------------------------------------------------------------------------
    def recover(self, stored_at: datetime | float | str | None) -> dict[str, Any]:
        """Fields journalled by an earlier page that never reached the database: those
        edited after the record was last stored (``stored_at``, its ``updated_at``). They
        become pending here (written after the pause); older journals are dropped."""
        raw = self._storage.get_item(self._journal_key)
        if raw is None:
            return {}
        try:
            entry = json.loads(raw)
            at = float(entry["at"])
            fields = entry["fields"]
            if not isinstance(fields, Mapping):
                raise TypeError("fields")
        except (ValueError, KeyError, TypeError):
            self._storage.remove_item(self._journal_key)
            return {}
        if at <= _epoch(stored_at):
            self._storage.remove_item(self._journal_key)
            return {}
        recovered = dict(fields)
        self._pending.update(recovered)
        self._edited_at = at
        self._status.set(SAVING)
        self._restart_timer()
        return recovered
