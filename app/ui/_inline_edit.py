"""Inline editing of one short value (a name, a title): "Rename X" → a form with the
field, "Save" and "Cancel" (Escape cancels); focus returns to the button after."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from itertools import count

from app.reactive import Subscribable, get, writable

from ._context import AttrValue, Ctx
from ._dom import Event, Node
from ._handlers import prevent_default

__all__ = ["inline_edit"]

_ids = count(1)


def inline_edit(
    ctx: Ctx,
    *,
    value: Subscribable[str],
    field_label: str,
    button_text: str = "Rename",
    button_label: AttrValue = None,
    save: Callable[[str], Awaitable[bool]],
    required: bool = True,
) -> Node:
    """A button that opens an inline form; ``save(text)`` returns True when stored."""
    dom = ctx.dom
    editing = writable(False)
    holder = ctx.el("div", {"class": "inline-edit"})
    uid = next(_ids)
    own: dict[str, Node] = {}

    def show(on: bool, focus: str) -> None:
        if ctx.scope.disposed:
            return
        editing.set(on)
        node = own.get(focus)
        if node is not None:
            dom.call(node, "focus")
            if focus == "field":
                dom.call(node, "select")

    def closed(c: Ctx) -> Node:
        attrs: dict[str, AttrValue] = {"type": "button"}
        if button_label is not None:
            attrs["aria-label"] = button_label
        own["button"] = c.el(
            "button", attrs, button_text, on={"click": lambda ev: show(True, "field")}
        )
        return own["button"]

    def opened(c: Ctx) -> Node:
        field_id = f"inline-edit-{uid}"
        current = str(get(value))
        field = c.el(
            "input",
            {
                "id": field_id,
                "type": "text",
                "required": required,
                "maxlength": "300",
                ".value": current,
            },
        )
        own["field"] = field

        async def submit(event: Event) -> None:
            text = str(dom.get_prop(field, "value")).strip()
            if required and not text:
                dom.call(field, "focus")
                return
            if text == current or await save(text):
                show(False, "button")

        def keydown(event: Event) -> None:
            if event.key == "Escape":
                event.preventDefault()
                show(False, "button")

        return c.el(
            "form",
            {"class": "inline-edit-form", "aria-label": button_label or button_text},
            c.el("label", {"for": field_id}, field_label),
            c.el(
                "div",
                {"class": "field-row"},
                field,
                c.el("button", {"type": "submit", "class": "primary"}, "Save"),
                c.el(
                    "button",
                    {"type": "button"},
                    "Cancel",
                    on={"click": lambda ev: show(False, "button")},
                ),
            ),
            on={"submit": prevent_default(submit), "keydown": keydown},
        )

    ctx.switch(holder, editing, lambda c, on: opened(c) if on else closed(c))
    return holder
