"""Asking first: an inline ``alertdialog`` with "Delete" (or another action) and "Cancel".

Three forms: ``confirm_box`` is the question box itself (the caller inserts it and puts it
away); ``confirm_button`` is a destructive button ("Delete story") that turns into that box
in place, and back (focus on the button again) on "Cancel", Escape or once the action ran;
``confirm_row`` does the same for a whole list row whose view holds a "Delete" button.

Focus lands on "Cancel"; Escape cancels. Used wherever a record is deleted from a list
or a page (UI.md: destructive actions ask first)::

    box = confirm_box(ctx, f"Delete “{name}”? This cannot be undone.",
                      on_confirm=delete, on_cancel=back)
    ctx.dom.insert(parent, box.node); ctx.dom.call(box.cancel, "focus")
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from app.reactive import Subscribable, writable

from ._context import AttrValue, Child, Ctx
from ._dom import Event, Node

__all__ = ["Confirm", "confirm_box", "confirm_button", "confirm_row", "on_escape"]

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
    question: Child | Subscribable[str],
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


def confirm_button(
    ctx: Ctx,
    *,
    text: str,
    label: AttrValue = None,
    question: Child | Subscribable[str],
    action: str = "Delete",
    run: Callable[[], Awaitable[object]],
    css: str = "danger",
) -> Node:
    """``text`` is the button's visible text, ``label`` its accessible name when that
    says more ("Delete Chapter 2"); ``question`` is asked before ``run`` is called."""
    dom = ctx.dom
    asking = writable(False)
    holder = ctx.el("div", {"class": "confirm-holder"})
    own: dict[str, Node] = {}

    def show(value: bool, focus: str) -> None:
        if ctx.scope.disposed:
            return
        asking.set(value)
        node = own.get(focus)
        if node is not None:
            dom.call(node, "focus")

    def trigger(c: Ctx) -> Node:
        attrs: dict[str, AttrValue] = {"type": "button", "class": css}
        if label is not None:
            attrs["aria-label"] = label
        own["trigger"] = c.el("button", attrs, text, on={"click": lambda ev: show(True, "cancel")})
        return own["trigger"]

    def dialog(c: Ctx) -> Node:
        async def confirmed(event: Event) -> None:
            await run()
            if not ctx.scope.disposed:
                show(False, "trigger")

        box = confirm_box(
            c,
            question,
            on_confirm=confirmed,
            on_cancel=lambda: show(False, "trigger"),
            action=action,
        )
        own["cancel"] = box.cancel
        return box.node

    ctx.switch(holder, asking, lambda c, value: dialog(c) if value else trigger(c))
    return holder


def confirm_row(
    ctx: Ctx,
    holder: Node,
    *,
    view: Callable[[Ctx, Node], Node],
    label: AttrValue,
    question: Callable[[], Child | Subscribable[str]],
    delete: Callable[[], Awaitable[bool]],
) -> None:
    """Shows in ``holder`` the row's ``view`` (given its "Delete" button, whose accessible
    name is ``label``) or, once that is pressed, in its place the ``question``; ``delete()``
    returns False when the row stays (then the view comes back). Focus moves to "Cancel"
    when asked and back to "Delete" after."""
    asking = writable(False)
    focus: dict[bool, Node] = {}

    def shown(c: Ctx) -> Node:
        button = c.el(
            "button",
            {"type": "button", "class": "danger", "aria-label": label},
            "Delete",
            on={"click": lambda ev: asking.set(True)},
        )
        focus[False] = button
        return view(c, button)

    def ask(c: Ctx) -> Node:
        async def confirmed(event: Event) -> None:
            if not await delete():
                asking.set(False)

        box = confirm_box(c, question(), on_confirm=confirmed, on_cancel=lambda: asking.set(False))
        focus[True] = box.cancel
        return box.node

    seen = [False]

    def after(value: bool, node: Node | None) -> None:
        if seen[0] and value in focus:
            ctx.dom.call(focus[value], "focus")
        seen[0] = True

    ctx.switch(holder, asking, lambda c, value: ask(c) if value else shown(c), after=after)
