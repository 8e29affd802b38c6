"""The app shell: brand, main navigation, and the outlet where the routed screen lives."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._context import Ctx
from ._router import NOT_FOUND, Match, Router, href

__all__ = ["NAV", "Screen", "not_found_screen", "placeholder_screen", "shell"]

Screen = Callable[[Ctx, Match], Any]

NAV: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("characters", "Characters", frozenset({"characters", "character", "chat"})),
    ("series_list", "Series", frozenset({"series_list", "series", "story"})),
    ("global_lorebook", "Global lorebook", frozenset({"global_lorebook"})),
    ("settings", "Settings", frozenset({"settings"})),
)
"""(route, label, routes under that section) for each navigation link."""


def shell(ctx: Ctx, router: Router, screens: Mapping[str, Screen]) -> Any:
    """Header + nav + ``<main>``; the screen for the current route is rendered into main."""
    from app.reactive import derived

    dom = ctx.dom
    links = []
    for route, label, section in NAV:
        current = derived(router.current, lambda m, s=section: "page" if m.name in s else None)
        links.append(
            ctx.el("li", None, ctx.el("a", {"href": href(route), "aria-current": current}, label))
        )
    main = ctx.el("main", {"id": "main", "tabindex": "-1"})

    def render(c: Ctx, m: Match) -> Any:
        screen = screens.get(m.name) or screens.get(NOT_FOUND) or not_found_screen
        return screen(c, m)

    ctx.switch(main, router.current, render, key=lambda m: m.key)
    first = [True]

    def focus_new_screen(m: Match) -> None:
        # After navigation, move focus to the new screen's heading (announced by screen
        # readers); on first paint leave focus where the browser put it.
        if first[0]:
            first[0] = False
            return
        for node in _headings(dom, main):
            dom.call(node, "focus")
            break

    ctx.watch(router.current, focus_new_screen)
    return ctx.el(
        "div",
        {"class": "shell"},
        ctx.el(
            "header",
            {"class": "topbar"},
            ctx.el("a", {"class": "brand", "href": href("characters")}, "Lorekeeper"),
            ctx.el("nav", {"aria-label": "Main"}, ctx.el("ul", None, *links)),
        ),
        main,
    )


def _headings(dom: Any, main: Any) -> list[Any]:
    try:
        found = dom.call(main, "querySelector", "h1")
        return [] if found is None else [found]
    except Exception:
        return []


def placeholder_screen(title: str) -> Screen:
    """A screen whose route exists but whose content a later issue builds."""

    def screen(ctx: Ctx, m: Match) -> Any:
        return ctx.el(
            "section",
            {"class": "screen", "aria-labelledby": "screen-title"},
            ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, title),
            ctx.el("p", {"class": "muted"}, "This screen is not built yet."),
        )

    return screen


def not_found_screen(ctx: Ctx, m: Match) -> Any:
    return ctx.el(
        "section",
        {"class": "screen not-found", "aria-labelledby": "screen-title"},
        ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, "Page not found"),
        ctx.el("p", None, "Nothing lives at ", ctx.el("code", None, m.path), "."),
        ctx.el("p", None, ctx.el("a", {"href": href("characters")}, "Go to your characters")),
    )
