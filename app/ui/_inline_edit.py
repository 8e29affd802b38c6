"""Inline editing of one short value (a name, a title): "Rename X" → a form with the
field, "Save" and "Cancel" (Escape cancels); focus returns to the button after."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from itertools import count

from app.reactive import Subscribable, get, writable

from ._confirm import on_escape
from ._context import AttrValue, Ctx
from ._dom import Event, Node
from ._handlers import prevent_default

__all__ = ["edit_form", "inline_edit"]

_ids = count(1)


def edit_form(
    ctx: Ctx,
    *,
    css: str,
    form_label: AttrValue,
    field_label: str,
    field: tuple[str, Node],
    submit: Callable[[Event], Awaitable[None]],
    cancel: Callable[[], object],
) -> Node:
    """The labelled ``field`` (``(id, node)``) with "Save" and "Cancel" in a row; Escape
    cancels too."""
    field_id, node = field
    return ctx.el(
        "form",
        {"class": css, "aria-label": form_label},
        ctx.el("label", {"for": field_id}, field_label),
        ctx.el(
            "div",
            {"class": "field-row"},
            node,
            ctx.el("button", {"type": "submit", "class": "primary"}, "Save"),
            ctx.el("button", {"type": "button"}, "Cancel", on={"click": lambda ev: cancel()}),
        ),
        on={"submit": prevent_default(submit), "keydown": on_escape(cancel)},
    )


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

        return edit_form(
            c,
            css="inline-edit-form",
            form_label=button_label or button_text,
            field_label=field_label,
            field=(field_id, field),
            submit=submit,
            cancel=lambda: show(False, "button"),
        )

    ctx.switch(holder, editing, lambda c, on: opened(c) if on else closed(c))
    return holder
