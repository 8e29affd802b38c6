"""The Library screen (``#/library``): import any file the app takes, export as files,
and the sample library.

Import: the file input "Import file" (or a file dropped anywhere) reads the file and
shows what it holds — counts per kind, the book's name, warnings — with the choices: the
scope a lorebook goes to (global unless chosen; ``#/library?level=story&scope_id=…``
preselects one) and what to do with records already in the library. The import runs
in one transaction with a progress bar and "Cancel import"; a bad file names the record
that is wrong and writes nothing.

Export: "Export everything" (API keys only with "Include API keys"), "Export lorebook"
(a scope, in Lorekeeper's, SillyTavern's or the V3 lorebook format), one story, series or
chat, and a character's card. Every export is a download named ``lorekeeper-….json``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

from app.reactive import Subscribable, Writable, derived, get, writable
from app.ui import Ctx, Event, Node, Page
from app.ui._card_export import CARD_FORMATS, card_download
from app.ui._confirm import confirm_box
from app.ui._export_action import export_action
from app.ui._guard import alert_text
from app.ui._import_flow import ImportFlow, file_list, scope_key, scope_of
from app.ui._import_panel import import_panel

if TYPE_CHECKING:
    from app.domain.downloads import Download, LorebookFormat
    from app.domain.files import ScopeOption

__all__ = ["ACCEPT", "render"]

log = logging.getLogger("app.ui")

#: What the file input offers (any file can still be chosen or dropped).
ACCEPT = ".json,.png,.lorebook,application/json,image/png"


def _background(ctx: Ctx, work: Callable[[], Awaitable[None]]) -> None:
    """Run ``work`` now, cancelled if the page goes first; failures are logged."""

    async def run() -> None:
        try:
            await work()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("loading the library page failed")

    task = asyncio.ensure_future(run())
    ctx.scope.on_dispose(task.cancel)


def _options(ctx: Ctx, options: list[tuple[str, str]]) -> list[Node]:
    return [ctx.el("option", {"value": value}, label) for value, label in options]


def _select(
    ctx: Ctx,
    id: str,
    label: str,
    options: Subscribable[list[tuple[str, str]]],
    chosen: Writable[str],
) -> Node:
    """A labelled select whose options follow ``options`` and whose value is ``chosen``."""
    dom = ctx.dom
    select = ctx.el("select", {"id": id})

    def fill(values: list[tuple[str, str]]) -> None:
        while (child := dom.query(select, "option")) is not None:
            dom.remove(child)
        for node in _options(ctx, values):
            dom.insert(select, node)
        keys = [v for v, _ in values]
        if keys and get(chosen) not in keys:
            chosen.set(keys[0])
        dom.set_prop(select, "value", get(chosen))

    ctx.watch(options, fill)
    ctx.on(select, "change", lambda e: chosen.set(str(dom.get_prop(select, "value"))))
    return ctx.el("div", {"class": "field"}, ctx.el("label", {"for": id}, label), select)


def render(ctx: Ctx, page: Page) -> Node:
    state = page.state
    dom = ctx.dom
    level, scope_id = page.query.get("level", ""), page.query.get("scope_id", "")
    flow = ImportFlow(state, preferred_scope=scope_key(level, scope_id or None))
    scopes: Writable[list[ScopeOption]] = writable([])
    sample_present: Writable[bool | None] = writable(None)

    async def reload() -> None:
        scopes.set(await state.files.scopes())
        sample_present.set(await state.files.sample.present())

    _background(ctx, reload)

    def after_import(phase: str) -> None:
        if phase == "done":
            _background(ctx, reload)

    ctx.watch(flow.phase, after_import)

    # -- import ---------------------------------------------------------------------------
    file_input = ctx.el(
        "input",
        {
            "id": "library-file",
            "type": "file",
            "accept": ACCEPT,
            "aria-describedby": "library-kinds",
        },
    )

    async def chosen(event: Event) -> None:
        files = file_list(dom.get_prop(file_input, "files"))
        if not files:
            return
        if get(flow.phase) == "importing":
            return
        await flow.open(files[0])
        dom.set_prop(file_input, "value", "")  # the same file can be chosen again

    ctx.on(file_input, "change", chosen)

    def choose_again() -> None:
        flow.reset()
        dom.call(file_input, "focus")

    import_section = ctx.el(
        "section",
        {"class": "library-import", "aria-labelledby": "library-import-title"},
        ctx.el("h2", {"id": "library-import-title"}, "Import"),
        ctx.el(
            "p",
            {"id": "library-kinds", "class": "muted"},
            "Lorekeeper backups and exports, Character Card V2/V3 (JSON or PNG), SillyTavern "
            "world info, lorebook_v3, NovelAI and Agnai lorebooks. You can also drop a file "
            "anywhere on the page. Nothing is written until you choose Import.",
        ),
        ctx.el("label", {"for": "library-file"}, "Import file"),
        file_input,
        import_panel(ctx, flow, page.router, on_again=choose_again, id_prefix="library-import"),
    )

    # -- export ---------------------------------------------------------------------------
    include_keys = ctx.el("input", {"id": "library-keys", "type": "checkbox"})

    def everything() -> Awaitable[Download]:
        with_keys = bool(dom.get_prop(include_keys, "checked"))
        return state.files.exports.everything(include_api_keys=with_keys)

    lorebook_scope = writable("global")
    lorebook_format = writable("lorekeeper")
    lorebook_scopes = derived(
        scopes,
        lambda all_: (
            [(scope_key(o.scope.level, o.scope.scope_id), o.label) for o in all_]
            or [("global", "Global")]
        ),
    )

    def formats_for(key: str) -> list[tuple[str, str]]:
        from app.domain.downloads import LOREBOOK_FORMATS

        return [
            (value, label)
            for value, label in LOREBOOK_FORMATS.items()
            if key == "global" or value != "lorekeeper"
        ]

    lorebook_formats = derived(lorebook_scope, formats_for)

    def lorebook() -> Awaitable[Download]:
        chosen = get(lorebook_format)
        if chosen not in ("lorekeeper", "st", "lorebook_v3"):
            chosen = "st"
        scope = scope_of(get(lorebook_scope))
        return state.files.exports.lorebook(scope, cast("LorebookFormat", chosen))

    record_key = writable("")
    records = derived(
        scopes,
        lambda all_: [
            (scope_key(o.scope.level, o.scope.scope_id), o.label)
            for o in all_
            if o.scope.level in ("series", "story", "chat")
        ],
    )

    def one_record() -> Awaitable[Download]:
        level, _, record_id = get(record_key).partition(":")
        exports = state.files.exports
        if level == "series":
            return exports.series(record_id)
        if level == "story":
            return exports.story(record_id)
        if level == "chat":
            return exports.chat(record_id)
        raise ValueError("Choose a story, series or chat to export.")

    card_character = writable("")
    card_format = writable("ccv3-png")
    characters = derived(
        scopes,
        lambda all_: [
            (o.scope.scope_id or "", o.label.removeprefix("Character: "))
            for o in all_
            if o.scope.level == "character"
        ],
    )

    def card() -> Awaitable[Download]:
        if not get(card_character):
            raise ValueError("Choose a character.")
        return card_download(state, get(card_character), get(card_format))

    has = {
        "records": derived(records, bool),
        "characters": derived(characters, bool),
    }

    export_section = ctx.el(
        "section",
        {"class": "library-export", "aria-labelledby": "library-export-title"},
        ctx.el("h2", {"id": "library-export-title"}, "Export"),
        ctx.el(
            "div",
            {"class": "export-group"},
            ctx.el("h3", None, "Everything"),
            ctx.el(
                "div",
                {"class": "check"},
                include_keys,
                ctx.el("label", {"for": "library-keys"}, "Include API keys"),
            ),
            ctx.el(
                "p",
                {"class": "muted"},
                "A full backup of this library. API keys stay out unless you tick the box.",
            ),
            export_action(ctx, "Export everything", everything, busy_label="Exporting everything"),
        ),
        ctx.el(
            "div",
            {"class": "export-group"},
            ctx.el("h3", None, "A lorebook"),
            _select(ctx, "library-lorebook", "Lorebook", lorebook_scopes, lorebook_scope),
            _select(ctx, "library-lorebook-format", "Format", lorebook_formats, lorebook_format),
            export_action(ctx, "Export lorebook", lorebook, busy_label="Exporting the lorebook"),
        ),
        ctx.el(
            "div",
            {"class": "export-group", "hidden": derived(has["records"], lambda h: not h)},
            ctx.el("h3", None, "A story, series or chat"),
            _select(ctx, "library-record", "Story, series or chat", records, record_key),
            export_action(ctx, "Export story, series or chat", one_record, busy_label="Exporting"),
        ),
        ctx.el(
            "div",
            {"class": "export-group", "hidden": derived(has["characters"], lambda h: not h)},
            ctx.el("h3", None, "A character card"),
            _select(ctx, "library-card-character", "Character", characters, card_character),
            _select(
                ctx,
                "library-card-format",
                "Card format",
                writable([(v, label) for v, (label, _, _) in CARD_FORMATS.items()]),
                card_format,
            ),
            export_action(ctx, "Export card", card, busy_label="Exporting the card"),
        ),
    )

    return ctx.el(
        "section",
        {"class": "screen library", "aria-labelledby": "screen-title"},
        ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, "Library"),
        import_section,
        export_section,
        _sample_section(ctx, page, sample_present, lambda: _background(ctx, reload)),
    )


def _sample_section(
    ctx: Ctx, page: Page, present: Writable[bool | None], reload: Callable[[], None]
) -> Node:
    """Offer the sample library, or its removal (asking first)."""
    state = page.state
    dom = ctx.dom
    mode = writable("view")
    message = writable("")
    error = writable("")
    own: dict[str, Node] = {}

    async def guarded(action: Callable[[], Awaitable[Any]], done: str) -> None:
        error.set("")
        try:
            await action()
        except Exception as exc:
            error.set(str(exc).strip() or type(exc).__name__)
            return
        message.set(done)
        mode.set("view")
        present.set(None)
        reload()

    async def add(event: Event) -> None:
        await guarded(state.add_sample_library, "The sample library was added.")

    async def remove(event: Event) -> None:
        await guarded(state.remove_sample_library, "The sample library was removed.")

    def view(c: Ctx, values: list[Any]) -> Node | None:
        shown, current = values
        if current == "confirm":
            box = confirm_box(
                c,
                "Remove the sample library? Its character, chat, series, story and entries "
                "go, with anything you added inside them.",
                on_confirm=remove,
                on_cancel=lambda: mode.set("view"),
                action="Remove",
            )
            own["cancel"] = box.cancel
            return box.node
        if shown is None:
            return c.el("p", {"class": "muted"}, "Checking for the sample library…")
        if shown:
            own["remove"] = c.el(
                "button",
                {"type": "button"},
                "Remove sample library",
                on={"click": lambda e: mode.set("confirm")},
            )
            return c.el(
                "div",
                None,
                c.el("p", None, "The sample library is in your library."),
                own["remove"],
            )
        return c.el(
            "div",
            None,
            c.el(
                "p",
                None,
                "A small library we wrote to try every screen in a minute: Wren Ashdown, a "
                "cartographer with her lorebook and a chat, and The Lantern Coast, a series "
                "with a story, chapters and lore at global, series and story level.",
            ),
            c.el(
                "button",
                {"type": "button", "class": "primary"},
                "Add sample library",
                on={"click": add},
            ),
        )

    body = ctx.el("div", {"class": "sample-body"})

    def focus(values: list[Any], node: Node | None) -> None:
        target = own.get("cancel") if values[1] == "confirm" else None
        if target is not None:
            dom.call(target, "focus")

    ctx.switch(
        body,
        derived([present, mode], lambda v: v),
        view,
        key=lambda v: (v[0], v[1]),
        after=focus,
    )
    return ctx.el(
        "section",
        {"class": "library-sample", "aria-labelledby": "library-sample-title"},
        ctx.el("h2", {"id": "library-sample-title"}, "Sample library"),
        body,
        ctx.el("p", {"class": "status", "role": "status"}, message),
        alert_text(ctx, error),
    )
