"""One chat message as an ``article`` named by author and position ("Aria, message 3"),
with its buttons inside it: Edit, Delete (asked first), Branch, and for replies Previous
/ Next alternative, Prompt inspector, and on the last reply Regenerate and Continue.

The text node shows the stored text, or — while this message is the one a reply streams
into — the text as it arrives (one text node patched per delta, nothing else).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.reactive import Readable, derived, get, writable
from app.ui import Ctx, Event, Node, Row, prevent_default
from app.ui._confirm import confirm_box, on_escape
from app.ui._virtual_list import Slot

from ._chat_session import ChatSession, fill_names

if TYPE_CHECKING:
    from app.domain import Message

__all__ = ["ChatView", "author_of", "message_row", "shown_text"]


@dataclass(frozen=True)
class ChatView:
    """What every row of one chat shares."""

    session: ChatSession
    #: (character name, user name) for {{char}} / {{user}} and authors.
    names: Readable[tuple[str, str]]
    #: Async actions the screen performs (they show their own errors).
    edit: Callable[[str, str], Awaitable[bool]]
    delete: Callable[[str], Awaitable[bool]]
    branch: Callable[[str], Awaitable[None]]
    inspect: Callable[[Message, Node], Awaitable[None]]
    #: Called after a row changed height (its text grew, an editor opened).
    resized: Callable[[str], None]


def author_of(message: Message, names: tuple[str, str]) -> str:
    """Who wrote it, as the article's name says: the stored name, else the character
    for replies and the persona for the person's messages."""
    char, user = names
    if message.role == "assistant":
        return message.name or char or "Assistant"
    if message.role == "user":
        return message.name or user or "You"
    return {"system": "System", "info": "Note", "error": "Error", "tool": "Tool"}[message.role]


def shown_text(message: Message, names: tuple[str, str]) -> str:
    from app.generation import message_text

    return fill_names(message_text(message.content), *names)


def message_row(ctx: Ctx, slot: Slot[Message], view: ChatView) -> Row[Slot[Message]]:
    dom = ctx.dom
    current = writable(slot)
    message_id = slot.item.id
    role = slot.item.role
    session = view.session
    position = derived(current, lambda s: s.index + 1)
    author = derived([current, view.names], lambda v: author_of(v[0].item, v[1]))
    label = derived([author, position], lambda v: f"{v[0]}, message {v[1]}")
    mode = writable("view")
    article = ctx.el(
        "article",
        {
            "class": f"message role-{role}",
            "tabindex": "-1",
            "data-id": message_id,
            "aria-label": label,
            "aria-posinset": derived(current, lambda s: str(s.index + 1)),
            "aria-setsize": derived(current, lambda s: str(s.size)),
        },
    )
    focus_after: dict[str, Node] = {}

    def text_now(values: list[Any]) -> str:
        s, names, target, live = values
        if target == message_id:
            return str(live)
        return shown_text(s.item, names)

    text = derived([current, view.names, session.target, session.live], text_now)

    def view_mode(c: Ctx) -> Node:
        body = c.el("div", {"class": "message-text"}, text)
        c.watch(text, lambda _: view.resized(message_id))
        head = c.el(
            "header",
            {"class": "message-head"},
            c.el("span", {"class": "author"}, author),
            _alternative_counter(c, current),
        )
        return c.el(
            "div",
            {"class": "message-view"},
            head,
            body,
            _reasoning(c, current),
            _actions(c, current, position, view, mode, focus_after),
        )

    def edit_mode(c: Ctx) -> Node:
        box_id = f"edit-{message_id}"
        box = c.el(
            "textarea",
            {
                "id": box_id,
                "rows": "6",
                ".value": shown_text(get(current).item, ("{{char}}", "{{user}}")),
            },
        )
        focus_after["edit"] = box

        async def save(event: Event) -> None:
            value = str(dom.get_prop(box, "value"))
            if await view.edit(message_id, value):
                mode.set("view")

        return c.el(
            "form",
            {
                "class": "message-edit",
                "aria-label": derived(position, lambda p: f"Edit message {p}"),
            },
            c.el("label", {"for": box_id}, "Edit message"),
            box,
            c.el(
                "div",
                {"class": "actions"},
                c.el("button", {"type": "submit", "class": "primary"}, "Save"),
                c.el(
                    "button",
                    {"type": "button"},
                    "Cancel",
                    on={"click": lambda ev: mode.set("view")},
                ),
            ),
            on={"submit": prevent_default(save), "keydown": on_escape(lambda: mode.set("view"))},
        )

    def confirm_mode(c: Ctx) -> Node:
        async def really(event: Event) -> None:
            if not await view.delete(message_id):
                mode.set("view")

        box = confirm_box(
            c,
            f"Delete message {get(position)} by {get(author)}? This cannot be undone.",
            on_confirm=really,
            on_cancel=lambda: mode.set("view"),
        )
        focus_after["confirm"] = box.cancel
        return box.node

    renderers = {"view": view_mode, "edit": edit_mode, "confirm": confirm_mode}
    previous = ["view"]

    def after(m: str, node: Node | None) -> None:
        came_from, previous[0] = previous[0], m
        view.resized(message_id)
        if m == "view":
            back = focus_after.get("edit-button" if came_from == "edit" else "delete-button")
            if came_from != "view" and back is not None:
                dom.call(back, "focus")
        elif m in focus_after:
            dom.call(focus_after[m], "focus")

    ctx.switch(article, mode, lambda c, m: renderers[m](c), after=after)
    return Row(article, current.set)


def _alternative_counter(ctx: Ctx, current: Readable[Slot[Message]]) -> Node:
    def words(s: Slot[Message]) -> str:
        m = s.item
        return f"{m.selected + 1} / {m.alternative_count}" if m.alternative_count > 1 else ""

    counter = derived(current, words)
    return ctx.el(
        "span",
        {
            "class": "alternatives",
            "hidden": derived(counter, lambda w: not w),
            "aria-label": derived(
                current,
                lambda s: f"alternative {s.item.selected + 1} of {s.item.alternative_count}",
            ),
        },
        counter,
    )


def _reasoning(ctx: Ctx, current: Readable[Slot[Message]]) -> Node:
    def text(s: Slot[Message]) -> str:
        m = s.item
        if not m.alternatives:
            return ""
        value = m.alternatives[m.selected].info.get("reasoning")
        return value if isinstance(value, str) else ""

    reasoning = derived(current, text)
    return ctx.el(
        "details",
        {"class": "reasoning", "hidden": derived(reasoning, lambda r: not r)},
        ctx.el("summary", None, "Reasoning"),
        ctx.el("div", {"class": "reasoning-text"}, reasoning),
    )


def _actions(
    ctx: Ctx,
    current: Readable[Slot[Message]],
    position: Readable[int],
    view: ChatView,
    mode: Any,
    focus_after: dict[str, Node],
) -> Node:
    session = view.session
    slot = get(current)
    message = slot.item
    busy = session.generating

    def button(
        text: str, name: Callable[[int], str], on: Callable[[Event], Any], **attrs: Any
    ) -> Node:
        return ctx.el(
            "button",
            {"type": "button", "aria-label": derived(position, name), **attrs},
            text,
            on={"click": on},
        )

    edit = button("Edit", lambda p: f"Edit message {p}", lambda ev: mode.set("edit"))
    delete = button(
        "Delete",
        lambda p: f"Delete message {p}",
        lambda ev: mode.set("confirm"),
        **{"class": "danger"},
    )
    focus_after["edit-button"], focus_after["delete-button"] = edit, delete
    branch = button(
        "Branch", lambda p: f"Branch from message {p}", lambda ev: view.branch(message.id)
    )
    buttons = [edit, delete, branch]
    if message.role == "assistant":
        is_last = derived(current, lambda s: s.index == s.size - 1)

        def select(step: int) -> Callable[[Event], Awaitable[None]]:
            async def go(event: Event) -> None:
                m = get(current).item
                await session.select(m.id, m.selected + step)
                await session.settle()

            return go

        previous = button(
            "Previous",
            lambda p: f"Previous alternative of message {p}",
            select(-1),
            disabled=derived([current, busy], lambda v: v[1] or v[0].item.selected == 0),
        )
        next_ = button(
            "Next",
            lambda p: f"Next alternative of message {p}",
            select(1),
            disabled=derived(
                [current, busy],
                lambda v: (
                    v[1]
                    or (
                        v[0].item.selected >= v[0].item.alternative_count - 1
                        and v[0].index != v[0].size - 1
                    )
                ),
            ),
        )

        async def inspect(event: Event) -> None:
            await view.inspect(get(current).item, inspector)

        inspector = button(
            "Prompt inspector", lambda p: f"Prompt inspector for message {p}", inspect
        )

        async def regenerate_now(event: Event) -> None:
            if session.regenerate(get(current).item.id):
                await session.settle()

        async def continue_now(event: Event) -> None:
            if session.continue_last(get(current).item.id):
                await session.settle()

        regenerate = button(
            "Regenerate",
            lambda p: f"Regenerate message {p}",
            regenerate_now,
            hidden=derived(is_last, lambda last: not last),
            disabled=busy,
        )
        continue_ = button(
            "Continue",
            lambda p: f"Continue message {p}",
            continue_now,
            hidden=derived(is_last, lambda last: not last),
            disabled=busy,
        )
        buttons = [previous, next_, regenerate, continue_, edit, delete, branch, inspector]
    return ctx.el("div", {"class": "message-actions"}, *buttons)
