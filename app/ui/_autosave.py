"""Autosave: an editor's changes reach the database by themselves, and never get lost.

Edits are written a short pause after the last keystroke (``delay``), and at once when
the page goes away (``pagehide``, the tab hidden, leaving the page: the editor's scope
is disposed). An IndexedDB write is asynchronous, and Python's tasks need the event loop
to turn, which it does not once a page is being unloaded: a reload right after a
keystroke could still beat the write. Every edit is therefore also journalled
*synchronously* in the document's ``storage`` (``localStorage``, see ``Journal``) until
the database has it. When the editor opens again, ``recover(updated_at)`` hands back the
journalled fields that are newer than the stored record, and the editor saves them::

    saver = Autosave(ctx, f"character:{id}", lambda changes: state.update("character", id, changes))
    leftovers = saver.recover(character.updated_at)    # from a reload that beat the write
    ...on input: saver.edit("description", value)
    ctx.el("p", {"role": "status"}, saver.status)       # "Saving…", "Saved", "Not saved: …"

A failed write says why (``status``, ``error``) and keeps the edits, pending and
journalled; the next edit or flush tries again. Editors of one text use ``TextAutosave``
(``app.ui._text_autosave``), a thin layer over this one with a single field.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.reactive import Readable, readonly, writable

from ._context import Ctx
from ._dom import Storage
from ._tasks import Tasks

__all__ = [
    "JOURNAL_PREFIX",
    "NOT_SAVED_YET",
    "SAVED",
    "SAVING",
    "Autosave",
    "Draft",
    "Journal",
    "Stamp",
]

log = logging.getLogger("app.ui")

JOURNAL_PREFIX = "lk-unsaved:"
SAVING = "Saving…"
SAVED = "Saved"
NOT_SAVED_YET = "Not saved yet"

Save = Callable[[dict[str, Any]], Awaitable[Any]]
Stamp = datetime | float | str | None


def _epoch(value: Stamp) -> float:
    if value is None:
        return 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.timestamp()


@dataclass(frozen=True, slots=True)
class Draft:
    """A journal entry: the edited fields, and when the last edit was made (seconds
    since the epoch)."""

    at: float
    fields: dict[str, Any]


class Journal:
    """Unsaved edits in a ``Storage``, one entry per record key (``JOURNAL_PREFIX`` +
    key, holding ``{"at": seconds, "fields": {...}}``). Every call is synchronous."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def write(self, key: str, fields: Mapping[str, Any], at: float) -> None:
        """Journal ``fields`` (no fields: forget the entry)."""
        if fields:
            entry = {"at": at, "fields": dict(fields)}
            self.storage.set_item(JOURNAL_PREFIX + key, json.dumps(entry, ensure_ascii=False))
        else:
            self.clear(key)

    def read(self, key: str) -> Draft | None:
        """The entry under ``key``; one that cannot be read is forgotten."""
        raw = self.storage.get_item(JOURNAL_PREFIX + key)
        if raw is None:
            return None
        try:
            entry = json.loads(raw)
            fields = entry["fields"]
            if not isinstance(fields, Mapping):
                raise TypeError("fields")
            return Draft(float(entry["at"]), dict(fields))
        except (ValueError, KeyError, TypeError):
            self.clear(key)
            return None

    def clear(self, key: str) -> None:
        self.storage.remove_item(JOURNAL_PREFIX + key)

    def keys(self, prefix: str = "") -> list[str]:
        """The keys (without ``JOURNAL_PREFIX``) of every entry starting with ``prefix``."""
        start = JOURNAL_PREFIX + prefix
        return [
            name[len(JOURNAL_PREFIX) :] for name in self.storage.keys() if name.startswith(start)
        ]

    def recover(
        self, key: str, stored_at: Stamp, stored: Mapping[str, Any] | None = None
    ) -> Draft | None:
        """The journalled fields edited after the record was stored (``stored_at``, its
        ``updated_at``) whose values differ from ``stored`` (when given). A journal with
        nothing newer is stale and forgotten."""
        draft = self.read(key)
        if draft is None:
            return None
        fields = {} if draft.at <= _epoch(stored_at) else draft.fields
        if stored is not None:
            fields = {f: v for f, v in fields.items() if f not in stored or stored[f] != v}
        if not fields:
            self.clear(key)
            return None
        return Draft(draft.at, fields)


class Autosave:
    """Saves one record's edited fields; see the module docstring.

    ``status`` is a store of what to say in a ``role="status"`` region: ``idle`` before
    any edit, ``waiting`` while an edit waits for the pause, "Saving…" while it is
    written, "Saved", or "Not saved: <why>". ``error`` holds the last failure in words
    (empty once a save succeeds).
    """

    def __init__(
        self,
        ctx: Ctx,
        key: str,
        save: Save,
        *,
        delay: float = 0.6,
        clock: Callable[[], float] = time.time,
        idle: str = "",
        waiting: str = SAVING,
    ) -> None:
        self.key = key
        self.journal = Journal(ctx.dom.storage)
        self._save = save
        self._delay = delay
        self._clock = clock
        self._waiting = waiting
        self._pending: dict[str, Any] = {}
        self._edited_at = 0.0
        self._timer: asyncio.TimerHandle | None = None
        self._writing: asyncio.Task[bool] | None = None
        self._status = writable(idle)
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

    @property
    def dirty(self) -> bool:
        """Whether some edit is not written yet."""
        return bool(self._pending)

    def edit(self, field: str, value: Any) -> None:
        """Record a new value for ``field``: journalled now, written after the pause."""
        self._pending[field] = value
        self._edited_at = self._clock()
        self._journal()
        self._status.set(self._waiting)
        self._schedule()

    def stored_elsewhere(self, values: Mapping[str, Any]) -> None:
        """The database now holds ``values`` (written by another path or tab): pending
        edits to the same values need no write."""
        for field, value in values.items():
            if field in self._pending and self._pending[field] == value:
                del self._pending[field]
        self._journal()
        if not self._pending:
            self._cancel()
            self._error.set("")
            self._status.set(SAVED)

    def discard(self) -> None:
        """Forget the pending edits (the editor shows the stored record again)."""
        self._cancel()
        self._pending.clear()
        self._journal()
        self._error.set("")
        self._status.set(SAVED)

    def _journal(self) -> None:
        self.journal.write(self.key, self._pending, self._edited_at)

    def _schedule(self) -> None:
        self._cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop: the journal keeps the edit
            return
        self._timer = loop.call_later(self._delay, self._after_pause)

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _after_pause(self) -> None:
        self._timer = None
        self.tasks.start(self.flush())

    def _flush_soon(self) -> None:
        if not self._pending:
            return
        self._cancel()
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # no loop (shutting down): the journal keeps the edits
            return
        self.tasks.start(self.flush())

    async def settle(self) -> None:
        """Wait for the writes started by the pause or by the page going away."""
        await self.tasks.settle()

    # -- writing ---------------------------------------------------------------------------
    async def flush(self) -> bool:
        """Write what is pending now (after any write in flight); True when nothing is
        left unsaved."""
        self._cancel()
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
        self._status.set(SAVING)
        try:
            await self._save(changes)
        except Exception as error:
            message = str(error).strip() or type(error).__name__
            log.warning("autosave of %s failed: %s", self.key, message)
            self._error.set(message)
            self._status.set(f"Not saved: {message}")
            return False
        for field, value in changes.items():  # edits made meanwhile stay pending
            if field in self._pending and self._pending[field] == value:
                del self._pending[field]
        self._journal()
        self._error.set("")
        if self._pending:
            self._status.set(self._waiting)
            if not self.closed:
                self._schedule()
        else:
            self._status.set(SAVED)
        return not self._pending

    def _close(self) -> None:
        """The editor went away: write what is left (the write runs to its end)."""
        self.closed = True
        self._flush_soon()

    # -- recovery --------------------------------------------------------------------------
    def recover(self, stored_at: Stamp, stored: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Fields journalled by an earlier page that never reached the database: those
        edited after the record was last stored (``stored_at``, its ``updated_at``) and,
        when ``stored`` is given, different from it. They become pending here (written
        after the pause); a stale journal is dropped."""
        draft = self.journal.recover(self.key, stored_at, stored)
        if draft is None:
            return {}
        self._pending.update(draft.fields)
        self._edited_at = draft.at
        self._status.set(self._waiting)
        self._schedule()
        return dict(draft.fields)
