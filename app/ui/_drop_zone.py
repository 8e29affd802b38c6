"""Drop anywhere: a file dragged over the page shows a hint; dropped, it opens the
import dialog (what the file holds, then the choices, then the import).

Part of the shell, so it is built at boot: it only listens. The dialog and the import
code are imported the first time a file is dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.reactive import derived, writable

from ._context import Ctx
from ._dom import Event, Handler, Node
from ._router import Router
from ._state import UiState

if TYPE_CHECKING:
    from ._import_dialog import ImportDialog

__all__ = ["dragged_files", "drop_zone", "dropped_files"]


def dragged_files(event: Event) -> bool:
    """Whether a drag carries files (not text or a link being dragged around the page)."""
    transfer: Any = getattr(event, "dataTransfer", None)
    if transfer is None:
        return False
    types = getattr(transfer, "types", None)
    if types is None:
        return False
    return "Files" in [str(t) for t in types]


def dropped_files(event: Event) -> list[Any]:
    """The files a drop carries."""
    from ._import_flow import file_list

    transfer: Any = getattr(event, "dataTransfer", None)
    return file_list(getattr(transfer, "files", None)) if transfer is not None else []


def drop_zone(ctx: Ctx, state: UiState, router: Router) -> Node:
    """The hint shown while files are dragged over the page, and the drop handling."""
    dom = ctx.dom
    dragging = writable(False)
    depth = [0]
    dialogs: list[ImportDialog] = []
    root = ctx.el("div", {"class": "drop-zone"})
    hint = ctx.el(
        "div",
        {
            "class": "drop-hint",
            "hidden": derived(dragging, lambda on: not on),
            "aria-hidden": "true",
        },
        ctx.el("p", None, "Drop the file to import it"),
    )
    dom.insert(root, hint)

    def enter(event: Event) -> None:
        if dragged_files(event):
            depth[0] += 1
            dragging.set(True)

    def over(event: Event) -> None:
        if dragged_files(event):
            event.preventDefault()  # this page takes the drop (else the browser opens the file)

    def leave(event: Event) -> None:
        if dragged_files(event):
            depth[0] = max(0, depth[0] - 1)
            if depth[0] == 0:
                dragging.set(False)

    async def drop(event: Event) -> None:
        depth[0] = 0
        dragging.set(False)
        files = dropped_files(event)
        if not files:
            return
        if not dialogs:
            from ._import_dialog import ImportDialog

            dialogs.append(ImportDialog(ctx, state, router, id_prefix="drop-import"))
            dom.insert(root, dialogs[0].node)
        await dialogs[0].open(*files)

    window = dom.window
    ctx.on(window, "dragenter", enter)
    ctx.on(window, "dragover", over)
    ctx.on(window, "dragleave", leave)
    ctx.on(window, "drop", _sync_prevent(drop))
    return root


def _sync_prevent(handler: Handler) -> Handler:
    """Cancel the browser's own handling of a file drop at once (an async handler's
    ``preventDefault`` would come too late), then run ``handler``."""

    def wrapper(event: Event) -> object:
        if dropped_files(event):
            event.preventDefault()
        return handler(event)

    return wrapper
