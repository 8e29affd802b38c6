"""The app shell: skip link, brand and main navigation, ``<main>`` holding the page, and
the drop zone (a file dropped anywhere opens the import dialog)."""

from __future__ import annotations

from collections.abc import Sequence

from ._context import Ctx
from ._dom import Event, Node
from ._drop_zone import drop_zone
from ._handlers import prevent_default
from ._navigation import navigation
from ._outlet import APP_NAME, Outlet
from ._router import Router
from ._screen import Screen
from ._theme import theme_of

__all__ = ["SKIP_LINK", "shell"]

SKIP_LINK = "Skip to content"


def shell(ctx: Ctx, router: Router, outlet: Outlet, screens: Sequence[Screen]) -> Node:
    """The whole page: the outlet renders the current location's page into ``<main>``."""
    dom = ctx.dom
    main = ctx.el("main", {"id": "main", "tabindex": "-1"})

    def skip(event: Event) -> None:
        # The hash is the router's: move focus instead of following "#main".
        dom.call(main, "focus")

    ctx.switch(
        main,
        router.current,
        outlet.render,
        key=lambda m: m.key,
        after=lambda m, node: outlet.focus_heading(node),
    )
    return ctx.el(
        "div",
        {"class": "shell", "data-theme": theme_of(outlet.state.settings)},
        ctx.el(
            "a",
            {"class": "skip-link", "href": "#main"},
            SKIP_LINK,
            on={"click": prevent_default(skip)},
        ),
        ctx.el(
            "header",
            {"class": "topbar"},
            ctx.el("a", {"class": "brand", "href": screens[0].route.href()}, APP_NAME),
            navigation(ctx, screens, router),
        ),
        main,
        drop_zone(ctx, outlet.state, router),
    )
