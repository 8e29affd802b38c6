"""Asking first: an inline ``alertdialog`` with "Delete" (or another action) and "Cancel".

Focus lands on "Cancel"; Escape cancels. Used wherever a record is deleted from a list
or a page (UI.md: destructive actions ask first)::

    box = confirm_box(ctx, f"Delete “{name}”? This cannot be undone.",
                      on_confirm=delete, on_cancel=back)
    ctx.dom.insert(parent, box.node); ctx.dom.call(box.cancel, "focus")
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._context import Ctx
from ._dom import Event, Node

__all__ = ["Confirm", "confirm_box", "on_escape"]

_ids = itertools.count(1)


def on_escape(back: Callable[[], Any]) -> Callable[[Event], None]:
    """A keydown handler that calls ``back`` on Escape (and stops the key there)."""

    def handler(event: Event) -> None:
        if event.key == "Escape":
            event.preventDefault()
            back()

    return handler


@dataclass(frozen=True, slots=True)
class Confirm:
    """The question box and its "Cancel" button (focus it once the box is shown)."""

    node: Node
    cancel: Node


def confirm_box(
    ctx: Ctx,
    question: str,
    *,
    on_confirm: Callable[[Event], Any],
    on_cancel: Callable[[], Any],
    action: str = "Delete",
) -> Confirm:
    """The question with its two buttons; focus ``.cancel`` after inserting ``.node``."""
    question_id = f"confirm-{next(_ids)}"
    cancel = ctx.el("button", {"type": "button"}, "Cancel", on={"click": lambda ev: on_cancel()})
    box = ctx.el(
        "div",
        {"class": "confirm", "role": "alertdialog", "aria-labelledby": question_id},
        ctx.el("p", {"id": question_id}, question),
        ctx.el(
            "div",
            {"class": "actions"},
            ctx.el(
                "button", {"type": "button", "class": "danger"}, action, on={"click": on_confirm}
            ),
            cancel,
        ),
        on={"keydown": on_escape(on_cancel)},
    )
    return Confirm(box, cancel)
