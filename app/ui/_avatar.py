"""An avatar picker: the picture with alt text, a file input "Avatar image" to pick or
replace it, and "Remove avatar". Pictures are kept as ``data:`` URLs (see
``_image_file``); a file that is not an image is refused in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.reactive import Subscribable, Writable, derived, get, writable

from ._context import Ctx
from ._dom import Event, Node
from ._image_file import ImageError, picked_file, read_image

__all__ = ["ACCEPT", "AvatarPicker"]

ACCEPT = "image/png,image/jpeg,image/webp,image/gif,image/avif"


class AvatarPicker:
    """``thumbnail`` (the ``img``) and ``node`` (the controls) go where the page wants
    them; ``changed(url_or_none)`` is called after a pick or a removal, ``error`` gets
    the words when a file is refused. ``follow(url)`` shows a stored change."""

    def __init__(
        self,
        ctx: Ctx,
        *,
        id: str,
        url: str | None,
        name: Subscribable[str],
        changed: Callable[[str | None], Any],
        error: Writable[str],
    ) -> None:
        self.ctx = ctx
        self.url = writable(url)
        self._changed = changed
        dom = ctx.dom
        #: Where the picture shows (an ``img`` only while there is one).
        self.thumbnail = ctx.el("span", {"class": "avatar-holder"})

        def picture(c: Ctx, url: str | None) -> Node | None:
            if not url:
                return None
            return c.el(
                "img",
                {
                    "class": "avatar",
                    "src": url,
                    "alt": derived(name, lambda n: f"Avatar of {n}"),
                    "width": "96",
                    "height": "96",
                },
            )

        ctx.switch(self.thumbnail, self.url, picture)
        self.picker = picker = ctx.el("input", {"id": id, "type": "file", "accept": ACCEPT})

        async def picked(event: Event) -> None:
            file = picked_file(dom.get_prop(picker, "files"))
            if file is None:
                return
            try:
                data = await read_image(file)
            except ImageError as problem:
                error.set(str(problem))
                return
            error.set("")
            self.url.set(data)
            changed(data)
            dom.set_prop(picker, "value", "")

        ctx.on(picker, "change", picked)
        remove = ctx.el(
            "button",
            {"type": "button", "hidden": derived(self.url, lambda u: not u)},
            "Remove avatar",
            on={"click": lambda ev: self.remove()},
        )
        self.node = ctx.el(
            "div",
            {"class": "field avatar-field"},
            ctx.el("label", {"for": id}, "Avatar image"),
            ctx.el(
                "p",
                {"class": "hint"},
                "PNG, JPEG, WebP, GIF or AVIF; large pictures are scaled down.",
            ),
            picker,
            remove,
        )

    def remove(self) -> None:
        self.url.set(None)
        self._changed(None)
        self.ctx.dom.call(self.picker, "focus")

    def follow(self, url: str | None) -> None:
        if url != get(self.url):
            self.url.set(url)
