"""Personas (``#/personas``): who the person is in chats. One is active: chats fill
``{{user}}`` with its name and send its description.

Create ("New persona", "Create persona"); choose the active one (a radio group
"Active persona"); edit one at a time (Name, Description, Avatar image — saved by
themselves, with a "Saved" status); delete (asked first).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from app.reactive import derived, get, writable
from app.ui import Ctx, Event, Node, Page, fold
from app.ui._autosave import Autosave
from app.ui._avatar import AvatarPicker
from app.ui._guard import alert_text

from ._record_page import ActiveList, active_list, create_form, guard

if TYPE_CHECKING:
    from app.domain import Persona

__all__ = ["render", "sorted_personas"]


def sorted_personas(personas: Sequence[Persona]) -> list[Persona]:
    return sorted(personas, key=lambda p: (fold(p.name), p.name, p.id))


def render(ctx: Ctx, page: Page) -> Node:
    state = page.state
    error = writable("")
    personas = derived(state.personas, sorted_personas)
    active_id = derived(state.active_persona, lambda p: p.id if p is not None else None)
    chosen = writable(get(active_id) or next((p.id for p in get(personas)), None))

    guarded = guard(error)

    # -- create -------------------------------------------------------------------------------
    async def create(name: str) -> Any:
        persona = await guarded(
            "The persona was not created", state.create("persona", {"name": name})
        )
        if persona is None:
            return None
        if get(active_id) is None:
            await guarded("The persona was not made active", state.set_active_persona(persona.id))
        chosen.set(persona.id)
        return persona

    create_persona, new_name = create_form(ctx, noun="persona", error=error, create=create)

    # -- the list, with the active one as a radio group -----------------------------------------
    async def activate(persona_id: str) -> None:
        await guarded("The persona was not made active", state.set_active_persona(persona_id))

    async def delete(persona_id: str) -> bool:
        was_active = get(active_id) == persona_id
        done = await guarded("The persona was not deleted", _deleted(state, persona_id))
        if done is None:
            return False
        rest = [p for p in get(personas) if p.id != persona_id]
        if get(chosen) == persona_id:
            chosen.set(rest[0].id if rest else None)
        if was_active and rest:
            await activate(rest[0].id)
        return True

    group = active_list(
        ctx,
        personas,
        active_id,
        chosen,
        ActiveList(
            group="Active persona",
            empty="No personas yet: chats call you “You” until you create one.",
            question=lambda n: (
                f"Delete the persona “{n}”? Chats that used it will use the active one."
            ),
            activate=activate,
            delete=delete,
        ),
        fallback_focus=new_name,
    )

    # -- the editor of the chosen persona ----------------------------------------------------------
    editor = ctx.el("div", {"class": "record-editor"})

    def chosen_record(values: list[Any]) -> str | None:
        wanted, items = values
        return wanted if any(p.id == wanted for p in items) else None

    shown_id = derived([chosen, personas], chosen_record)
    ctx.switch(editor, shown_id, lambda c, pid: _editor(c, page, pid, error) if pid else None)

    return ctx.el(
        "section",
        {"class": "screen personas", "aria-labelledby": "screen-title"},
        ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, "Personas"),
        ctx.el(
            "p",
            {"class": "muted"},
            "Who you are in chats: the active persona's name fills {{user}}, and its "
            "description is sent with the prompt.",
        ),
        create_persona,
        alert_text(ctx, error),
        ctx.el("div", {"class": "records-layout"}, group, editor),
    )


async def _deleted(state: Any, persona_id: str) -> bool:
    await state.delete("persona", persona_id)
    return True


def _editor(ctx: Ctx, page: Page, persona_id: str, error: Any) -> Node:
    state = page.state
    dom = ctx.dom
    persona = next(p for p in get(state.personas) if p.id == persona_id)

    async def save(changes: dict[str, Any]) -> None:
        await state.update("persona", persona_id, changes)

    saver = Autosave(ctx, f"persona:{persona_id}", save)
    values = {**persona.model_dump(), **saver.recover(persona.updated_at)}
    name_field = ctx.el(
        "input",
        {
            "id": "persona-name",
            "type": "text",
            "maxlength": "200",
            "autocomplete": "off",
            ".value": values["name"],
        },
    )
    description = ctx.el(
        "textarea",
        {"id": "persona-description", "rows": "6", ".value": values.get("description") or ""},
    )

    def typed_name(event: Event) -> None:
        value = str(dom.get_prop(name_field, "value")).strip()
        if not value:
            error.set("A persona needs a name; the last name is kept until you type one.")
            return
        error.set("")
        saver.edit("name", value)

    ctx.on(name_field, "input", typed_name)
    ctx.on(
        description,
        "input",
        lambda ev: saver.edit("description", str(dom.get_prop(description, "value"))),
    )
    current_name = derived(
        state.personas, lambda ps: next((p.name for p in ps if p.id == persona_id), "")
    )
    avatar = AvatarPicker(
        ctx,
        id="persona-avatar",
        url=values.get("avatar"),
        name=current_name,
        changed=lambda url: saver.edit("avatar", url),
        error=error,
    )

    def follow(personas: Sequence[Persona]) -> None:
        stored = next((p for p in personas if p.id == persona_id), None)
        if stored is None:
            return
        pending, focused = saver.pending, dom.focused()
        for field, node in (("name", name_field), ("description", description)):
            if field in pending or (focused is not None and dom.contains(node, focused)):
                continue
            text = getattr(stored, field) or ""
            if str(dom.get_prop(node, "value")) != text:
                dom.set_prop(node, "value", text)
        if "avatar" not in pending:
            avatar.follow(stored.avatar)

    ctx.watch(state.personas, follow)
    return ctx.el(
        "form",
        {
            "class": "card-form persona-editor",
            "aria-label": derived(current_name, lambda n: f"Edit {n}"),
        },
        ctx.el(
            "header",
            {"class": "editor-header"},
            avatar.thumbnail,
            ctx.el("h2", None, derived(current_name, lambda n: f"Edit {n}")),
            ctx.el("p", {"class": "status", "role": "status"}, saver.status),
        ),
        ctx.el(
            "div", {"class": "field"}, ctx.el("label", {"for": "persona-name"}, "Name"), name_field
        ),
        ctx.el(
            "div",
            {"class": "field"},
            ctx.el("label", {"for": "persona-description"}, "Description"),
            ctx.el(
                "p",
                {"class": "hint", "id": "persona-description-hint"},
                "Sent with the prompt: who you are, how you look.",
            ),
            description,
        ),
        avatar.node,
        on={"submit": lambda ev: ev.preventDefault()},
    )
