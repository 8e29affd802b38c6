"""The character list's "Import character card" file input.

Each Character Card V2/V3 chosen (JSON or PNG; several at once) is imported at once, as a new character with its
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
from ._guard import alert_text
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
        {
            "id": "card-file",
            "type": "file",
            "accept": CARD_ACCEPT,
            "multiple": True,
            "disabled": busy,
        },
    )

    async def chosen(event: Event) -> None:
        files = file_list(dom.get_prop(field, "files"))
        if not files or get(busy):
            return
        dom.set_prop(field, "value", "")  # the same file can be chosen again
        said.set("")
        error.set("")
        done: list[str] = []
        failed: list[str] = []
        others: list[Any] = []
        busy.set(True)
        try:
            for file in files:  # several cards may be chosen at once; each all or nothing
                await _import(file, done, failed, others)
        finally:
            busy.set(False)
        said.set(" ".join(done))
        error.set(" ".join(failed))
        if others:  # not cards: describe each and let the person choose
            await _dialog().open(*others)

    async def _import(file: Any, done: list[str], failed: list[str], others: list[Any]) -> None:
        from app.domain.library import ImportChoice

        from ._import_panel import report_text

        name = str(getattr(file, "name", "") or "the file")
        try:
            incoming = await state.files.importer.describe(await file_bytes(file), name)
            if incoming.kind != "card":
                others.append(file)
                return
            report = await state.import_file(incoming, ImportChoice(on_conflict="copy"))
        except Exception as exc:
            failed.append(f"{name} was not imported: {_reason(exc)}.")
            return
        registry = state.files.domain.registry
        text = report_text(report, lambda t: registry.for_table(t).label)
        notes = " ".join(incoming.warnings)
        done.append(f"{incoming.title}: {text}" + (f" {notes}" if notes else ""))

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
            "Character Cards V2 or V3 as PNG or JSON, one or several (each lorebook comes "
            "with its character). "
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
        alert_text(ctx, error, tag="div"),
    ):
        dom.insert(root, node)
    dom.set_attr(field, "aria-describedby", "card-file-hint")
    return root


def _reason(error: BaseException) -> str:
    from app.domain import InvalidDataError

    if isinstance(error, InvalidDataError):
        return "; ".join(str(e) for e in error.errors[:5])
    return str(error).strip() or type(error).__name__
