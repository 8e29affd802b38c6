"""Settings (``#/settings``): theme, matching defaults for lorebooks, and storage — how
much the browser gives the library, keeping it persistent, a warning before it runs
out. Links to Providers and Sync. Every change is saved at once."""

from __future__ import annotations

import asyncio
from typing import Any

from app.domain import AppSettings, InvalidDataError
from app.reactive import Writable, derived, get, writable
from app.ui import Ctx, Event, Node, Page
from app.ui._guard import Guard, alert_text
from app.ui._storage import StorageEstimate, estimate, format_bytes, persist, persisted

__all__ = ["THEMES", "render", "storage_sentence", "storage_warning"]

THEMES = (("system", "Same as the system"), ("light", "Light"), ("dark", "Dark"))


def storage_sentence(found: StorageEstimate | None) -> str:
    if found is None:
        return "This browser does not say how much storage it gives the library."
    if not found.quota:
        return f"The library uses {format_bytes(found.usage)}."
    return (
        f"The library uses {format_bytes(found.usage)} of the {format_bytes(found.quota)} "
        f"this browser allows ({found.share:.0%})."
    )


def storage_warning(found: StorageEstimate | None, warn_percent: int) -> str:
    """A warning once usage passes the threshold (empty otherwise)."""
    if found is None or not found.quota or found.share * 100 < warn_percent:
        return ""
    left = format_bytes(max(0, found.quota - found.usage))
    return (
        f"Storage is {found.share:.0%} full: only {left} left. Export a backup from the "
        "Library and remove what you no longer need before saving fails."
    )


def render(ctx: Ctx, page: Page) -> Node:
    state = page.state
    dom = ctx.dom
    guard = Guard(ctx)
    saved = writable("")
    settings = state.settings

    async def store(key: str, value: Any, label: str = "") -> None:
        guard.clear()
        try:
            await state.set_setting(key, value)
        except InvalidDataError as exc:
            saved.set("")
            detail = "; ".join(e.message for e in exc.errors) or str(exc)
            guard.fail(f"{label or key}: {detail}")
            return
        except Exception as exc:
            saved.set("")
            guard.fail(exc)
            return
        saved.set("Saved")

    def current(key: str) -> Any:
        found: AppSettings | None = get(settings)
        return getattr(found if found is not None else AppSettings(), key)

    # -- theme -------------------------------------------------------------------------------
    radios = []
    for value, label in THEMES:
        rid = f"theme-{value}"
        radio = ctx.el(
            "input",
            {
                "type": "radio",
                "name": "theme",
                "id": rid,
                "value": value,
                ".checked": derived(settings, lambda s, v=value: (s.theme if s else "system") == v),
            },
        )

        def picked(event: Event, v: str = value) -> Any:
            return store("theme", v)

        ctx.on(radio, "change", picked)
        radios.append(
            ctx.el("div", {"class": "field check"}, radio, ctx.el("label", {"for": rid}, label))
        )
    theme = ctx.el("fieldset", {"class": "group"}, ctx.el("legend", None, "Theme"), *radios)

    # -- matching defaults ----------------------------------------------------------------------
    def checkbox(key: str, label: str) -> Node:
        fid = f"setting-{key}"
        box = ctx.el(
            "input",
            {
                "type": "checkbox",
                "id": fid,
                ".checked": derived(settings, lambda s: bool(current(key))),
            },
        )
        ctx.on(box, "change", lambda ev: store(key, bool(dom.get_prop(box, "checked"))))
        return ctx.el("div", {"class": "field check"}, box, ctx.el("label", {"for": fid}, label))

    def number(key: str, label: str, hint: str = "") -> Node:
        fid = f"setting-{key}"
        field = ctx.el(
            "input",
            {
                "type": "number",
                "id": fid,
                "step": "1",
                "min": "0",
                "inputmode": "numeric",
                ".value": derived(settings, lambda s: str(current(key))),
                **({"aria-describedby": f"{fid}-hint"} if hint else {}),
            },
        )

        async def changed(event: Event) -> None:
            raw = str(dom.get_prop(field, "value")).strip()
            try:
                value = int(raw)
            except ValueError:
                guard.fail(f"{label}: needs a whole number")
                return
            await store(key, value, label)

        ctx.on(field, "change", changed)
        return ctx.el(
            "div",
            {"class": "field"},
            ctx.el("label", {"for": fid}, label),
            field,
            ctx.el("p", {"class": "hint", "id": f"{fid}-hint"}, hint) if hint else None,
        )

    matching = ctx.el(
        "fieldset",
        {"class": "group"},
        ctx.el("legend", None, "Lorebook matching defaults"),
        ctx.el(
            "p",
            {"class": "hint"},
            "Entries may override case and whole words. Used when marking mentions in chapters and "
            "when building prompts.",
        ),
        checkbox("lore_case_sensitive", "Case-sensitive keys"),
        checkbox("lore_match_whole_words", "Match whole words only"),
        number(
            "lore_scan_depth",
            "Scan depth (messages)",
            "How many of the latest chat messages are scanned for keys.",
        ),
        number(
            "lore_token_budget",
            "Lore token budget",
            "Most tokens activated entries may take in a prompt.",
        ),
        checkbox("lore_recursive_scanning", "Recursive scanning"),
        number(
            "lore_max_recursion",
            "Recursion steps",
            "How many times activated entries may activate others.",
        ),
    )

    # -- storage --------------------------------------------------------------------------------
    found: Writable[StorageEstimate | None] = writable(None)
    checked = writable(False)
    kept: Writable[bool | None] = writable(None)
    answer = writable("")

    async def refresh() -> None:
        found.set(await estimate(dom))
        kept.set(await persisted(dom))
        checked.set(True)

    async def ask(event: Event) -> None:
        granted = await persist(dom)
        if granted is None:
            answer.set("This browser cannot keep storage persistent.")
        elif granted:
            answer.set("The browser will keep the library even when space runs low.")
        else:
            answer.set(
                "The browser said no for now. It often agrees once the site is installed or "
                "bookmarked; your library is still saved."
            )
        kept.set(await persisted(dom))

    def kept_sentence(value: bool | None) -> str:
        if value is None:
            return ""
        return (
            "Storage is persistent: the browser will not clear the library to free space."
            if value
            else "Storage is not persistent: under pressure the browser may clear it."
        )

    warning = derived(
        [found, settings], lambda vs: storage_warning(vs[0], current("storage_warning_percent"))
    )
    storage = ctx.el(
        "fieldset",
        {"class": "group"},
        ctx.el("legend", None, "Storage"),
        ctx.el(
            "p",
            {"class": "status", "role": "status"},
            derived([found, checked], lambda vs: storage_sentence(vs[0]) if vs[1] else "Checking…"),
        ),
        alert_text(ctx, warning),
        ctx.el("p", None, derived(kept, kept_sentence)),
        ctx.el(
            "button", {"type": "button"}, "Keep my library (persistent storage)", on={"click": ask}
        ),
        ctx.el("p", {"class": "status", "role": "status"}, answer),
        number("storage_warning_percent", "Warn when storage is this full (%)"),
        ctx.el(
            "button", {"type": "button"}, "Check storage again", on={"click": lambda ev: refresh()}
        ),
    )
    first_check = asyncio.ensure_future(refresh())
    ctx.scope.on_dispose(first_check.cancel)

    return ctx.el(
        "section",
        {"class": "screen settings", "aria-labelledby": "screen-title"},
        ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, "Settings"),
        ctx.el(
            "nav",
            {"aria-label": "More settings"},
            ctx.el(
                "ul",
                {"class": "inline-list"},
                ctx.el("li", None, ctx.el("a", {"href": page.href("providers")}, "Providers")),
                ctx.el("li", None, ctx.el("a", {"href": page.href("sync")}, "Sync")),
            ),
        ),
        guard.node,
        ctx.el("p", {"class": "status", "role": "status"}, saved),
        theme,
        matching,
        storage,
    )
