"""Lorebook file formats: import and export.

    book = formats.load(data, filename="card.png")   # -> LoreBook (raises FormatError)
    data = formats.dump(book, "ccv3")                 # -> bytes (JSON)
    png = formats.dump(book, "ccv3", png=image)       # -> the image with card chunks

`parse_json(data, max_bytes=...)` is the guarded JSON reader every importer uses (size,
nesting depth, UTF-8). `load` recognises Character Card V2/V3 (JSON, or PNG with `chara` / `ccv3` chunks),
standalone `lorebook_v3`, a bare `character_book`, SillyTavern world info, NovelAI
lorebooks (JSON, or PNG with a `naidata` chunk) and Agnai memory books. `dump` writes
"st", "ccv2", "ccv3" and "lorebook_v3". Fields we do not model are kept on each entry
(`extensions.lorekeeper.import`) and written back verbatim; our scope metadata is written
to `extensions.lorekeeper`.
"""

from __future__ import annotations

import json
from typing import Any

from ._agnai import agnai_from_json
from ._book import LoreBook
from ._cardbook import book_from_json, book_to_json
from ._cards import card_chunk, card_from_json, card_to_json, decode_chunk
from ._errors import FormatError
from ._json import MAX_JSON_BYTES, parse_json
from ._novelai import novelai_from_json
from ._png import is_png, read_text_chunks, tiny_png, write_text_chunks
from ._st import st_from_json, st_to_json

__all__ = [
    "DUMP_FORMATS",
    "MAX_JSON_BYTES",
    "FormatError",
    "LoreBook",
    "card_chunk",
    "detect",
    "dump",
    "dump_dict",
    "is_png",
    "load",
    "load_json",
    "parse_json",
    "read_text_chunks",
    "tiny_png",
    "write_text_chunks",
]

DUMP_FORMATS = ("st", "ccv2", "ccv3", "lorebook_v3")


def detect(obj: Any) -> str:
    """The format of a parsed JSON document, or raise `FormatError`."""
    if not isinstance(obj, dict):
        raise FormatError(f"expected a JSON object at the top level, got {type(obj).__name__}")
    spec = obj.get("spec")
    if spec == "chara_card_v3":
        return "ccv3"
    if spec == "chara_card_v2":
        return "ccv2"
    if spec == "lorebook_v3":
        return "lorebook_v3"
    if isinstance(spec, str):
        raise FormatError(f"unsupported spec {spec!r}")
    if "lorebookVersion" in obj:
        return "novelai"
    if obj.get("kind") == "memory":
        return "agnai"
    if obj.get("type") == "risu":
        raise FormatError(
            "RisuAI module files are not supported; export the lorebook from RisuAI as a character card"
        )
    entries = obj.get("entries")
    if isinstance(entries, dict):
        return "st"
    if isinstance(entries, list):
        return "character_book"
    if "name" in obj and "first_mes" in obj:
        raise FormatError("Character Card V1 files carry no lorebook")
    raise FormatError("not a recognised lorebook or character card file")


def load_json(obj: Any) -> LoreBook:
    """Import an already-parsed JSON document."""
    fmt = detect(obj)
    if fmt in ("ccv2", "ccv3"):
        return card_from_json(obj, fmt)
    if fmt == "lorebook_v3":
        data = obj.get("data")
        return book_from_json(data, "$.data", "lorebook_v3")
    if fmt == "character_book":
        return book_from_json(obj, "$", "ccv2")
    if fmt == "st":
        return st_from_json(obj)
    if fmt == "novelai":
        return novelai_from_json(obj)
    return agnai_from_json(obj)


def load(data: bytes, filename: str | None = None) -> LoreBook:
    """Import a file's bytes; raises `FormatError` (and imports nothing) if it is unusable."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise FormatError(f"expected bytes, got {type(data).__name__}")
    data = bytes(data)
    if len(data) > MAX_JSON_BYTES * 2:
        raise FormatError("file is too large")
    try:
        if is_png(data) or (filename or "").lower().endswith((".png", ".apng")):
            return _load_png(data)
        return load_json(parse_json(data))
    except FormatError:
        raise
    except RecursionError:
        raise FormatError("file is nested too deeply") from None
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise FormatError(f"malformed file: {exc}") from None


def _load_png(data: bytes) -> LoreBook:
    chunks = read_text_chunks(data)
    for keyword, fmt in (("ccv3", "ccv3"), ("chara", None)):
        if keyword in chunks:
            obj = decode_chunk(chunks[keyword], keyword)
            got = detect(obj)
            if fmt is not None and got != fmt:
                raise FormatError(f"PNG {keyword!r} chunk holds {got}, expected a V3 card")
            if got not in ("ccv2", "ccv3"):
                raise FormatError(f"PNG {keyword!r} chunk does not hold a character card")
            return card_from_json(obj, got)
    if "naidata" in chunks:
        obj = decode_chunk(chunks["naidata"], "naidata")
        if detect(obj) != "novelai":
            raise FormatError("PNG 'naidata' chunk does not hold a NovelAI lorebook")
        return novelai_from_json(obj)
    raise FormatError("PNG has no character card or lorebook chunk ('ccv3', 'chara' or 'naidata')")


def dump_dict(book: LoreBook, format: str) -> dict[str, Any]:
    """The export as a JSON-able dict."""
    if format == "st":
        return st_to_json(book)
    if format in ("ccv2", "ccv3"):
        return card_to_json(book, format)
    if format == "lorebook_v3":
        return {"spec": "lorebook_v3", "data": book_to_json(book, "lorebook_v3")}
    raise ValueError(f"unknown export format {format!r}; use one of {', '.join(DUMP_FORMATS)}")


def dump(book: LoreBook, format: str, *, png: bytes | None = None) -> bytes:
    """Export `book` as UTF-8 JSON, or for cards with `png`, as that image with the card
    embedded (`ccv3` writes a `ccv3` chunk plus a V2 `chara` chunk for older readers)."""
    obj = dump_dict(book, format)
    if png is None:
        return json.dumps(obj, ensure_ascii=False, indent=2).encode("utf-8")
    if format not in ("ccv2", "ccv3"):
        raise ValueError("only character cards (ccv2, ccv3) can be embedded in a PNG")
    texts = {"chara": card_chunk(dump_dict(book, "ccv2"))}
    if format == "ccv3":
        texts["ccv3"] = card_chunk(obj)
    return write_text_chunks(png, texts)
