"""PNG text chunks (`tEXt`, `zTXt`, `iTXt`): read and write, with zlib and struct only."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping

from ._errors import FormatError

__all__ = ["PNG_SIGNATURE", "is_png", "read_text_chunks", "tiny_png", "write_text_chunks"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_CHUNKS = 10_000
MAX_TEXT_BYTES = 32 * 1024 * 1024


def is_png(data: bytes) -> bool:
    return data[:8] == PNG_SIGNATURE


def _chunks(data: bytes) -> list[tuple[bytes, bytes, int, int]]:
    """(type, payload, start, end) for every chunk; checks lengths, CRCs and IEND."""
    if not is_png(data):
        raise FormatError("not a PNG file (bad signature)")
    pos = 8
    out: list[tuple[bytes, bytes, int, int]] = []
    while True:
        if pos + 12 > len(data):
            raise FormatError("truncated PNG: chunk header runs past the end of the file")
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        ctype = data[pos + 4 : pos + 8]
        if length > 0x7FFFFFFF or pos + 12 + length > len(data):
            raise FormatError(f"truncated PNG: chunk {ctype!r} is longer than the file")
        if not ctype.isalpha():
            raise FormatError(f"corrupt PNG: invalid chunk type {ctype!r}")
        payload = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        if zlib.crc32(ctype + payload) & 0xFFFFFFFF != crc:
            raise FormatError(f"corrupt PNG: CRC mismatch in chunk {ctype.decode('latin-1')}")
        out.append((ctype, payload, pos, pos + 12 + length))
        pos += 12 + length
        if len(out) > MAX_CHUNKS:
            raise FormatError("PNG has too many chunks")
        if ctype == b"IEND":
            return out
    # unreachable


def _inflate(payload: bytes) -> bytes:
    d = zlib.decompressobj()
    try:
        out = d.decompress(payload, MAX_TEXT_BYTES + 1)
    except zlib.error as exc:
        raise FormatError(f"corrupt compressed PNG text: {exc}") from None
    if len(out) > MAX_TEXT_BYTES or d.unconsumed_tail:
        raise FormatError("compressed PNG text expands beyond the size limit")
    return out


def read_text_chunks(data: bytes) -> dict[str, str]:
    """Keyword -> text of every text chunk (the first one wins for repeated keywords)."""
    texts: dict[str, str] = {}
    for ctype, payload, _, _ in _chunks(data):
        if ctype not in (b"tEXt", b"zTXt", b"iTXt"):
            continue
        keyword, sep, rest = payload.partition(b"\x00")
        if not sep or not 1 <= len(keyword) <= 79:
            raise FormatError(f"corrupt PNG {ctype.decode()} chunk: bad keyword")
        if ctype == b"tEXt":
            text = rest.decode("latin-1")
        elif ctype == b"zTXt":
            if not rest or rest[0] != 0:
                raise FormatError("corrupt PNG zTXt chunk: unknown compression method")
            text = _inflate(rest[1:]).decode("latin-1")
        else:
            if len(rest) < 2:
                raise FormatError("corrupt PNG iTXt chunk")
            compressed, method = rest[0], rest[1]
            _lang, _, rest2 = rest[2:].partition(b"\x00")
            _translated, _, body = rest2.partition(b"\x00")
            if compressed:
                if method != 0:
                    raise FormatError("corrupt PNG iTXt chunk: unknown compression method")
                body = _inflate(body)
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise FormatError("corrupt PNG iTXt chunk: text is not UTF-8") from None
        texts.setdefault(keyword.decode("latin-1"), text)
    return texts


def _chunk(ctype: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(ctype + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + ctype + payload + struct.pack(">I", crc)


def write_text_chunks(data: bytes, texts: Mapping[str, str | None]) -> bytes:
    """`data` with a `tEXt` chunk per keyword (replacing text chunks of those keywords);
    a keyword given `None` is removed (an avatar kept without its card).

    Text must be Latin-1 (card payloads are base64, so they are)."""
    chunks = _chunks(data)
    keep = []
    for ctype, payload, start, end in chunks:
        if ctype in (b"tEXt", b"zTXt", b"iTXt"):
            keyword = payload.partition(b"\x00")[0].decode("latin-1")
            if keyword in texts:
                continue
        keep.append((ctype, data[start:end]))
    new = [
        _chunk(b"tEXt", k.encode("latin-1") + b"\x00" + v.encode("latin-1"))
        for k, v in texts.items()
        if v is not None
    ]
    out = [PNG_SIGNATURE]
    for ctype, raw in keep:
        if ctype == b"IEND":
            out.extend(new)
        out.append(raw)
    return b"".join(out)


def tiny_png(width: int = 1, height: int = 1) -> bytes:
    """A valid grey PNG image (for exporting cards without a picture, and for tests)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(raw))
        + _chunk(b"IEND", b"")
    )
