"""What the pages of records with one active (personas, presets, provider configs)
share: a list with a radio group to choose the active one and per record "Edit <name>"
(shows it in the page's editor) and "Delete <name>" (asked first); a "New …" form; and
running an action with its failure said in the page's alert."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from app.reactive import Readable, Subscribable, Writable, derived, get, writable
from app.ui import Ctx, Event, Node, Row, prevent_default
from app.ui._confirm import confirm_row

__all__ = ["ActiveList", "Guard", "Named", "active_list", "create_form", "guard"]

Guard = Callable[[str, Awaitable[Any]], Awaitable[Any]]
"""``await guarded("The persona was not created", action)``: the action's result, or
None when it failed (the failure is then said in the page's error store)."""


def guard(error: Writable[str]) -> Guard:
    """Run actions, saying a failure in ``error`` (emptied before each action)."""

    async def guarded(what: str, action: Awaitable[Any]) -> Any:
        error.set("")
        try:
            return await action
        except Exception as problem:
            error.set(f"{what}: {problem}")
            return None

    return guarded


def create_form(
    ctx: Ctx,
    *,
    noun: str,
    error: Writable[str],
    create: Callable[[str], Awaitable[Any]],
) -> tuple[Node, Node]:
    """A form with the textbox "New <noun>" and the button "Create <noun>"; ``create``
    gets the trimmed name (a blank one is refused in ``error``); the field empties when
    ``create`` returned something. Returns the form and its textbox."""
    dom = ctx.dom
    field_id = f"new-{noun}-name"
    field = ctx.el(
        "input", {"id": field_id, "type": "text", "maxlength": "200", "autocomplete": "off"}
    )

    async def submit(event: Event) -> None:
        name = str(dom.get_prop(field, "value")).strip()
        if not name:
            error.set(f"A {noun} needs a name.")
            dom.call(field, "focus")
            return
        if await create(name) is not None:
            dom.set_prop(field, "value", "")

    form = ctx.el(
        "form",
        {"class": "create-form", "aria-label": f"Create a {noun}"},
        ctx.el("label", {"for": field_id}, f"New {noun}"),
        ctx.el(
            "div",
            {"class": "field-row"},
            field,
            ctx.el("button", {"type": "submit", "class": "primary"}, f"Create {noun}"),
        ),
        on={"submit": prevent_default(submit)},
    )
    return form, field


class Named(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class ActiveList:
    """How the list behaves: ``group`` names the radio group ("Active persona");
    ``question(name)`` is asked before deleting; ``activate``/``delete`` do the work
    (``delete`` returns False when it failed and said so)."""

    group: str
    empty: str
    question: Callable[[str], str]
    activate: Callable[[str], Awaitable[Any]]
    delete: Callable[[str], Awaitable[bool]]
    extra: Callable[[Ctx, Readable[Any]], Sequence[Node]] | None = None


def active_list(
    ctx: Ctx,
    items: Subscribable[Sequence[Named]],
    active_id: Subscribable[str | None],
    chosen: Writable[str | None],
    spec: ActiveList,
    *,
    fallback_focus: Node,
) -> Node:
    """The fieldset with its radio group and rows."""
    dom = ctx.dom
    listing = ctx.el("ul", {"class": "record-list", "aria-label": spec.group})
    group_name = "choice-" + spec.group.lower().replace(" ", "-")

    def row(c: Ctx, item: Named) -> Row[Named]:
        return _row(c, item, group_name, active_id, chosen, spec)

    def focus_lost(neighbour: Node | None) -> None:
        target = dom.query(neighbour, "input") if neighbour is not None else None
        dom.call(target if target is not None else fallback_focus, "focus")

    ctx.each(listing, items, key=lambda item: item.id, render=row, on_focus_lost=focus_lost)
    return ctx.el(
        "fieldset",
        {"class": "active-choice"},
        ctx.el("legend", None, spec.group),
        listing,
        ctx.el("p", {"class": "muted", "hidden": derived(items, bool)}, spec.empty),
    )


def _row(
    ctx: Ctx,
    item: Named,
    group_name: str,
    active_id: Subscribable[str | None],
    chosen: Writable[str | None],
    spec: ActiveList,
) -> Row[Named]:
    rid = item.id
    current = writable(item)
    name = derived(current, lambda it: it.name)
    li = ctx.el("li", {"class": "record-row"})

    def view(c: Ctx, remove: Node) -> Node:
        radio_id = f"{group_name}-{rid}"
        radio = c.el(
            "input",
            {
                "id": radio_id,
                "type": "radio",
                "name": group_name,
                ".checked": derived(active_id, lambda a: a == rid),
            },
            on={"change": lambda ev: spec.activate(rid)},
        )
        edit = c.el(
            "button",
            {
                "type": "button",
                "aria-label": derived(name, lambda n: f"Edit {n}"),
                "aria-pressed": derived(chosen, lambda x: "true" if x == rid else "false"),
            },
            "Edit",
            on={"click": lambda ev: chosen.set(rid)},
        )
        extra = spec.extra(c, current) if spec.extra is not None else ()
        return c.el(
            "div",
            {"class": "row-view"},
            radio,
            c.el("label", {"for": radio_id, "class": "name"}, name),
            c.el("div", {"class": "actions"}, *extra, edit, remove),
        )

    confirm_row(
        ctx,
        li,
        view=view,
        label=derived(name, lambda n: f"Delete {n}"),
        question=lambda: spec.question(get(name)),
        delete=lambda: spec.delete(rid),
    )
    return Row(li, current.set)
