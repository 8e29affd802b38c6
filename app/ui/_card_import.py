"""The character list's "Import character card" file input.

A Character Card V2/V3 (JSON or PNG) is imported at once, as a new character with its
lorebook (one transaction; a card already in the library comes in as a copy, never
replacing the one you have). Any other file the library takes (world info, a backup…)
opens the import dialog, where it is described and the person chooses. A bad file gets a
readable alert and writes nothing. The import code is loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.reactive import derived, get, writable

from ._context import Ctx
from ._dom import Event, Node
from ._import_flow import file_bytes, file_list
from ._router import Router
from ._state import UiState

if TYPE_CHECKING:
    from ._import_dialog import ImportDialog

__all__ = ["CARD_ACCEPT", "card_import"]

CARD_ACCEPT = ".png,.json,image/png,application/json"


def card_import(ctx: Ctx, state: UiState, router: Router) -> Node:
    """The labelled file input, its progress bar, and where its result is said."""
    dom = ctx.dom
    busy = writable(False)
    said = writable("")
    error = writable("")
    dialogs: list[ImportDialog] = []
    root = ctx.el("div", {"class": "card-import"})
    field = ctx.el(
        "input",
        {"id": "card-file", "type": "file", "accept": CARD_ACCEPT, "disabled": busy},
    )

    async def chosen(event: Event) -> None:
        files = file_list(dom.get_prop(field, "files"))
        if not files or get(busy):
            return
        dom.set_prop(field, "value", "")  # the same file can be chosen again
        await _import(files[0])

    async def _import(file: Any) -> None:
        from app.domain.library import ImportChoice

        from ._import_panel import report_text

        name = str(getattr(file, "name", "") or "the file")
        said.set("")
        error.set("")
        busy.set(True)
        try:
            incoming = await state.files.importer.describe(await file_bytes(file), name)
            if incoming.kind != "card":
                busy.set(False)
                await _dialog().open(file)  # not a card: describe it and let the person choose
                return
            report = await state.import_file(incoming, ImportChoice(on_conflict="copy"))
        except Exception as exc:
            error.set(f"{name} was not imported: {_reason(exc)}")
            return
        finally:
            busy.set(False)
        registry = state.files.domain.registry
        text = report_text(report, lambda t: registry.for_table(t).label)
        notes = " ".join(incoming.warnings)
        said.set(f"{incoming.title}: {text}" + (f" {notes}" if notes else ""))

    def _dialog() -> ImportDialog:
        if not dialogs:
            from ._import_dialog import ImportDialog

            dialogs.append(ImportDialog(ctx, state, router, id_prefix="card-import"))
            dom.insert(root, dialogs[0].node)
        return dialogs[0]

    ctx.on(field, "change", chosen)
    for node in (
        ctx.el("label", {"for": "card-file"}, "Import character card"),
        field,
        ctx.el(
            "p",
            {"class": "muted", "id": "card-file-hint"},
            "A Character Card V2 or V3 as PNG or JSON (its lorebook comes with it). "
            "World info and backups work too, here or dropped anywhere.",
        ),
        ctx.el(
            "progress",
            {"aria-label": "Importing the card", "hidden": derived(busy, lambda b: not b)},
        ),
        ctx.el(
            "p",
            {"class": "import-said", "role": "status", "hidden": derived(said, lambda t: not t)},
            said,
        ),
        ctx.el(
            "div",
            {"class": "error", "role": "alert", "hidden": derived(error, lambda e: not e)},
            error,
        ),
    ):
        dom.insert(root, node)
    dom.set_attr(field, "aria-describedby", "card-file-hint")
    return root


def _reason(error: BaseException) -> str:
    from app.domain import InvalidDataError

    if isinstance(error, InvalidDataError):
        return "; ".join(str(e) for e in error.errors[:5])
    return str(error).strip() or type(error).__name__
