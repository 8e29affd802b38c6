"""A chat (``#/chats/{id}``): its messages, the composer, streaming replies, and the
prompt inspector.

Messages sit in a virtual list (a chat of 10,000 messages keeps a few dozen in the
document), an ARIA ``feed``: Page Up / Page Down move between messages, Ctrl+Home /
Ctrl+End to the first / last. The composer is the textbox "Message"; Enter sends (per the
``send_on_enter`` setting; Shift+Enter is a new line); "Send" is disabled and "Stop" is
present only while a reply is generating. Errors are said in a ``role="alert"`` region
with what to do; the text typed stays in the composer until it is stored.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from app.reactive import derived, get, writable
from app.ui import Ctx, Event, Node, Page, prevent_default
from app.ui._inspector import LEVEL_NAMES, PromptInspector
from app.ui._virtual_list import Slot, VirtualList

from ._chat_session import NEW_REPLY, ChatSession
from ._message_row import ChatView, message_row

if TYPE_CHECKING:
    from app.domain import Message

__all__ = ["render"]


def render(ctx: Ctx, page: Page) -> Node:
    state = page.state
    chat = get(state.active_chat)
    if chat is None:  # deleted as the page opened: the outlet turns to "Not found"
        return ctx.el("section", {"class": "screen"})
    chat_id = chat.id
    dom = ctx.dom
    session = ChatSession(state, chat_id)
    ctx.scope.on_dispose(session.close)
    error = writable("")

    def names_of(values: list[Any]) -> tuple[str, str]:
        character, persona = values
        return (
            character.name if character is not None else "",
            persona.name if persona is not None else "You",
        )

    names = derived([state.active_character, state.active_persona], names_of)

    def scope_name(level: str, scope_id: str | None) -> str:
        character = get(state.active_character)
        if level == "character" and character is not None and scope_id == character.id:
            return f"Character: {character.name}"
        if level == "chat" and scope_id == chat_id:
            return "This chat"
        return LEVEL_NAMES.get(level, level.capitalize())

    inspector = PromptInspector(ctx, scope_name=scope_name)

    # -- actions the rows call ------------------------------------------------------------
    async def guarded(what: str, action: Any) -> bool:
        error.set("")
        try:
            await action
        except Exception as problem:
            error.set(f"{what}: {problem}")
            return False
        return True

    async def edit(message_id: str, text: str) -> bool:
        return await guarded(
            "The message was not saved", state.edit_message(message_id, {"content": text})
        )

    async def delete(message_id: str) -> bool:
        return await guarded("The message was not deleted", state.delete_message(message_id))

    async def branch(message_id: str) -> None:
        made: list[Any] = []

        async def run() -> None:
            made.append(await state.branch_chat(chat_id, message_id))

        if await guarded("The branch was not created", run()):
            page.navigate("chat", id=made[0].id)

    async def inspect(message: Message, opener: Node) -> None:
        report = await state.prompt_report(message.id, message.selected)
        inspector.open(report, opener=opener)

    # -- the messages -----------------------------------------------------------------------
    # an ARIA feed holds articles; while there is none it is a plain named region
    has_articles = derived(
        [state.messages, session.target], lambda v: bool(v[0]) or v[1] == NEW_REPLY
    )
    viewport = ctx.el(
        "div",
        {
            "class": "messages",
            "role": derived(has_articles, lambda yes: "feed" if yes else "region"),
            "aria-label": "Messages",
            "tabindex": "0",
            "aria-busy": derived(session.generating, lambda g: "true" if g else "false"),
        },
    )
    rows_holder: list[VirtualList[Message]] = []

    def resized(message_id: str) -> None:
        if rows_holder:
            rows_holder[0].row_resized(message_id)

    view = ChatView(session, names, edit, delete, branch, inspect, resized)

    def row(c: Ctx, slot: Slot[Message]) -> Any:
        return message_row(c, slot, view)

    rows = VirtualList(
        ctx, viewport, state.messages, key=lambda m: m.id, render=row, start_at_end=True
    )
    rows_holder.append(rows)
    ctx.on(viewport, "keydown", rows.feed_keys)
    dom.insert(viewport, _pending_reply(ctx, session, names, rows))
    empty = ctx.el(
        "p",
        {"class": "muted empty-chat", "hidden": derived(state.messages, lambda ms: bool(ms))},
        "No messages yet. Say hello below.",
    )

    # -- the composer -------------------------------------------------------------------------
    composer = ctx.el("textarea", {"id": "composer", "rows": "3", "autocomplete": "off"})

    async def send(event: Event | None = None) -> None:
        text = str(dom.get_prop(composer, "value"))
        error.set("")
        try:
            sent = await session.send(text)
        except Exception as problem:  # not stored: the text stays where it was
            error.set(f"Your message was not sent: {problem}")
            return
        if sent:
            dom.set_prop(composer, "value", "")
            rows.scroll_to_end()
            await session.settle()  # the handler lasts as long as the reply

    def keydown(event: Event) -> Any:
        if (
            event.key != "Enter"
            or getattr(event, "shiftKey", False)
            or getattr(event, "isComposing", False)
        ):
            return None
        settings = get(state.settings)
        if settings is not None and not getattr(settings, "send_on_enter", True):
            return None
        event.preventDefault()
        return None if get(session.generating) else send()

    ctx.on(composer, "keydown", keydown)
    stop = ctx.el(
        "button",
        {
            "type": "button",
            "class": "danger",
            "hidden": derived(session.generating, lambda g: not g),
        },
        "Stop",
        on={"click": lambda ev: _stop(session, dom, composer)},
    )
    form = ctx.el(
        "form",
        {"class": "composer", "aria-label": "Write a message"},
        ctx.el("label", {"for": "composer"}, "Message"),
        composer,
        ctx.el(
            "div",
            {"class": "actions"},
            ctx.el(
                "button",
                {"type": "submit", "class": "primary", "disabled": session.generating},
                "Send",
            ),
            stop,
        ),
        on={"submit": prevent_default(send)},
    )

    # -- errors and announcements ------------------------------------------------------------
    def failure_text(values: list[Any]) -> str:
        failure, problem = values
        if problem:
            return str(problem)
        return failure.text if failure is not None else ""

    alert_text = derived([session.failure, error], failure_text)
    fix_link = ctx.el(
        "a",
        {
            "href": page.href("providers"),
            "hidden": derived(session.failure, lambda f: f is None or f.fix != "providers"),
        },
        "Set up a provider",
    )
    alert = ctx.el(
        "div",
        {
            "class": "error chat-error",
            "role": "alert",
            "hidden": derived(alert_text, lambda t: not t),
        },
        ctx.el("p", None, alert_text),
        fix_link,
    )

    page_el = ctx.el(
        "section",
        {"class": "screen chat", "aria-labelledby": "screen-title"},
        _header(ctx, page, chat_id),
        viewport,
        empty,
        alert,
        ctx.el("p", {"class": "visually-hidden", "role": "status"}, session.announcement),
        form,
        inspector.node,
    )
    rows.scroll_to_end()

    def attached() -> None:  # the outlet inserts the page right after this returns
        if not ctx.scope.disposed:
            rows.attached()

    asyncio.get_running_loop().call_soon(attached)
    return page_el


def _stop(session: ChatSession, dom: Any, composer: Node) -> None:
    session.stop()
    dom.call(composer, "focus")


def _pending_reply(ctx: Ctx, session: ChatSession, names: Any, rows: VirtualList[Any]) -> Node:
    """The reply being written before it is stored: shown below the last message."""
    showing = derived(session.target, lambda t: t == NEW_REPLY)
    text = derived([session.live, showing], lambda v: v[0] if v[1] else "")
    ctx.watch(text, lambda _: rows.row_resized() if get(showing) else None)
    waiting = derived(
        [text, session.reasoning], lambda v: "" if v[0] else ("Thinking…" if v[1] else "Writing…")
    )
    return ctx.el(
        "article",
        {
            "class": "message role-assistant pending",
            "aria-label": derived(names, lambda n: f"{n[0] or 'Assistant'}, reply being written"),
            "hidden": derived(showing, lambda s: not s),
        },
        ctx.el(
            "header",
            {"class": "message-head"},
            ctx.el("span", {"class": "author"}, derived(names, lambda n: n[0] or "Assistant")),
        ),
        ctx.el("div", {"class": "message-text"}, text),
        ctx.el("p", {"class": "muted", "hidden": derived(waiting, lambda w: not w)}, waiting),
    )


def _header(ctx: Ctx, page: Page, chat_id: str) -> Node:
    state = page.state

    def title(values: list[Any]) -> str:
        chat, character = values
        if chat is not None and chat.title.strip():
            return str(chat.title)
        return f"Chat with {character.name}" if character is not None else "Chat"

    character_id = derived(state.active_character, lambda c: c.id if c is not None else None)
    back = ctx.el(
        "a",
        {
            "href": derived(
                character_id,
                lambda i: page.href("character", id=i) if i else page.href("characters"),
            )
        },
        ctx.el("span", {"aria-hidden": "true"}, "← "),
        derived(state.active_character, lambda c: c.name if c is not None else "Characters"),
    )

    def persona_words(persona: Any) -> str:
        return f"You are {persona.name}" if persona is not None else "No persona chosen"

    def preset_words(preset: Any) -> str:
        return f"Preset: {preset.name}" if preset is not None else "Preset: defaults"

    def provider_words(values: list[Any]) -> str:
        configs, settings = values
        enabled = [c for c in configs if c.enabled]
        wanted = getattr(settings, "default_provider_config_id", None)
        chosen = next((c for c in enabled if c.id == wanted), None) or (
            enabled[0] if enabled else None
        )
        if chosen is None:
            return "No provider set up"
        return f"{chosen.name}: {chosen.default_model}" if chosen.default_model else chosen.name

    return ctx.el(
        "header",
        {"class": "chat-header"},
        ctx.el("p", {"class": "back"}, back),
        ctx.el(
            "h1",
            {"id": "screen-title", "tabindex": "-1"},
            derived([state.active_chat, state.active_character], title),
        ),
        ctx.el(
            "ul",
            {"class": "chat-meta", "aria-label": "Chat settings"},
            ctx.el(
                "li",
                None,
                ctx.el(
                    "a",
                    {"href": page.href("personas")},
                    derived(state.active_persona, persona_words),
                ),
            ),
            ctx.el(
                "li",
                None,
                ctx.el(
                    "a", {"href": page.href("presets")}, derived(state.active_preset, preset_words)
                ),
            ),
            ctx.el(
                "li",
                None,
                ctx.el(
                    "a",
                    {"href": page.href("providers")},
                    derived([state.provider_configs, state.settings], provider_words),
                ),
            ),
            ctx.el(
                "li",
                None,
                ctx.el(
                    "a",
                    {"href": page.href("lorebook", level="chat", scope_id=chat_id)},
                    "Chat lorebook",
                ),
            ),
        ),
    )
