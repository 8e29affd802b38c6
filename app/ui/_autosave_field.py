"""A labelled text field (one line or several) that saves itself (see ``Autosave``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from app.reactive import Subscribable, get

from ._context import Ctx
from ._dom import Node
from ._text_autosave import TextAutosave

__all__ = ["autosave_field"]


def autosave_field(
    ctx: Ctx,
    *,
    id: str,
    label: str,
    value: Subscribable[str],
    save: Callable[[str], Awaitable[object]],
    journal_key: str,
    multiline: bool = False,
    hint: str = "",
    stored_at: datetime | None = None,
) -> tuple[Node, TextAutosave]:
    """The field with its label and a "Saved" status; the stored value follows ``value``
    while the person is not editing (another tab's change shows up)."""
    dom = ctx.dom
    initial = str(get(value))
    auto = TextAutosave(ctx, journal_key, save, saved_text=initial)
    recovered = auto.recover(stored_at)
    status_id = f"{id}-status"
    attrs: dict[str, object] = {"id": id, "aria-describedby": status_id, ".value": initial}
    if multiline:
        attrs["rows"] = "4"
    else:
        attrs["type"] = "text"
    field = ctx.el("textarea" if multiline else "input", attrs)  # type: ignore[arg-type]

    def typed(event: object) -> None:
        auto.changed(str(dom.get_prop(field, "value")))

    ctx.on(field, "input", typed)
    ctx.on(field, "blur", lambda ev: auto.flush())

    def follow(stored: str) -> None:
        stored = str(stored)
        if not auto.dirty and stored != auto.latest:
            auto.reset(stored)
            dom.set_prop(field, "value", stored)
        else:
            auto.saved_elsewhere(stored)

    ctx.watch(value, follow)
    if recovered is not None:  # typed before a reload, never saved: show it (it saves)
        dom.set_prop(field, "value", recovered)
    node = ctx.el(
        "div",
        {"class": "autosave-field"},
        ctx.el("label", {"for": id}, label),
        ctx.el("p", {"class": "hint"}, hint) if hint else None,
        field,
        ctx.el(
            "p", {"class": "status field-status", "id": status_id, "role": "status"}, auto.status
        ),
    )
    return node, auto
