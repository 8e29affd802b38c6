"""The picture a character card gets when its character has no avatar: a portrait-shaped
PNG (the 2:3 shape card sites show) with a head-and-shoulders silhouette, in a colour
chosen from the name, so two exported cards do not look the same."""

from __future__ import annotations

import math
import struct
import zlib

__all__ = ["AVATAR_HEIGHT", "AVATAR_WIDTH", "default_avatar"]

AVATAR_WIDTH = 400
AVATAR_HEIGHT = 600

#: (background, figure) pairs, dark enough behind a light figure to read as a portrait.
_PALETTE: tuple[tuple[tuple[int, int, int], tuple[int, int, int]], ...] = (
    ((0x3B, 0x4A, 0x6B), (0xC9, 0xD3, 0xE6)),
    ((0x5B, 0x3A, 0x5E), (0xE2, 0xCF, 0xE4)),
    ((0x2F, 0x5D, 0x50), (0xC8, 0xE3, 0xDA)),
    ((0x6B, 0x45, 0x2F), (0xEB, 0xD7, 0xC8)),
    ((0x44, 0x44, 0x4C), (0xD8, 0xD8, 0xDE)),
    ((0x2E, 0x4F, 0x6E), (0xC6, 0xDD, 0xF0)),
)


def _colours(name: str) -> tuple[bytes, bytes]:
    index = zlib.crc32(name.encode("utf-8")) % len(_PALETTE)
    background, figure = _PALETTE[index]
    return bytes(background), bytes(figure)


def _span(cx: float, cy: float, rx: float, ry: float, y: float) -> tuple[int, int] | None:
    """Where row `y` crosses the ellipse (cx, cy, rx, ry): [start, end) in pixels."""
    dy = (y - cy) / ry
    if abs(dy) >= 1:
        return None
    half = rx * math.sqrt(1 - dy * dy)
    return max(0, round(cx - half)), min(AVATAR_WIDTH, round(cx + half))


def _row(y: int, background: bytes, figure: bytes) -> bytes:
    """One scanline (filter byte 0, then RGB pixels): the figure where the row crosses
    the head or the shoulders, the background elsewhere."""
    centre = y + 0.5
    spans = sorted(
        s
        for s in (
            _span(AVATAR_WIDTH / 2, 235, 88, 100, centre),  # head
            _span(AVATAR_WIDTH / 2, AVATAR_HEIGHT + 40, 175, 250, centre),  # shoulders
        )
        if s is not None
    )
    parts = [b"\x00"]
    x = 0
    for start, end in spans:
        start = max(start, x)
        if end <= start:
            continue
        parts += [background * (start - x), figure * (end - start)]
        x = end
    parts.append(background * (AVATAR_WIDTH - x))
    return b"".join(parts)


def _chunk(ctype: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(ctype + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + ctype + payload + struct.pack(">I", crc)


def default_avatar(name: str) -> bytes:
    """A 400×600 RGB PNG: a light silhouette on a colour picked from `name`."""
    background, figure = _colours(name)
    raw = b"".join(_row(y, background, figure) for y in range(AVATAR_HEIGHT))
    header = struct.pack(">IIBBBBB", AVATAR_WIDTH, AVATAR_HEIGHT, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )
