"""The page of a screen a later issue builds: its title and "not built yet"."""

from __future__ import annotations

from app.ui import Ctx, Node, Page

__all__ = ["render"]


def render(ctx: Ctx, page: Page) -> Node:
    return ctx.el(
        "section",
        {"class": "screen", "aria-labelledby": "screen-title"},
        ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, page.title()),
        ctx.el("p", {"class": "muted"}, "This screen is not built yet."),
    )
