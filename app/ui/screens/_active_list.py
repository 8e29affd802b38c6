"""A list of records of which one is active (personas, presets, provider configs): a
radio group to choose the active one, and per record "Edit <name>" (shows it in the
page's editor) and "Delete <name>" (asked first)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from app.reactive import Readable, Subscribable, Writable, derived, get, writable
from app.ui import Ctx, Event, Node, Row
from app.ui._confirm import confirm_box

__all__ = ["ActiveList", "Named", "active_list"]


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
    dom = ctx.dom
    rid = item.id
    current = writable(item)
    name = derived(current, lambda it: it.name)
    mode = writable("view")
    li = ctx.el("li", {"class": "record-row"})
    focus: dict[str, Node] = {}

    def view(c: Ctx) -> Node:
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
        remove = c.el(
            "button",
            {
                "type": "button",
                "class": "danger",
                "aria-label": derived(name, lambda n: f"Delete {n}"),
            },
            "Delete",
            on={"click": lambda ev: mode.set("confirm")},
        )
        focus["view"] = remove
        extra = spec.extra(c, current) if spec.extra is not None else ()
        return c.el(
            "div",
            {"class": "row-view"},
            radio,
            c.el("label", {"for": radio_id, "class": "name"}, name),
            c.el("div", {"class": "actions"}, *extra, edit, remove),
        )

    def confirm(c: Ctx) -> Node:
        async def really(event: Event) -> None:
            if not await spec.delete(rid):
                mode.set("view")

        box = confirm_box(
            c,
            spec.question(get(name)),
            on_confirm=really,
            on_cancel=lambda: mode.set("view"),
        )
        focus["confirm"] = box.cancel
        return box.node

    seen = [False]

    def after(m: str, node: Node | None) -> None:
        if seen[0] and m in focus:
            dom.call(focus[m], "focus")
        seen[0] = True

    ctx.switch(li, mode, lambda c, m: view(c) if m == "view" else confirm(c), after=after)
    return Row(li, current.set)
