"""A story screen whose story is never there: shows "Not found" itself (test_outlet.py)."""

from __future__ import annotations

from app.ui import Ctx, Node, Page, not_found


def render(ctx: Ctx, page: Page) -> Node:
    back = page.href("series_list")
    return not_found(ctx, page.match.address, back, "Back to Stories", "story")
