"""Export a character card: a "Card format" choice and the "Export card" button.

    card_export(ctx, page.state, character_id)      # on the character editor's header

PNG cards embed the card in the avatar. An avatar that is not a PNG (a JPEG, a WebP) is
redrawn as a PNG in the browser first (a card can only travel inside a PNG); without an
avatar the card gets a generated portrait.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, cast

from app.reactive import get, writable

from ._context import Ctx
from ._dom import Node
from ._export_action import export_action
from ._state import UiState

if TYPE_CHECKING:
    from app.domain.cards import CardSpec
    from app.domain.downloads import Download

__all__ = ["CARD_FORMATS", "card_download", "card_export", "png_of"]

#: value -> (label, spec, png)
CARD_FORMATS: dict[str, tuple[str, str, bool]] = {
    "ccv3-png": ("Character Card V3, PNG", "ccv3", True),
    "ccv2-png": ("Character Card V2, PNG", "ccv2", True),
    "ccv3-json": ("Character Card V3, JSON", "ccv3", False),
    "ccv2-json": ("Character Card V2, JSON", "ccv2", False),
}


async def png_of(avatar: str | None) -> bytes | None:
    """The avatar as PNG bytes: as it is when it is a PNG; redrawn through a canvas in
    the browser when it is another image; None when there is none (or in CPython)."""
    from app.domain.cards import avatar_png, parse_data_url

    if not avatar:
        return None
    direct = avatar_png(avatar)
    if direct is not None or "pyodide" not in sys.modules:  # only a browser can redraw
        return direct
    parsed = parse_data_url(avatar)
    if parsed is None or not parsed[0].startswith("image/"):
        return None
    return await _redraw_as_png(parsed[0], parsed[1])


async def _redraw_as_png(mime: str, data: bytes) -> bytes | None:  # pragma: no cover - browser
    import js
    from pyodide.ffi import to_js

    options = to_js({"type": mime}, dict_converter=js.Object.fromEntries)
    blob = js.Blob.new(to_js([to_js(data)]), options)
    try:
        bitmap = await js.createImageBitmap(blob)
    except Exception:
        return None
    try:
        canvas = js.OffscreenCanvas.new(bitmap.width, bitmap.height)
        canvas.getContext("2d").drawImage(bitmap, 0, 0)
        png = await canvas.convertToBlob(
            to_js({"type": "image/png"}, dict_converter=js.Object.fromEntries)
        )
        return bytes((await png.arrayBuffer()).to_bytes())
    finally:
        bitmap.close()


async def card_download(state: UiState, character_id: str, format: str) -> Download:
    """The card of ``character_id`` in one of ``CARD_FORMATS``."""
    _, spec, png = CARD_FORMATS[format]
    files = state.files
    image = None
    if png:
        character = await files.domain.characters.require(character_id)
        image = await png_of(character.avatar)
    return await files.exports.card(character_id, cast("CardSpec", spec), png=png, image=image)


def card_export(ctx: Ctx, state: UiState, character_id: str, *, id_prefix: str = "card") -> Node:
    """A "Card format" select and an "Export card" button for one character."""
    dom = ctx.dom
    chosen = writable("ccv3-png")
    select = ctx.el(
        "select",
        {"id": f"{id_prefix}-format"},
        *[
            ctx.el("option", {"value": value}, label)
            for value, (label, _, _) in CARD_FORMATS.items()
        ],
        on={"change": lambda e: chosen.set(str(dom.get_prop(select, "value")))},
    )
    return ctx.el(
        "div",
        {"class": "card-export field-row"},
        ctx.el("label", {"for": f"{id_prefix}-format"}, "Card format"),
        select,
        export_action(
            ctx,
            "Export card",
            lambda: card_download(state, character_id, get(chosen)),
            busy_label="Exporting the card",
        ),
    )
