"""A throwaway screen for the test that adds one line to the table (see test_table.py)."""

from __future__ import annotations

from app.ui import Ctx, Node, Page


def render(ctx: Ctx, page: Page) -> Node:
    return ctx.el(
        "section",
        {"class": "screen", "aria-labelledby": "screen-title"},
        ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, page.title()),
        ctx.el(
            "p",
            None,
            "Places live here. ",
            ctx.el("a", {"href": page.href("characters")}, "Characters"),
        ),
    )
