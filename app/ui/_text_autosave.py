"""Autosave for an editor of one text (a chapter, a synopsis, a lorebook entry's form).

A thin layer over ``Autosave`` (``app.ui._autosave``) with a single field, ``text``:
the journal, the pause, the flush when the page goes away and the failure path are
that one's. This layer adds what a text editor needs: the text last stored, to tell
whether the editor is ``dirty`` and to follow a change made elsewhere (``saved_elsewhere``,
``reset``). Its ``status`` says "Saved" when the editor opens and "Not saved yet" while an
edit waits for the pause.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ._autosave import NOT_SAVED_YET, SAVED, Autosave, Journal, Stamp
from ._context import Ctx

__all__ = ["TEXT", "TextAutosave", "journalled_text"]

TEXT = "text"
"""The one field a text editor journals."""


def journalled_text(journal: Journal, key: str, stored: str, stored_at: Stamp) -> str | None:
    """A text journalled under ``key`` after the record was stored (``stored_at``) and
    different from ``stored``; otherwise None (a stale journal is forgotten)."""
    draft = journal.recover(key, stored_at, {TEXT: stored})
    if draft is None:
        return None
    text = draft.fields.get(TEXT)
    return text if isinstance(text, str) else None


class TextAutosave:
    """Saves one editor's text: ``changed(text)`` after each edit, ``flush()`` saves now.

    The pending save is flushed when the page is hidden or left and when ``ctx`` is
    disposed (the page changes).
    """

    def __init__(
        self,
        ctx: Ctx,
        key: str,
        save: Callable[[str], Awaitable[object]],
        *,
        saved_text: str,
        delay: float = 0.5,
    ) -> None:
        self.key = key
        self._save_text = save
        self._saved = saved_text
        self.fields = Autosave(ctx, key, self._save, delay=delay, idle=SAVED, waiting=NOT_SAVED_YET)
        self.journal = self.fields.journal
        self.status = self.fields.status
        self.error = self.fields.error

    async def _save(self, changes: dict[str, Any]) -> None:
        text = str(changes[TEXT])
        await self._save_text(text)
        self._saved = text

    @property
    def dirty(self) -> bool:
        return self.fields.dirty

    @property
    def latest(self) -> str:
        """The text the editor shows (saved or not)."""
        return str(self.fields.pending.get(TEXT, self._saved))

    def changed(self, text: str) -> None:
        """An edit: journal it now, save it after the pause."""
        if text != self.latest:
            self.fields.edit(TEXT, text)

    def saved_elsewhere(self, text: str) -> None:
        """The library now holds ``text`` (loaded, or written by another path)."""
        self._saved = text
        self.fields.stored_elsewhere({TEXT: text})

    def reset(self, text: str) -> None:
        """The editor now shows ``text`` as stored (another tab changed it)."""
        self._saved = text
        self.fields.discard()

    def recover(self, stored_at: Stamp) -> str | None:
        """Text typed before a reload (journalled after ``stored_at``, the record's
        ``updated_at``) and never stored: it becomes the pending edit and is returned."""
        text = self.fields.recover(stored_at, {TEXT: self._saved}).get(TEXT)
        return text if isinstance(text, str) else None

    async def flush(self) -> bool:
        """Save the latest text now (waits for a save in flight first)."""
        return await self.fields.flush()

    async def settle(self) -> None:
        """Wait for the saves started by the pause timer or by leaving."""
        await self.fields.settle()
