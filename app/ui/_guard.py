"""Guard: an alert region for a screen, and a way to run actions that may fail."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from app.reactive import Subscribable, derived, writable

from ._context import Ctx
from ._dom import Node

__all__ = ["Guard", "alert_text", "message_of"]

T = TypeVar("T")


def message_of(error: BaseException) -> str:
    """A sentence for the person (the domain's errors are written for them)."""
    text = str(error).strip()
    return text or type(error).__name__


def alert_text(ctx: Ctx, message: Subscribable[str], tag: str = "p") -> Node:
    """A ``role="alert"`` element showing ``message``, hidden while it is empty."""
    return ctx.el(
        tag,
        {"class": "error", "role": "alert", "hidden": derived(message, lambda m: not m)},
        message,
    )


class Guard:
    """``node`` is a ``role="alert"`` paragraph, hidden while there is nothing to say;
    ``run(action)`` clears it, runs the action and shows its error if it fails."""

    def __init__(self, ctx: Ctx) -> None:
        self.error = writable("")
        self.node: Node = alert_text(ctx, self.error)

    def fail(self, error: BaseException | str) -> None:
        self.error.set(error if isinstance(error, str) else message_of(error))

    def clear(self) -> None:
        self.error.set("")

    async def run(self, action: Callable[[], Awaitable[T]]) -> tuple[bool, T | None]:
        """``(True, result)``, or ``(False, None)`` once the error is shown."""
        self.error.set("")
        try:
            result = await action()
        except Exception as exc:
            self.fail(exc)
            return False, None
        return True, result
