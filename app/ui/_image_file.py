"""Reading an image the person picked (``<input type="file">``) into a ``data:`` URL.

Avatars are kept as data URLs in the record (they sync and export with it, and show
anywhere with no extra request). A picture larger than ``MAX_SIDE`` pixels on a side is
scaled down in the browser first (an avatar never needs more; a 24-megapixel photo would
bloat every list that shows it). Works on the browser's ``File`` and on any object with
``name``, ``type``, ``size`` and an awaitable ``arrayBuffer()`` (tests).
"""

from __future__ import annotations

import base64
import sys
from typing import Any

__all__ = [
    "IMAGE_TYPES",
    "MAX_BYTES",
    "MAX_SIDE",
    "ImageError",
    "data_url",
    "picked_file",
    "read_image",
]

MAX_SIDE = 1536
MAX_BYTES = 8 * 1024 * 1024
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif", "image/avif")


class ImageError(ValueError):
    """The file cannot be used as an image; the message says why, in words."""


def picked_file(files: Any) -> Any | None:
    """The first file of an input's ``files`` (a ``FileList`` or a list), or None."""
    if files is None:
        return None
    if hasattr(files, "item"):
        return files.item(0) if int(files.length) else None
    return files[0] if len(files) else None


def data_url(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


async def _bytes_of(file: Any) -> bytes:
    buffer = await file.arrayBuffer()
    return bytes(buffer.to_bytes()) if hasattr(buffer, "to_bytes") else bytes(buffer)


async def read_image(file: Any) -> str:
    """The picked image as a data URL (scaled down in the browser when too large)."""
    media_type = str(getattr(file, "type", "") or "")
    name = str(getattr(file, "name", "") or "the file")
    if media_type not in IMAGE_TYPES:
        raise ImageError(f"{name} is not a PNG, JPEG, WebP, GIF or AVIF image.")
    if sys.platform == "emscripten":
        scaled = await _scaled_in_browser(file, media_type)
        if scaled is not None:
            return scaled
    size = int(getattr(file, "size", 0) or 0)
    if size > MAX_BYTES:
        raise ImageError(
            f"{name} is {size / 1e6:.1f} MB; choose an image under {MAX_BYTES // 2**20} MB."
        )
    return data_url(media_type, await _bytes_of(file))


async def _scaled_in_browser(file: Any, media_type: str) -> str | None:
    """A smaller copy when the picture is larger than ``MAX_SIDE``; None to keep it as is."""
    import js
    from pyodide.ffi import to_js

    try:
        bitmap = await js.createImageBitmap(file)
    except Exception as error:
        raise ImageError(
            f"{getattr(file, 'name', 'The file')} could not be read as an image."
        ) from error
    try:
        width, height = int(bitmap.width), int(bitmap.height)
        if max(width, height) <= MAX_SIDE:
            return None
        scale = MAX_SIDE / max(width, height)
        w, h = max(1, round(width * scale)), max(1, round(height * scale))
        canvas = js.OffscreenCanvas.new(w, h)
        canvas.getContext("2d").drawImage(bitmap, 0, 0, w, h)
        out_type = "image/png" if media_type in ("image/png", "image/gif") else "image/jpeg"
        options = to_js({"type": out_type, "quality": 0.9}, dict_converter=js.Object.fromEntries)
        blob = await canvas.convertToBlob(options)
        return data_url(out_type, await _bytes_of(blob))
    finally:
        bitmap.close()
