"""Small pieces the writing screens share: a back link and counted nouns."""

from __future__ import annotations

from app.ui import Ctx, Node

__all__ = ["back_link", "plural"]


def plural(n: int, one: str, many: str) -> str:
    """``plural(1, "story", "stories")`` is "1 story"; 3 gives "3 stories"."""
    return f"{n:,} {one if n == 1 else many}"


def back_link(ctx: Ctx, href: str, label: str) -> Node:
    """ "← All stories" above a page's heading."""
    return ctx.el(
        "p",
        {"class": "back"},
        ctx.el("a", {"href": href}, ctx.el("span", {"aria-hidden": "true"}, "← "), label),
    )
