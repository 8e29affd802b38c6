"""The character editor (``#/characters/{id}``): every card field, saved by itself.

Each field is labelled with its UI.md name; typing is saved a moment later (and at once
when the page goes away), with a journal that survives a reload before the write lands
(`app.ui._autosave`). A status says "Saved". Beside the card: the character's chats with
"New chat", and a link to its lorebook. Another tab's edits show up in fields that are
not being edited.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.reactive import derived, get, writable
from app.ui import Ctx, Event, Node, Page, Row
from app.ui._autosave import Autosave
from app.ui._avatar import AvatarPicker
from app.ui._confirm import confirm_row

from ._common import back_link

if TYPE_CHECKING:
    from app.domain import Character, Chat

__all__ = ["TEXT_FIELDS", "chat_label", "export_controls", "render", "split_tags"]


@dataclass(frozen=True, slots=True)
class TextField:
    field: str
    label: str
    hint: str = ""
    rows: int = 4  # 0: a one-line input


TEXT_FIELDS: tuple[TextField, ...] = (
    TextField("name", "Name", rows=0),
    TextField("description", "Description", "Who they are: looks, background, manner.", 8),
    TextField("personality", "Personality", "A short summary of their personality.", 3),
    TextField("scenario", "Scenario", "Where and when the conversation happens.", 3),
    TextField("first_message", "First message", "How they open a new chat.", 5),
    TextField(
        "example_messages",
        "Example messages",
        "Example dialogue, each example starting with <START>.",
        6,
    ),
    TextField(
        "system_prompt",
        "System prompt",
        "Replaces the preset's system prompt for this character ({{original}} keeps it).",
        3,
    ),
    TextField(
        "post_history_instructions",
        "Post-history instructions",
        "Sent after the chat history ({{original}} keeps the preset's).",
        3,
    ),
    TextField("creator_notes", "Creator notes", "For people, never sent to the model.", 3),
)
"""The card's text fields in the order the editor shows them (alternate greetings, tags
and the avatar have their own controls)."""

_CARD = ("name", "description", "personality", "scenario")
_GREETINGS = ("first_message",)
_PROMPTS = ("example_messages", "system_prompt", "post_history_instructions")
_NOTES = ("creator_notes",)


def split_tags(text: str) -> list[str]:
    """Tags typed comma-separated: trimmed, empty ones dropped, each kept once."""
    return list(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))


def chat_label(chat: Chat, number: int) -> str:
    """How a chat is named in the list: its title, else "Chat N" (N counts from the
    oldest, so the name stays put as new chats arrive)."""
    return chat.title.strip() or f"Chat {number}"


def export_controls(ctx: Ctx, page: Page, character_id: str) -> Node | None:
    """The place for the card export control ("Export card") in the editor's header.

    The card import/export feature (another module) fills this in; until it does there
    is nothing here, never a button that does nothing."""
    return None


def render(ctx: Ctx, page: Page) -> Node:
    state = page.state
    character: Character | None = get(state.active_character)  # type: ignore[assignment]
    if character is None:  # deleted just as the page opened: the outlet shows Not found
        return ctx.el("section", {"class": "screen"})
    cid = character.id
    dom = ctx.dom
    error = writable("")

    async def save(changes: dict[str, Any]) -> None:
        await state.update("character", cid, changes)

    saver = Autosave(ctx, f"character:{cid}", save)
    recovered = saver.recover(character.updated_at)
    values: dict[str, Any] = {**character.model_dump(), **recovered}
    inputs: dict[str, Node] = {}

    def text_control(spec: TextField) -> Node:
        field_id = f"character-{spec.field.replace('_', '-')}"
        hint_id = f"{field_id}-hint"
        attrs: dict[str, Any] = {
            "id": field_id,
            "name": spec.field,
            ".value": values.get(spec.field) or "",
        }
        if spec.hint:
            attrs["aria-describedby"] = hint_id
        if spec.rows:
            attrs["rows"] = str(spec.rows)
            control = ctx.el("textarea", attrs)
        else:
            attrs.update(
                {"type": "text", "required": True, "maxlength": "200", "autocomplete": "off"}
            )
            control = ctx.el("input", attrs)
        inputs[spec.field] = control

        def typed(event: Event) -> None:
            value = str(dom.get_prop(control, "value"))
            if spec.field == "name" and not value.strip():
                error.set("A character needs a name; the last name is kept until you type one.")
                return
            if spec.field == "name":
                error.set("")
            saver.edit(spec.field, value.strip() if spec.field == "name" else value)

        ctx.on(control, "input", typed)
        return ctx.el(
            "div",
            {"class": "field"},
            ctx.el("label", {"for": field_id}, spec.label),
            ctx.el("p", {"id": hint_id, "class": "hint"}, spec.hint) if spec.hint else None,
            control,
        )

    by_name = {spec.field: spec for spec in TEXT_FIELDS}

    def group(title: str, fields: Sequence[str], *extra: Node | None) -> Node:
        return ctx.el(
            "fieldset",
            {"class": "card-group"},
            ctx.el("legend", None, title),
            *(text_control(by_name[f]) for f in fields),
            *extra,
        )

    greetings = _Greetings(ctx, list(values.get("alternate_greetings") or []), saver)
    tags_field = ctx.el(
        "input",
        {
            "id": "character-tags",
            "type": "text",
            "autocomplete": "off",
            "aria-describedby": "character-tags-hint",
            ".value": ", ".join(values.get("tags") or []),
        },
        on={
            "input": lambda ev: saver.edit(
                "tags", split_tags(str(dom.get_prop(tags_field, "value")))
            )
        },
    )
    inputs["tags"] = tags_field
    name = derived(state.active_character, lambda c: c.name if c is not None else "")
    avatar = AvatarPicker(
        ctx,
        id="character-avatar",
        url=values.get("avatar"),
        name=name,
        changed=lambda url: saver.edit("avatar", url),
        error=error,
    )

    form = ctx.el(
        "form",
        {"class": "card-form", "aria-label": "Character card"},
        group("Card", _CARD),
        group("Greetings", _GREETINGS, greetings.node),
        group("Examples and prompts", _PROMPTS),
        group(
            "Notes and tags",
            _NOTES,
            ctx.el(
                "div",
                {"class": "field"},
                ctx.el("label", {"for": "character-tags"}, "Tags"),
                ctx.el("p", {"id": "character-tags-hint", "class": "hint"}, "Comma-separated."),
                tags_field,
            ),
        ),
        ctx.el(
            "fieldset",
            {"class": "card-group avatar-group"},
            ctx.el("legend", None, "Avatar"),
            avatar.node,
        ),
        on={"submit": lambda ev: ev.preventDefault()},
    )

    # -- follow the record: another tab's edits reach fields not being edited ------------------
    def follow(record: Any) -> None:
        if record is None:
            return
        pending = saver.pending
        focused = dom.focused()
        for field, node in inputs.items():
            if field in pending or (focused is not None and dom.contains(node, focused)):
                continue
            value = getattr(record, field, None)
            text = ", ".join(value or []) if field == "tags" else (value or "")
            if str(dom.get_prop(node, "value")) != text:
                dom.set_prop(node, "value", text)
        if "alternate_greetings" not in pending:
            greetings.follow(list(record.alternate_greetings))
        if "avatar" not in pending:
            avatar.follow(record.avatar)

    ctx.watch(state.active_character, follow)

    header = ctx.el(
        "header",
        {"class": "editor-header"},
        avatar.thumbnail,
        ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, name),
        ctx.el("div", {"class": "export-slot"}, export_controls(ctx, page, cid)),
        ctx.el("p", {"class": "status", "role": "status"}, saver.status),
    )
    return ctx.el(
        "section",
        {"class": "screen character-editor", "aria-labelledby": "screen-title"},
        back_link(ctx, page.href("characters"), "All characters"),
        header,
        ctx.el(
            "p",
            {
                "class": "error",
                "role": "alert",
                "hidden": derived([error, saver.error], lambda v: not (v[0] or v[1])),
            },
            derived([error, saver.error], lambda v: v[0] or (f"Not saved: {v[1]}" if v[1] else "")),
        ),
        ctx.el(
            "div",
            {"class": "editor-layout"},
            form,
            ctx.el(
                "aside",
                {"class": "character-side", "aria-label": "Chats and lorebook"},
                _chats(ctx, page, cid, error),
                ctx.el(
                    "section",
                    {"class": "side-block", "aria-labelledby": "lorebook-heading"},
                    ctx.el("h2", {"id": "lorebook-heading"}, "Lorebook"),
                    ctx.el(
                        "p",
                        None,
                        ctx.el(
                            "a",
                            {"href": page.href("lorebook", level="character", scope_id=cid)},
                            derived(name, lambda n: f"Lorebook of {n}"),
                        ),
                    ),
                ),
            ),
        ),
    )


# -- alternate greetings ------------------------------------------------------------------------
_uids = itertools.count(1)


@dataclass(frozen=True, slots=True)
class _Greeting:
    uid: int
    position: int
    text: str


class _Greetings:
    """The alternate greetings: one labelled textbox each, "Add alternate greeting", and a
    "Remove alternate greeting N" per greeting. Saved as one list."""

    def __init__(self, ctx: Ctx, texts: list[str], saver: Autosave) -> None:
        self.ctx = ctx
        self.saver = saver
        self.items = writable(self._numbered([(next(_uids), t) for t in texts]))
        self.boxes: dict[int, Node] = {}
        dom = ctx.dom
        listing = ctx.el("ol", {"class": "greetings", "aria-label": "Alternate greetings"})
        ctx.each(listing, self.items, key=lambda g: g.uid, render=self._row)
        self.add_button = ctx.el(
            "button",
            {"type": "button"},
            "Add alternate greeting",
            on={"click": lambda ev: self.add()},
        )
        self.node = ctx.el(
            "div",
            {"class": "field greetings-field"},
            ctx.el("p", {"class": "label"}, "Alternate greetings"),
            ctx.el(
                "p",
                {"class": "hint"},
                "Offered as alternatives of the first message in a new chat.",
            ),
            listing,
            self.add_button,
        )
        self._dom = dom

    @staticmethod
    def _numbered(pairs: Sequence[tuple[int, str]]) -> list[_Greeting]:
        return [_Greeting(uid, i + 1, text) for i, (uid, text) in enumerate(pairs)]

    def _texts(self) -> list[str]:
        return [g.text for g in get(self.items)]

    def _set(self, pairs: Sequence[tuple[int, str]], *, save: bool) -> None:
        self.items.set(self._numbered(pairs))
        if save:
            self.saver.edit("alternate_greetings", self._texts())

    def _row(self, ctx: Ctx, greeting: _Greeting) -> Row[_Greeting]:
        dom = ctx.dom
        uid = greeting.uid
        box_id = f"greeting-{uid}"
        label_text = dom.text(f"Alternate greeting {greeting.position}")
        box = ctx.el("textarea", {"id": box_id, "rows": "3", ".value": greeting.text})
        self.boxes[uid] = box
        ctx.scope.on_dispose(lambda: self.boxes.pop(uid, None))

        def typed(event: Event) -> None:
            value = str(dom.get_prop(box, "value"))
            pairs = [(g.uid, value if g.uid == uid else g.text) for g in get(self.items)]
            self._set(pairs, save=True)

        ctx.on(box, "input", typed)
        remove = ctx.el(
            "button",
            {
                "type": "button",
                "class": "danger",
                "aria-label": f"Remove alternate greeting {greeting.position}",
            },
            "Remove",
            on={"click": lambda ev: self.remove(uid)},
        )
        li = ctx.el(
            "li",
            {"class": "greeting"},
            ctx.el("label", {"for": box_id}, label_text),
            box,
            remove,
        )

        def update(new: _Greeting) -> None:
            dom.set_data(label_text, f"Alternate greeting {new.position}")
            dom.set_attr(remove, "aria-label", f"Remove alternate greeting {new.position}")

        return Row(li, update)

    def add(self) -> None:
        uid = next(_uids)
        self._set([(g.uid, g.text) for g in get(self.items)] + [(uid, "")], save=True)
        box = self.boxes.get(uid)
        if box is not None:
            self._dom.call(box, "focus")

    def remove(self, uid: int) -> None:
        items = get(self.items)
        index = next(i for i, g in enumerate(items) if g.uid == uid)
        rest = [(g.uid, g.text) for g in items if g.uid != uid]
        self._set(rest, save=True)
        if rest:
            neighbour = rest[min(index, len(rest) - 1)][0]
            self._dom.call(self.boxes[neighbour], "focus")
        else:
            self._dom.call(self.add_button, "focus")

    def follow(self, texts: list[str]) -> None:
        """Show stored greetings (another tab's edit) unless one is being edited here."""
        focused = self._dom.focused()
        if focused is not None and self._dom.contains(self.node, focused):
            return
        if texts != self._texts():
            self._set([(next(_uids), t) for t in texts], save=False)


# -- chats ----------------------------------------------------------------------------------------
def _chats(ctx: Ctx, page: Page, character_id: str, error: Any) -> Node:
    state = page.state
    dom = ctx.dom
    busy = writable(False)

    async def new_chat(event: Event) -> None:
        if get(busy):
            return
        busy.set(True)
        try:
            chat = await state.start_chat(character_id)
        except Exception as problem:
            error.set(f"The chat could not be created: {problem}")
            return
        finally:
            busy.set(False)
        page.navigate("chat", id=chat.id)

    def numbered(chats: Sequence[Chat]) -> list[tuple[Chat, int]]:
        oldest_first = sorted(chats, key=lambda c: (c.created_at, c.id))
        number = {c.id: i + 1 for i, c in enumerate(oldest_first)}
        newest_first = sorted(chats, key=lambda c: (c.updated_at, c.id), reverse=True)
        return [(c, number[c.id]) for c in newest_first]

    listing = ctx.el("ul", {"class": "chat-list", "aria-label": "Chats"})
    shown = derived(state.chats, numbered)

    def row(rctx: Ctx, item: tuple[Chat, int]) -> Row[tuple[Chat, int]]:
        return _chat_row(rctx, page, item, error)

    def focus_lost(neighbour: Node | None) -> None:
        link = dom.query(neighbour, "a") if neighbour is not None else None
        dom.call(link if link is not None else new_button, "focus")

    ctx.each(listing, shown, key=lambda item: item[0].id, render=row, on_focus_lost=focus_lost)
    new_button = ctx.el(
        "button",
        {"type": "button", "class": "primary", "disabled": busy},
        "New chat",
        on={"click": new_chat},
    )
    return ctx.el(
        "section",
        {"class": "side-block", "aria-labelledby": "chats-heading"},
        ctx.el("h2", {"id": "chats-heading"}, "Chats"),
        new_button,
        listing,
        ctx.el(
            "p",
            {"class": "muted", "hidden": derived(state.chats, lambda cs: bool(cs))},
            "No chats yet.",
        ),
    )


def _chat_row(ctx: Ctx, page: Page, item: tuple[Chat, int], error: Any) -> Row[tuple[Chat, int]]:
    state = page.state
    current = writable(item)
    label = derived(current, lambda it: chat_label(*it))
    li = ctx.el("li", {"class": "chat-row"})

    def summary(it: tuple[Chat, int]) -> str:
        chat = it[0]
        count = "1 message" if chat.message_count == 1 else f"{chat.message_count} messages"
        return f"{count} · {chat.preview}" if chat.preview else count

    def view(c: Ctx, delete: Node) -> Node:
        return c.el(
            "div",
            {"class": "row-view"},
            c.el("a", {"class": "name", "href": page.href("chat", id=item[0].id)}, label),
            c.el("p", {"class": "preview"}, derived(current, summary)),
            delete,
        )

    async def delete() -> bool:
        try:
            await state.delete_chat(item[0].id)
        except Exception as problem:
            error.set(f"The chat could not be deleted: {problem}")
            return False
        return True

    confirm_row(
        ctx,
        li,
        view=view,
        label=derived(label, lambda n: f"Delete {n}"),
        question=lambda: f"Delete “{get(label)}” and its messages? This cannot be undone.",
        delete=delete,
    )
    return Row(li, current.set)
