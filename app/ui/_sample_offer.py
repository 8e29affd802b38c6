"""The sample library offered to a new user: one click on an empty Characters screen.

Shown while ``shown`` is true (the screen passes "the library has no characters"); the
Library page offers it too, and removes it.
"""

from __future__ import annotations

from app.reactive import Subscribable, derived, writable

from ._context import Ctx
from ._dom import Event, Node
from ._guard import alert_text
from ._state import UiState

__all__ = ["sample_offer"]


def sample_offer(ctx: Ctx, state: UiState, shown: Subscribable[bool], library_href: str) -> Node:
    busy = writable(False)
    error = writable("")

    async def add(event: Event) -> None:
        busy.set(True)
        error.set("")
        try:
            await state.add_sample_library()
        except Exception as exc:
            error.set(f"The sample library was not added: {str(exc).strip() or type(exc).__name__}")
        finally:
            busy.set(False)

    return ctx.el(
        "div",
        {
            "class": "sample-offer",
            "hidden": derived(shown, lambda s: not s),
        },
        ctx.el("h2", None, "New here?"),
        ctx.el(
            "p",
            None,
            "Add a small sample library to try every screen in a minute: Wren Ashdown, a "
            "cartographer with her lorebook and a chat, and a series with a story, chapters "
            "and lore at every level. You can remove it from the ",
            ctx.el("a", {"href": library_href}, "Library"),
            " page.",
        ),
        ctx.el(
            "button",
            {"type": "button", "class": "primary", "disabled": busy},
            "Add sample library",
            on={"click": add},
        ),
        alert_text(ctx, error, tag="div"),
    )
