"""A destructive button that asks first.

The button ("Delete story") turns into an ``alertdialog`` in place: the question, a
button named for the action ("Delete") and "Cancel", with focus on "Cancel". Escape or
"Cancel" puts the button back and focus on it; the action runs only from the dialog.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from itertools import count

from app.reactive import Subscribable, writable

from ._context import AttrValue, Child, Ctx
from ._dom import Event, Node

__all__ = ["confirm_button"]

_ids = count(1)


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
    holder = ctx.el("div", {"class": "confirm"})
    uid = next(_ids)
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
        question_id = f"confirm-question-{uid}"

        async def confirmed(event: Event) -> None:
            await run()
            if not ctx.scope.disposed:
                show(False, "trigger")

        def keydown(event: Event) -> None:
            if event.key == "Escape":
                event.preventDefault()
                show(False, "trigger")

        own["cancel"] = c.el(
            "button", {"type": "button"}, "Cancel", on={"click": lambda ev: show(False, "trigger")}
        )
        return c.el(
            "div",
            {"class": "row-confirm", "role": "alertdialog", "aria-labelledby": question_id},
            c.el("p", {"id": question_id}, question),
            c.el(
                "div",
                {"class": "actions"},
                c.el(
                    "button", {"type": "button", "class": "danger"}, action, on={"click": confirmed}
                ),
                own["cancel"],
            ),
            on={"keydown": keydown},
        )

    ctx.switch(holder, asking, lambda c, value: dialog(c) if value else trigger(c))
    return holder
