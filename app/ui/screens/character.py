"""One character (``#/characters/{id}``); the page opens ``Level.CHARACTER`` for it."""

from __future__ import annotations

from app.reactive import derived
from app.ui import CharacterRecord, Ctx, Node, Page

__all__ = ["render"]


def render(ctx: Ctx, page: Page) -> Node:
    def name(character: CharacterRecord | None) -> str:
        return character.name if character is not None else ""

    return ctx.el(
        "section",
        {"class": "screen character-page", "aria-labelledby": "screen-title"},
        ctx.el(
            "p",
            {"class": "back"},
            ctx.el(
                "a",
                {"href": page.href("characters")},
                ctx.el("span", {"aria-hidden": "true"}, "← "),
                "All characters",
            ),
        ),
        ctx.el(
            "h1",
            {"id": "screen-title", "tabindex": "-1"},
            derived(page.state.active_character, name),
        ),
    )
