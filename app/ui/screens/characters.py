"""The Characters screen: a sorted, searchable list with create, rename and delete; a
character card imports from here ("Import character card"), and an empty library is
offered the sample library."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from app.reactive import derived, get, writable
from app.ui import (
    CharacterRecord,
    Ctx,
    Event,
    Node,
    Page,
    Row,
    UiState,
    fold,
    matches,
    prevent_default,
)
from app.ui._card_import import card_import
from app.ui._confirm import confirm_box
from app.ui._guard import alert_text
from app.ui._inline_edit import edit_form
from app.ui._sample_offer import sample_offer

__all__ = ["render", "sort_key", "visible"]

Guarded = Callable[[Callable[[], Awaitable[Any]]], Awaitable[bool]]


def sort_key(character: CharacterRecord) -> tuple[str, str, str]:
    """Alphabetical, ignoring case and accents; ties broken so the order is stable."""
    return fold(character.name), character.name, character.id


def visible(characters: Sequence[CharacterRecord], query: str) -> list[CharacterRecord]:
    """Sorted, and filtered by the search (case and accents ignored, every word must appear)."""
    chosen = [c for c in characters if matches(query, c.name)] if query.strip() else characters
    return sorted(chosen, key=sort_key)


def _message(error: BaseException) -> str:
    text = str(error).strip()
    return text or type(error).__name__


def _status(values: list[Any]) -> str:
    total, matching, query = len(values[0]), len(values[1]), str(values[2]).strip()
    if not total:
        return "No characters yet. Create the first one above."
    if query:
        if not matching:
            return f"No character matches “{query}”."
        return f"{matching} of {total} characters match “{query}”."
    return "1 character" if total == 1 else f"{total} characters"


def render(ctx: Ctx, page: Page) -> Node:
    """The list over ``page.state.characters``, the live list of every character."""
    dom = ctx.dom
    state = page.state
    records = state.characters
    query = writable("")
    error = writable("")
    shown = derived([records, query], lambda vs: visible(vs[0], vs[1]))

    async def guarded(action: Callable[[], Awaitable[Any]]) -> bool:
        error.set("")
        try:
            await action()
        except Exception as exc:
            error.set(_message(exc))
            return False
        return True

    # -- create ----------------------------------------------------------------------------
    new_name = ctx.el(
        "input",
        {
            "id": "new-character-name",
            "name": "name",
            "type": "text",
            "required": True,
            "maxlength": "200",
            "autocomplete": "off",
        },
    )

    async def create(event: Event) -> None:
        name = str(dom.get_prop(new_name, "value")).strip()
        if not name:
            error.set("A character needs a name.")
            dom.call(new_name, "focus")
            return
        if await guarded(lambda: state.create_character({"name": name})):
            dom.set_prop(new_name, "value", "")
        dom.call(new_name, "focus")

    create_form = ctx.el(
        "form",
        {"class": "create-form", "aria-label": "Create a character"},
        ctx.el("label", {"for": "new-character-name"}, "New character"),
        ctx.el(
            "div",
            {"class": "field-row"},
            new_name,
            ctx.el("button", {"type": "submit", "class": "primary"}, "Create"),
        ),
        on={"submit": prevent_default(create)},
    )

    # -- search ----------------------------------------------------------------------------
    search: Node = ctx.el(
        "input",
        {"id": "character-search", "type": "search", "autocomplete": "off", ".value": query},
        on={"input": lambda ev: query.set(str(dom.get_prop(search, "value")))},
    )
    search_box = ctx.el(
        "div",
        {"class": "search", "role": "search"},
        ctx.el("label", {"for": "character-search"}, "Search characters"),
        search,
    )

    # -- list ------------------------------------------------------------------------------
    listing = ctx.el("ul", {"class": "character-list", "aria-label": "Characters"})

    def row(rctx: Ctx, character: CharacterRecord) -> Row[CharacterRecord]:
        return _character_row(rctx, page, character, state, guarded)

    def focus_lost(neighbour: Node | None) -> None:
        # The row holding focus left the list (deleted, or renamed out of the search):
        # focus the next row's link, else the search field — never <body>.
        link = dom.query(neighbour, "a") if neighbour is not None else None
        dom.call(link if link is not None else search, "focus")

    ctx.each(listing, shown, key=lambda c: c.id, render=row, on_focus_lost=focus_lost)

    return ctx.el(
        "section",
        {"class": "screen characters", "aria-labelledby": "screen-title"},
        ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, "Characters"),
        create_form,
        card_import(ctx, state, page.router),
        sample_offer(ctx, state, derived(records, lambda rs: not rs), page.href("library")),
        search_box,
        alert_text(ctx, error),
        ctx.el(
            "p", {"class": "status", "role": "status"}, derived([records, shown, query], _status)
        ),
        listing,
    )


def _character_row(
    ctx: Ctx, page: Page, character: CharacterRecord, state: UiState, guarded: Guarded
) -> Row[CharacterRecord]:
    dom = ctx.dom
    cid = character.id
    name = writable(character.name)
    mode = writable("view")
    own: dict[str, Node] = {}
    li = ctx.el("li", {"class": "character-row", "data-id": cid})

    def show(next_mode: str, focus: str) -> None:
        if ctx.scope.disposed:  # the row has left the list meanwhile
            return
        mode.set(next_mode)
        node = own.get(focus)
        if node is not None:
            dom.call(node, "focus")
            if focus == "field":
                dom.call(node, "select")

    def view(c: Ctx) -> Node:
        own["rename"] = c.el(
            "button",
            {"type": "button", "aria-label": derived(name, lambda n: f"Rename {n}")},
            "Rename",
            on={"click": lambda ev: show("rename", "field")},
        )
        own["delete"] = c.el(
            "button",
            {
                "type": "button",
                "class": "danger",
                "aria-label": derived(name, lambda n: f"Delete {n}"),
            },
            "Delete",
            on={"click": lambda ev: show("confirm", "cancel")},
        )
        return c.el(
            "div",
            {"class": "row-view"},
            c.el("a", {"class": "name", "href": page.href("character", id=cid)}, name),
            c.el("div", {"class": "actions"}, own["rename"], own["delete"]),
        )

    def rename(c: Ctx) -> Node:
        field_id = f"rename-{cid}"
        field = c.el(
            "input",
            {
                "id": field_id,
                "type": "text",
                "required": True,
                "maxlength": "200",
                ".value": get(name),
            },
        )
        own["field"] = field

        async def save(event: Event) -> None:
            value = str(dom.get_prop(field, "value")).strip()
            if not value:
                dom.call(field, "focus")
                return
            if value == get(name) or await guarded(lambda: state.rename_character(cid, value)):
                name.set(value)
                show("view", "rename")

        return edit_form(
            c,
            css="row-rename",
            form_label=derived(name, lambda n: f"Rename {n}"),
            field_label="New name",
            field=(field_id, field),
            submit=save,
            cancel=lambda: show("view", "rename"),
        )

    def confirm(c: Ctx) -> Node:
        async def really_delete(event: Event) -> None:
            await guarded(lambda: state.delete_character(cid))

        box = confirm_box(
            c,
            derived(name, lambda n: f"Delete “{n}”? This cannot be undone."),
            on_confirm=really_delete,
            on_cancel=lambda: show("view", "delete"),
        )
        own["cancel"] = box.cancel
        return box.node

    renderers: dict[str, Callable[[Ctx], Node]] = {
        "view": view,
        "rename": rename,
        "confirm": confirm,
    }
    ctx.switch(li, mode, lambda c, m: renderers[m](c))
    return Row(li, lambda new: name.set(new.name))
