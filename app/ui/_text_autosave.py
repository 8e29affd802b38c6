"""Autosave that never loses a keystroke.

Every change is first written, synchronously, to a *draft journal* in the browser's
``localStorage`` (one key per record), then saved to the library after a pause in typing
(``delay``), and at once when the page is hidden or left (``pagehide``,
``visibilitychange``, a route change). The journal entry is removed once a save of that
very text has committed.

Why a journal: saving to IndexedDB is asynchronous, and Python's tasks need the event
loop to turn, which it does not once a page is being unloaded. A reload right after a
keystroke therefore cannot rely on the save; ``localStorage`` is written before the
keystroke's handler returns. When the editor opens again, ``Journal.recover`` hands back
a draft newer than what the library holds, and the editor saves it.

``status`` says what the person needs to know: "Saved", "Saving…", "Not saved yet" or
why saving failed (the text stays in the editor and in the journal, and the next change
or flush tries again).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from app.reactive import Readable, readonly, writable

from ._context import Ctx
from ._dom import Dom
from ._tasks import Tasks

__all__ = ["Autosave", "Draft", "Journal"]

log = logging.getLogger("app.ui")

PREFIX = "lorekeeper-draft:"


@dataclass(frozen=True, slots=True)
class Draft:
    """A journalled text: what was typed, and when (ms since the epoch)."""

    text: str
    at_ms: int


class Journal:
    """Drafts in a ``Storage`` (``window.localStorage``, or any object with ``getItem``,
    ``setItem`` and ``removeItem``); every call is synchronous and never raises."""

    def __init__(self, storage: Any) -> None:
        self.storage = storage

    @classmethod
    def of(cls, dom: Dom) -> Journal:
        """The browser's ``localStorage`` (a journal that keeps nothing if there is none)."""
        try:
            storage = dom.get_prop(dom.window, "localStorage")
        except Exception:  # blocked storage (privacy settings) raises on access
            storage = None
        return cls(storage if storage and hasattr(storage, "setItem") else None)

    def write(self, key: str, text: str) -> bool:
        if self.storage is None:
            return False
        try:
            payload = json.dumps({"text": text, "at": int(time.time() * 1000)})
            self.storage.setItem(PREFIX + key, payload)
        except Exception:  # quota: the save to the library still happens
            return False
        return True

    def read(self, key: str) -> Draft | None:
        if self.storage is None:
            return None
        try:
            raw = self.storage.getItem(PREFIX + key)
            if raw is None or type(raw).__name__ in ("JsNull", "JsUndefined"):
                return None
            data = json.loads(str(raw))
            return Draft(str(data["text"]), int(data["at"]))
        except Exception:
            return None

    def clear(self, key: str, text: str | None = None) -> None:
        """Forget the draft (only if it still holds ``text``, when given)."""
        if self.storage is None:
            return
        if text is not None:
            draft = self.read(key)
            if draft is not None and draft.text != text:
                return
        try:
            self.storage.removeItem(PREFIX + key)
        except Exception:
            pass

    def keys(self, prefix: str = "") -> list[str]:
        """The keys (without our prefix) of every draft whose key starts with ``prefix``."""
        if self.storage is None:
            return []
        found = []
        try:
            for i in range(int(self.storage.length)):
                name = self.storage.key(i)
                if name is None or type(name).__name__ in ("JsNull", "JsUndefined"):
                    continue
                name = str(name)
                if name.startswith(PREFIX + prefix):
                    found.append(name[len(PREFIX) :])
        except Exception:
            return []
        return found

    def recover(self, key: str, stored: str, stored_at_ms: int) -> str | None:
        """The draft's text if it differs from ``stored`` and was typed after the stored
        text was saved; otherwise the draft is stale and is forgotten."""
        draft = self.read(key)
        if draft is None:
            return None
        if draft.text != stored and draft.at_ms >= stored_at_ms:
            return draft.text
        self.clear(key)
        return None


class Autosave:
    """Saves one editor's text (see the module docstring).

    ``changed(text)`` after each edit; ``flush()`` saves now. The pending save is flushed
    when the page is hidden or left and when ``ctx`` is disposed (the page changes).
    """

    def __init__(
        self,
        ctx: Ctx,
        key: str,
        save: Callable[[str], Awaitable[object]],
        *,
        saved_text: str,
        delay: float = 0.5,
        journal: Journal | None = None,
    ) -> None:
        self.key = key
        self._save = save
        self._delay = delay
        self.journal = journal if journal is not None else Journal.of(ctx.dom)
        self._saved = saved_text
        self._latest = saved_text
        self._timer: asyncio.TimerHandle | None = None
        self._running: asyncio.Future[None] | None = None
        self._tasks = Tasks("autosave")
        self._status = writable("Saved")
        self.status: Readable[str] = readonly(self._status)
        self.error = writable("")
        dom = ctx.dom
        ctx.on(dom.window, "pagehide", lambda ev: self._leave())
        ctx.on(dom.window, "visibilitychange", lambda ev: self._hidden(dom))
        ctx.scope.on_dispose(self._leave)

    @property
    def dirty(self) -> bool:
        return self._latest != self._saved

    @property
    def latest(self) -> str:
        return self._latest

    def changed(self, text: str) -> None:
        """An edit: journal it now, save it after the pause."""
        if text == self._latest:
            return
        self._latest = text
        self.journal.write(self.key, text)
        self._status.set("Not saved yet")
        self._schedule()

    def saved_elsewhere(self, text: str) -> None:
        """The library now holds ``text`` (loaded, or written by another path)."""
        self._saved = text
        if self._latest == text:
            self._status.set("Saved")
            self.journal.clear(self.key, text)

    def reset(self, text: str) -> None:
        """The editor now shows ``text`` as stored (another tab changed it)."""
        self._cancel()
        self._saved = self._latest = text
        self._status.set("Saved")
        self.journal.clear(self.key)

    def _schedule(self) -> None:
        self._cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._timer = loop.call_later(self._delay, self._start_flush)

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _start_flush(self) -> None:
        self._timer = None
        self._tasks.start(self.flush())

    async def settle(self) -> None:
        """Wait for the saves started by the pause timer or by leaving."""
        await self._tasks.settle()

    def _hidden(self, dom: Dom) -> None:
        try:
            state = dom.get_prop(dom.get_prop(dom.window, "document"), "visibilityState")
        except Exception:
            state = "hidden"
        if state == "hidden":
            self._leave()

    def _leave(self) -> None:
        """The page is going (or hidden): the journal already holds the text; start the
        save now rather than after the pause."""
        if self.dirty:
            self.journal.write(self.key, self._latest)
            self._cancel()
            try:
                asyncio.get_running_loop()
            except RuntimeError:  # no loop (shutting down): the journal keeps the text
                return
            self._tasks.start(self.flush())

    async def flush(self) -> None:
        """Save the latest text now (waits for a save in flight first)."""
        self._cancel()
        while self._running is not None:
            await self._running
        if not self.dirty:
            return
        text = self._latest
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._running = done
        self._status.set("Saving…")
        try:
            await self._save(text)
        except Exception as exc:
            log.warning("autosave of %s failed", self.key, exc_info=exc)
            message = str(exc).strip() or type(exc).__name__
            self._status.set(f"Not saved: {message}")
            self.error.set(message)
            return
        finally:
            self._running = None
            done.set_result(None)
        self.error.set("")
        self._saved = text
        if self._latest == text:
            self.journal.clear(self.key, text)
            self._status.set("Saved")
        else:
            self._status.set("Not saved yet")
            self._schedule()
