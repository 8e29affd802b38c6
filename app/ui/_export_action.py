"""The export action: a button that builds a file and hands it to the browser's download.

    export_action(ctx, "Export story", lambda: page.state.files.exports.story(story_id))

While the file is built the button is disabled and a named progress bar shows; then a
status names the saved file, or an alert says what went wrong. Any screen can place one
(a story, a series, a chat, a character's card): the export code is imported on click.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from app.reactive import derived, writable

from ._context import AttrValue, Ctx
from ._dom import Event, Node
from ._guard import alert_text

if TYPE_CHECKING:
    from app.domain.downloads import Download

__all__ = ["export_action"]

Make = Callable[[], Awaitable["Download"]]


def export_action(
    ctx: Ctx,
    label: str,
    make: Make,
    *,
    busy_label: str | None = None,
    name: str | None = None,
) -> Node:
    """A button named ``name`` (default ``label``) that downloads what ``make`` builds."""
    dom = ctx.dom
    busy = writable(False)
    saved = writable("")
    error = writable("")
    working = busy_label or f"{label}…"

    async def run(event: Event) -> None:
        busy.set(True)
        saved.set("")
        error.set("")
        try:
            file = await make()
            dom.download(file.filename, file.mime, file.data)
        except Exception as exc:
            text = str(exc).strip() or type(exc).__name__
            error.set(f"{label} failed: {text}")
        else:
            saved.set(f"Saved {file.filename}")
        finally:
            busy.set(False)

    attrs: dict[str, AttrValue] = {"type": "button", "disabled": busy}
    if name is not None and name != label:
        attrs["aria-label"] = name
    button = ctx.el("button", attrs, label, on={"click": run})
    return ctx.el(
        "div",
        {"class": "export-action"},
        button,
        ctx.el(
            "progress",
            {"aria-label": working, "hidden": derived(busy, lambda b: not b)},
        ),
        ctx.el(
            "p",
            {"class": "status", "role": "status", "hidden": derived(saved, lambda t: not t)},
            saved,
        ),
        alert_text(ctx, error),
    )
