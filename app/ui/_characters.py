"""The Characters screen: a sorted, searchable list with create, rename and delete."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from ._context import Ctx, Readable
from ._dom import prevent_default
from ._keyed_list import Row
from ._live_list import LiveList, Observable, Source
from ._router import href

__all__ = [
    "CharacterActions",
    "CharacterLike",
    "CharacterRepository",
    "RepositoryCharacters",
    "StateCharacters",
    "character_screen",
    "characters_screen",
]


class CharacterLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...


class CharacterRepository(Source[CharacterLike], Protocol):
    """The part of ``app.domain``'s characters repository this screen uses."""

    async def create(self, data: Mapping[str, Any], /) -> Any: ...
    async def update(self, id: str, changes: Mapping[str, Any], /) -> Any: ...
    async def delete(self, id: str, /) -> Any: ...


class CharacterActions(Protocol):
    """What the screen needs: the live list of characters and the three writes."""

    @property
    def records(self) -> Readable[Sequence[CharacterLike]]: ...
    async def create(self, name: str) -> Any: ...
    async def rename(self, id: str, name: str) -> Any: ...
    async def delete(self, id: str) -> Any: ...


class RepositoryCharacters:
    """``CharacterActions`` over a repository and a live list of its records.

    After each write the list is reloaded before the action returns, so the screen is
    current even where change notices arrive later.
    """

    def __init__(self, repo: CharacterRepository, records: LiveList[CharacterLike]) -> None:
        self.repo = repo
        self.live = records

    @property
    def records(self) -> Readable[Sequence[CharacterLike]]:
        return self.live

    async def create(self, name: str) -> Any:
        created = await self.repo.create({"name": name})
        await self.live.refresh()
        return created

    async def rename(self, id: str, name: str) -> Any:
        updated = await self.repo.update(id, {"name": name})
        await self.live.refresh()
        return updated

    async def delete(self, id: str) -> Any:
        await self.repo.delete(id)
        await self.live.refresh()


class StateCharacters:
    """``CharacterActions`` over ``app.state``: its readonly ``characters`` view and its
    character operations (the state owns the list; the UI never writes it).

    ``changes`` (e.g. ``app.db.live_query(repo.list)``, which also sees other tabs'
    commits) is followed while the list has subscribers: when the database's list
    differs from the state's, the state reloads the levels holding characters.
    """

    def __init__(self, state: Any, changes: Observable | None = None) -> None:
        from app.reactive import readable

        self.state = state
        self._changes = changes
        self._tasks: set[asyncio.Future[Any]] = set()
        self._records: Readable[Sequence[CharacterLike]] = readable([], self._follow)

    @property
    def records(self) -> Readable[Sequence[CharacterLike]]:
        return self._records

    def _follow(self, set_: Callable[[Sequence[CharacterLike]], None]) -> Callable[[], None]:
        from app.reactive import get

        stops = [self.state.characters.subscribe(set_)]
        if self._changes is not None:

            def on_change(stored: Sequence[CharacterLike]) -> None:
                if _by_id(stored) != _by_id(get(self.state.characters)):
                    task = asyncio.ensure_future(self.state.refresh(["characters"]))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)

            stops.append(self._changes.subscribe(on_change, _log_error))

        def stop() -> None:
            for unsubscribe in stops:
                unsubscribe()

        return stop

    async def loaded(self) -> None:
        """Load the lists level (the characters among them)."""
        await self.state.load_lists()

    async def create(self, name: str) -> Any:
        return await self.state.create_character({"name": name})

    async def rename(self, id: str, name: str) -> Any:
        return await self.state.rename_character(id, name)

    async def delete(self, id: str) -> Any:
        await self.state.delete_character(id)


def _by_id(characters: Sequence[CharacterLike]) -> dict[str, CharacterLike]:
    return {c.id: c for c in characters}


def _log_error(error: BaseException) -> None:
    log.error("following the characters failed", exc_info=error)


log = logging.getLogger("app.ui")


def sort_key(character: CharacterLike) -> tuple[str, str, str]:
    """Alphabetical, ignoring case; ties broken so the order is stable."""
    return character.name.casefold(), character.name, character.id


def visible(characters: Sequence[CharacterLike], query: str) -> list[CharacterLike]:
    """Sorted, and filtered by a case-insensitive substring of the name."""
    q = query.strip().casefold()
    chosen = [c for c in characters if q in c.name.casefold()] if q else list(characters)
    return sorted(chosen, key=sort_key)


def _message(error: BaseException) -> str:
    text = str(error).strip()
    return text or type(error).__name__


def characters_screen(ctx: Ctx, actions: CharacterActions) -> Any:
    """The list screen over ``actions.records``, the live list of every character."""
    from app.reactive import derived, writable

    dom = ctx.dom
    records = actions.records
    query = writable("")
    error = writable("")
    shown = derived([records, query], lambda vs: visible(vs[0], vs[1]))
    refs: dict[str, Any] = {}

    def status(vs: Sequence[Any]) -> str:
        total, matching, q = len(vs[0]), len(vs[1]), vs[2].strip()
        if not total:
            return "No characters yet. Create the first one above."
        if q:
            if not matching:
                return f"No character matches “{q}”."
            return f"{matching} of {total} characters match “{q}”."
        return "1 character" if total == 1 else f"{total} characters"

    async def guarded(action: Callable[[], Any]) -> bool:
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
    refs["new"] = new_name

    async def create(event: Any) -> None:
        name = str(dom.get_prop(new_name, "value")).strip()
        if not name:
            error.set("A character needs a name.")
            dom.call(new_name, "focus")
            return
        if await guarded(lambda: actions.create(name)):
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
    search = ctx.el(
        "input",
        {"id": "character-search", "type": "search", "autocomplete": "off", ".value": query},
        on={"input": lambda ev: query.set(str(dom.get_prop(search, "value")))},
    )
    refs["search"] = search
    search_box = ctx.el(
        "div",
        {"class": "search", "role": "search"},
        ctx.el("label", {"for": "character-search"}, "Search characters"),
        search,
    )

    # -- list ------------------------------------------------------------------------------
    listing = ctx.el("ul", {"class": "character-list", "aria-label": "Characters"})

    def row(rctx: Ctx, character: CharacterLike) -> Row[CharacterLike]:
        return _character_row(rctx, character, actions, guarded, refs)

    ctx.each(listing, shown, key=lambda c: c.id, render=row)

    return ctx.el(
        "section",
        {"class": "screen characters", "aria-labelledby": "screen-title"},
        ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, "Characters"),
        create_form,
        search_box,
        ctx.el(
            "p",
            {"class": "error", "role": "alert", "hidden": derived(error, lambda e: not e)},
            error,
        ),
        ctx.el(
            "p", {"class": "status", "role": "status"}, derived([records, shown, query], status)
        ),
        listing,
    )


def _character_row(
    ctx: Ctx,
    character: CharacterLike,
    actions: CharacterActions,
    guarded: Callable[[Callable[[], Any]], Any],
    refs: dict[str, Any],
) -> Row[CharacterLike]:
    from app.reactive import derived, get, writable

    dom = ctx.dom
    cid = character.id
    name = writable(character.name)
    mode = writable("view")
    own: dict[str, Any] = {}
    li = ctx.el("li", {"class": "character", "data-id": cid})

    def show(next_mode: str, focus: str) -> None:
        mode.set(next_mode)
        node = own.get(focus)
        if node is not None:
            dom.call(node, "focus")
            if focus == "field":
                dom.call(node, "select")

    def on_escape(back: Callable[[], None]) -> Callable[[Any], None]:
        def handler(event: Any) -> None:
            if event.key == "Escape":
                event.preventDefault()
                back()

        return handler

    def view(c: Ctx) -> Any:
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
            c.el("a", {"class": "name", "href": href("character", id=cid)}, name),
            c.el("div", {"class": "actions"}, own["rename"], own["delete"]),
        )

    def rename(c: Ctx) -> Any:
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

        async def save(event: Any) -> None:
            value = str(dom.get_prop(field, "value")).strip()
            if not value:
                dom.call(field, "focus")
                return
            if value == get(name) or await guarded(lambda: actions.rename(cid, value)):
                if value != get(name):
                    name.set(value)
                show("view", "rename")

        return c.el(
            "form",
            {"class": "row-rename", "aria-label": derived(name, lambda n: f"Rename {n}")},
            c.el("label", {"for": field_id}, "New name"),
            c.el(
                "div",
                {"class": "field-row"},
                field,
                c.el("button", {"type": "submit", "class": "primary"}, "Save"),
                c.el(
                    "button",
                    {"type": "button"},
                    "Cancel",
                    on={"click": lambda ev: show("view", "rename")},
                ),
            ),
            on={
                "submit": prevent_default(save),
                "keydown": on_escape(lambda: show("view", "rename")),
            },
        )

    def confirm(c: Ctx) -> Any:
        question_id = f"confirm-{cid}"

        async def really_delete(event: Any) -> None:
            if await guarded(lambda: actions.delete(cid)):
                dom.call(refs["search"], "focus")

        own["cancel"] = c.el(
            "button",
            {"type": "button"},
            "Cancel",
            on={"click": lambda ev: show("view", "delete")},
        )
        return c.el(
            "div",
            {"class": "row-confirm", "role": "alertdialog", "aria-labelledby": question_id},
            c.el("p", {"id": question_id}, "Delete “", name, "”? This cannot be undone."),
            c.el(
                "div",
                {"class": "actions"},
                c.el(
                    "button",
                    {"type": "button", "class": "danger"},
                    "Delete",
                    on={"click": really_delete},
                ),
                own["cancel"],
            ),
            on={"keydown": on_escape(lambda: show("view", "delete"))},
        )

    renderers = {"view": view, "rename": rename, "confirm": confirm}
    ctx.switch(li, mode, lambda c, m: renderers[m](c))
    return Row(li, lambda new: name.set(new.name))


def character_screen(
    ctx: Ctx, character_id: str, records: Readable[Sequence[CharacterLike]]
) -> Any:
    """One character (``#/characters/<id>``)."""
    from app.reactive import derived

    found = derived(records, lambda cs: next((c for c in cs if c.id == character_id), None))
    title = derived(found, lambda c: c.name if c is not None else "Character not found")
    return ctx.el(
        "section",
        {"class": "screen character", "aria-labelledby": "screen-title"},
        ctx.el("p", None, ctx.el("a", {"href": href("characters")}, "← All characters")),
        ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, title),
        ctx.el(
            "p",
            {"class": "muted", "hidden": derived(found, lambda c: c is not None)},
            "It may have been deleted.",
        ),
    )
