"""The import dialog: the import panel in a modal ``dialog``, for files that arrive
outside the Library screen (dropped anywhere, or a non-card file given to the character
list's "Import character card").

Escape closes it — except while an import is running, when Escape cancels the import
(nothing is written) and the dialog stays to say so. Focus returns to where it was.
"""

from __future__ import annotations

from typing import Any

from app.reactive import Writable, get, writable

from ._context import Ctx
from ._dom import Event, Node
from ._import_flow import ImportFlow
from ._import_panel import import_panel
from ._router import Router
from ._state import UiState

__all__ = ["ImportDialog"]


class ImportDialog:
    """A modal dialog named "Import file" showing one ``ImportFlow``."""

    def __init__(self, ctx: Ctx, state: UiState, router: Router, *, id_prefix: str) -> None:
        self.dom = ctx.dom
        self.flow = ImportFlow(state)
        self._return_to: Node | None = None
        self._queue: list[Any] = []
        self.next_label: Writable[str] = writable("")
        self.node = ctx.el(
            "dialog",
            {"class": "import-dialog", "aria-label": "Import file"},
            on={"cancel": self._on_cancel},
        )
        self.dom.insert(
            self.node,
            import_panel(
                ctx,
                self.flow,
                router,
                on_close=self.close,
                on_again=self.next,
                again_label=self.next_label,
                id_prefix=id_prefix,
                heading_level=2,
            ),
        )

    @property
    def is_open(self) -> bool:
        return bool(self.dom.get_prop(self.node, "open"))

    async def open(self, *files: Any) -> None:
        """Show the dialog and read the first file into it (nothing is written yet); the
        others wait their turn ("Next file: …" once the first is done)."""
        if not files or get(self.flow.phase) == "importing":
            return  # one import at a time; the running one shows in the dialog
        if not self.is_open:
            self._return_to = self.dom.focused()
            self.dom.call(self.node, "showModal")
        self._queue = list(files[1:])
        await self._read(files[0])

    async def _read(self, file: Any) -> None:
        waiting = len(self._queue)
        self.next_label.set(
            f"Next file: {getattr(self._queue[0], 'name', '')} ({waiting} waiting)"
            if waiting
            else ""
        )
        await self.flow.open(file)

    async def next(self) -> None:
        """Read the next dropped file (the "Next file" button)."""
        if self._queue:
            await self._read(self._queue.pop(0))

    def close(self) -> None:
        if get(self.flow.phase) == "importing":
            return
        self.flow.reset()
        self._queue = []
        self.next_label.set("")
        if self.is_open:
            self.dom.call(self.node, "close")
        target, self._return_to = self._return_to, None
        if target is not None:
            self.dom.call(target, "focus")

    def _on_cancel(self, event: Event) -> None:
        event.preventDefault()  # the dialog decides: Escape never loses a running import
        if get(self.flow.phase) == "importing":
            self.flow.cancel()
        else:
            self.close()
