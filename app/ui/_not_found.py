"""The "Not found" page: an unknown address, or a record that does not exist (any more)."""

from __future__ import annotations

from ._context import Ctx
from ._dom import Node

__all__ = ["NOT_FOUND_TITLE", "not_found", "not_found_message"]

NOT_FOUND_TITLE = "Not found"


def not_found(ctx: Ctx, address: str, back_href: str, back_label: str, noun: str = "") -> Node:
    """Names the address; ``noun`` ("character") says a record of that kind is missing."""
    return ctx.el(
        "section",
        {"class": "screen not-found", "aria-labelledby": "screen-title"},
        ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, NOT_FOUND_TITLE),
        not_found_message(ctx, address, back_href, back_label, noun),
    )


def not_found_message(
    ctx: Ctx, address: str, back_href: str, back_label: str, noun: str = ""
) -> Node:
    """What the page says under its "Not found" heading (for a page that keeps its own
    heading while its record is looked up)."""
    if noun:
        what = ctx.el(
            "p",
            None,
            f"There is no {noun} at ",
            ctx.el("code", None, address),
            ". It may have been deleted.",
        )
    else:
        what = ctx.el("p", None, "Nothing lives at ", ctx.el("code", None, address), ".")
    return ctx.el(
        "div",
        {"class": "not-found-message"},
        what,
        ctx.el("p", None, ctx.el("a", {"href": back_href}, back_label)),
    )
