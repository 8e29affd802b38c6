"""Bulk operations: a selection of records, and an "Undo" offered after each operation.

``Selection`` holds the ids picked with per-row checkboxes ("Select Dragon") and a
"Select all shown" box; ``UndoBar`` is a ``status`` region that says what an operation
did ("Deleted 3 entries.") with an "Undo" button next to it, until the next operation or
until undone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from app.reactive import Readable, derived, get, readonly, writable

from ._context import Ctx
from ._dom import Event

__all__ = ["Selection", "UndoBar"]


class Selection:
    """A set of selected ids (as a store)."""

    def __init__(self) -> None:
        self._ids = writable(frozenset[str]())
        self.ids: Readable[frozenset[str]] = readonly(self._ids)
        self.count: Readable[int] = derived(self._ids, len)

    def has(self, id: str) -> Readable[bool]:
        return derived(self._ids, lambda ids: id in ids)

    def set(self, id: str, on: bool) -> None:
        ids = get(self._ids)
        if (id in ids) != on:
            self._ids.set(ids | {id} if on else ids - {id})

    def set_many(self, ids: Iterable[str], on: bool) -> None:
        current = get(self._ids)
        wanted = frozenset(ids)
        self._ids.set(current | wanted if on else current - wanted)

    def keep_only(self, ids: Iterable[str]) -> None:
        """Forget selected ids that are gone (deleted, or no longer shown)."""
        current = get(self._ids)
        kept = current & frozenset(ids)
        if kept != current:
            self._ids.set(kept)

    def clear(self) -> None:
        if get(self._ids):
            self._ids.set(frozenset())

    def __iter__(self) -> Any:
        return iter(sorted(get(self._ids)))


class UndoBar:
    """Says what the last operation did, with "Undo" while it can be undone."""

    def __init__(self, ctx: Ctx, *, on_error: Callable[[BaseException], None]) -> None:
        self._message = writable("")
        self._undo: Callable[[], Awaitable[object]] | None = None
        self._can_undo = writable(False)
        self._on_error = on_error
        self._ctx = ctx
        self.button = ctx.el(
            "button",
            {"type": "button", "hidden": derived(self._can_undo, lambda ok: not ok)},
            "Undo",
            on={"click": self._clicked},
        )
        self.node = ctx.el(
            "div",
            {"class": "undo-bar"},
            ctx.el("p", {"role": "status", "class": "status"}, self._message),
            self.button,
        )

    @property
    def message(self) -> Readable[str]:
        return readonly(self._message)

    def done(self, message: str, undo: Callable[[], Awaitable[object]] | None) -> None:
        """An operation finished: say so, and offer ``undo`` (None: nothing to undo)."""
        self._message.set(message)
        self._undo = undo
        self._can_undo.set(undo is not None)

    def say(self, message: str) -> None:
        self.done(message, None)

    async def _clicked(self, event: Event) -> None:
        undo = self._undo
        if undo is None:
            return
        self._undo = None
        self._can_undo.set(False)
        try:
            await undo()
        except Exception as exc:
            self._on_error(exc)
            return
        self._message.set("Undone.")
