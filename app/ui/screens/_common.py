"""Small pieces the writing screens share: a back link and counted nouns."""

from __future__ import annotations

from app.ui import Ctx, Node, Page

__all__ = ["LEVEL_NAMES", "back_link", "lorebook_href", "plural"]


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


LEVEL_NAMES = {
    "global": "Global",
    "series": "Series",
    "story": "Story",
    "character": "Character",
    "chat": "Chat",
    "module": "Module",
}
"""How the UI names each lorebook level (headings and badges, as ../shared/UI.md fixes)."""


def lorebook_href(page: Page, level: str, scope_id: str | None, entry_id: str | None = None) -> str:
    """The lorebook screen of a scope, opened at ``entry_id`` when given."""
    if level == "global" or scope_id is None:
        base = page.href("global_lorebook")
    else:
        base = page.href("lorebook", level=level, scope_id=scope_id)
    return f"{base}?entry={entry_id}" if entry_id else base
