"""The main navigation, derived from the screen table: one link per screen with ``nav``."""

from __future__ import annotations

from collections.abc import Sequence

from app.reactive import derived

from ._context import Ctx
from ._dom import Node
from ._route import Match
from ._router import Router
from ._screen import Screen

__all__ = ["current_marker", "navigation"]


def current_marker(screens: Sequence[Screen], link: Screen, m: Match) -> str | None:
    """``aria-current`` of ``link`` at ``m``: ``"page"`` on its own page, ``"true"`` on
    another page of its section, else absent."""
    for screen in screens:
        if screen.name == m.name:
            if screen.name == link.name:
                return "page"
            return "true" if screen.section_name == link.name else None
    return None


def navigation(ctx: Ctx, screens: Sequence[Screen], router: Router) -> Node:
    """``<nav aria-label="Main">`` with the table's links, in table order."""
    items = []
    for screen in screens:
        if screen.nav is None:
            continue
        current = derived(router.current, lambda m, s=screen: current_marker(screens, s, m))
        link = ctx.el("a", {"href": screen.route.href(), "aria-current": current}, screen.nav)
        items.append(ctx.el("li", None, link))
    return ctx.el("nav", {"aria-label": "Main"}, ctx.el("ul", None, *items))
