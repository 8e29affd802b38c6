"""A page about one record that the page itself looks up (a series, a story, a chapter).

The heading is there from the first paint (so focus lands on it after a navigation) and
follows the record's name; below it the page shows "Loading…" for an instant, then the
record's content, or — when there is no such record, or it is deleted while shown, here
or in another tab — the "Not found" message naming the address, with a link back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from app.reactive import Readable, Subscribable, derived
from app.state import Lookup

from ._context import Ctx
from ._dom import Node
from ._not_found import NOT_FOUND_TITLE, not_found_message
from ._page import Page

__all__ = ["record_page", "record_title"]

T = TypeVar("T")


def record_title(
    lookup: Subscribable[Lookup[T]], name: Callable[[T], str], loading: str
) -> Readable[str]:
    """The page's title: the record's name, "Not found", or ``loading`` meanwhile."""

    def title(found: Lookup[T]) -> str:
        if not found.loaded:
            return loading
        return NOT_FOUND_TITLE if found.record is None else name(found.record)

    return derived(lookup, title)


def _phase(found: Lookup[Any]) -> str:
    if not found.loaded:
        return "loading"
    return "missing" if found.record is None else "found"


def record_page(
    ctx: Ctx,
    page: Page,
    lookup: Readable[Lookup[T]],
    *,
    noun: str,
    name: Callable[[T], str],
    back: tuple[str, str],
    body: Callable[[Ctx, Readable[T]], Node],
    css: str,
    before_heading: Node | None = None,
) -> Node:
    """The section: heading, then loading / not found / ``body(ctx, record store)``."""
    holder = ctx.el("div", {"class": "record-body"})
    record: Readable[T] = derived(lookup, lambda found: found.record)

    def view(c: Ctx, phase: str) -> Node:
        if phase == "found":
            return body(c, record)
        if phase == "missing":
            back_href, back_label = back
            return not_found_message(c, page.match.address, back_href, back_label, noun)
        return c.el("p", {"class": "loading", "role": "status"}, "Loading…")

    ctx.switch(holder, derived(lookup, _phase), view)
    return ctx.el(
        "section",
        {"class": f"screen {css}", "aria-labelledby": "screen-title"},
        before_heading,
        ctx.el(
            "h1",
            {"id": "screen-title", "tabindex": "-1"},
            record_title(lookup, name, ""),
        ),
        holder,
    )
