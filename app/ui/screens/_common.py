"""Small pieces the writing screens share: a back link, counted nouns, a record's
"Rename"/"Delete" row actions, its page actions and its "Delete" section."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from app.reactive import Subscribable, derived
from app.ui import Ctx, Node, Page
from app.ui._confirm import confirm_button
from app.ui._inline_edit import inline_edit
from app.ui._inspector import LEVEL_NAMES as _LEVEL_NAMES

__all__ = [
    "LEVEL_NAMES",
    "back_link",
    "delete_section",
    "lorebook_href",
    "page_actions",
    "plural",
    "row_actions",
]


def plural(n: int, one: str, many: str) -> str:
    """``plural(1, "story", "stories")`` is "1 story"; 3 gives "3 stories"."""
    return f"{n:,} {one if n == 1 else many}"


def back_link(ctx: Ctx, href: str | Subscribable[str], label: str | Subscribable[str]) -> Node:
    """ "← All stories" above a page's heading (either may follow a store)."""
    return ctx.el(
        "p",
        {"class": "back"},
        ctx.el("a", {"href": href}, ctx.el("span", {"aria-hidden": "true"}, "← "), label),
    )


LEVEL_NAMES = _LEVEL_NAMES
"""How the UI names each lorebook level (headings and badges, as ../shared/UI.md fixes);
the prompt inspector's table (``app.ui._inspector``), kept once."""


def lorebook_href(page: Page, level: str, scope_id: str | None, entry_id: str | None = None) -> str:
    """The lorebook screen of a scope, opened at ``entry_id`` when given."""
    if level == "global" or scope_id is None:
        base = page.href("global_lorebook")
    else:
        base = page.href("lorebook", level=level, scope_id=scope_id)
    return f"{base}?entry={entry_id}" if entry_id else base


def row_actions(
    ctx: Ctx,
    *,
    name: Subscribable[str],
    field_label: str,
    rename: Callable[[str], Awaitable[bool]],
    question: Callable[[str], str],
    delete: Callable[[], Awaitable[object]],
    value: Subscribable[str] | None = None,
    required: bool = True,
) -> Node:
    """A list row's "Rename" (inline, of ``value``: ``name`` unless given) and "Delete"
    (asked ``question(name)`` first), their accessible names saying which row."""
    return ctx.el(
        "div",
        {"class": "actions"},
        inline_edit(
            ctx,
            value=name if value is None else value,
            field_label=field_label,
            button_label=derived(name, lambda n: f"Rename {n}"),
            save=rename,
            required=required,
        ),
        confirm_button(
            ctx,
            text="Delete",
            label=derived(name, lambda n: f"Delete {n}"),
            question=derived(name, question),
            run=delete,
        ),
    )


def page_actions(
    ctx: Ctx,
    *,
    name: Subscribable[str],
    field_label: str,
    button_label: str,
    rename: Callable[[str], Awaitable[bool]],
    lorebook: tuple[str, str],
) -> Node:
    """Under a record's heading: rename it (inline) and a link to its lorebook
    (``(href, text)``)."""
    href, text = lorebook
    return ctx.el(
        "div",
        {"class": "actions page-actions"},
        inline_edit(
            ctx, value=name, field_label=field_label, button_label=button_label, save=rename
        ),
        ctx.el("a", {"href": href}, text),
    )


def delete_section(
    ctx: Ctx,
    *,
    button: str,
    question: Subscribable[str],
    delete: Callable[[], Awaitable[object]],
) -> Node:
    """A record page's last section: "Delete" with its one button (asked first)."""
    return ctx.el(
        "section",
        {"class": "block danger-zone", "aria-labelledby": "delete-heading"},
        ctx.el("h2", {"id": "delete-heading"}, "Delete"),
        confirm_button(ctx, text=button, question=question, run=delete),
    )
