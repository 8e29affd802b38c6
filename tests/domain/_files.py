"""Files for the library's tests: every kind it imports, as bytes (browser-safe)."""

from __future__ import annotations

import copy
import json
from typing import Any

from app.lore import formats
from tests.lore._samples import agnai_book, card_v2, card_v3, lorebook_v3, novelai_book, st_entry


def as_bytes(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def card_png(card: dict[str, Any], *, keyword: str = "chara", image: bytes | None = None) -> bytes:
    """`card` in a PNG text chunk (`chara` or `ccv3`), as card sites publish them."""
    return formats.write_text_chunks(
        image or formats.tiny_png(3, 2), {keyword: formats.card_chunk(card)}
    )


def world_info(count: int = 3, **over: Any) -> dict[str, Any]:
    """A SillyTavern world info file with `count` entries."""
    entries = {
        str(i): st_entry(
            i,
            key=[f"key{i}", f"alias {i}"],
            comment=f"Entry {i}",
            content=f"Entry {i} content.",
            **over,
        )
        for i in range(count)
    }
    return {"entries": entries, "name": "Eldoria"}


def v3_png() -> bytes:
    card = card_v3()
    return formats.write_text_chunks(
        formats.tiny_png(3, 2),
        {"chara": formats.card_chunk(card_v2()), "ccv3": formats.card_chunk(card)},
    )


#: name -> (bytes, file name, kind, format label, title, summary)
SAMPLES: dict[str, tuple[bytes, str, str, str, str, list[str]]] = {
    "st": (
        as_bytes(world_info()),
        "eldoria.json",
        "lorebook",
        "SillyTavern world info",
        "Eldoria",
        ["3 lorebook entries"],
    ),
    "lorebook_v3": (
        as_bytes(lorebook_v3()),
        "book.json",
        "lorebook",
        "Lorebook V3",
        "Seraphina's lore",
        ["3 lorebook entries"],
    ),
    "character_book": (
        as_bytes(copy.deepcopy(card_v2()["data"]["character_book"])),
        "book.json",
        "lorebook",
        "Character Card V2 lorebook",
        "Seraphina's lore",
        ["2 lorebook entries"],
    ),
    "novelai": (
        as_bytes(novelai_book()),
        "kael.lorebook",
        "lorebook",
        "NovelAI lorebook",
        "kael",
        ["2 lorebook entries"],
    ),
    "novelai_png": (
        formats.write_text_chunks(
            formats.tiny_png(), {"naidata": formats.card_chunk(novelai_book())}
        ),
        "kael.png",
        "lorebook",
        "NovelAI lorebook (PNG)",
        "kael",
        ["2 lorebook entries"],
    ),
    "agnai": (
        as_bytes(agnai_book()),
        "memory.json",
        "lorebook",
        "Agnai memory book",
        "Tavern memories",
        ["2 lorebook entries"],
    ),
    "ccv2": (
        as_bytes(card_v2()),
        "sera.json",
        "card",
        "Character Card V2",
        "Seraphina",
        ["1 character", "2 lorebook entries"],
    ),
    "ccv3": (
        as_bytes(card_v3()),
        "sera.json",
        "card",
        "Character Card V3",
        "Seraphina",
        ["1 character", "3 lorebook entries"],
    ),
    "ccv2_png": (
        card_png(card_v2()),
        "sera.png",
        "card",
        "Character Card V2 (PNG)",
        "Seraphina",
        ["1 character", "2 lorebook entries"],
    ),
    "ccv3_png": (
        v3_png(),
        "sera.png",
        "card",
        "Character Card V3 (PNG)",
        "Seraphina",
        ["1 character", "3 lorebook entries"],
    ),
}
