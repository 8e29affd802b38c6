"""A SillyTavern world info file as SillyTavern writes it (every field of its entry
definition, from the lore tests' samples), with keys and content of realistic length."""

from __future__ import annotations

import json
import random
from typing import Any

from tests.lore._samples import st_entry

__all__ = ["world_info_bytes"]

_WORDS = (
    "harbour lantern fog tide guild keeper ledger signal salt island north storm "
    "cartographer compass chart reef lighthouse ember winter causeway market archive"
).split()


def _entry(uid: int, rng: random.Random) -> dict[str, Any]:
    name = f"{rng.choice(_WORDS).title()} {rng.choice(_WORDS)} {uid}"
    return st_entry(
        uid,
        key=[name, f"{rng.choice(_WORDS)}{uid}", f"{rng.choice(_WORDS)} {uid}"],
        keysecondary=[rng.choice(_WORDS)] if uid % 4 == 0 else [],
        comment=name,
        content=" ".join(rng.choice(_WORDS) for _ in range(rng.randint(40, 120))),
        constant=uid % 50 == 0,
        order=100 + uid % 7,
        position=uid % 2,
    )


def world_info_bytes(entries: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    book = {"name": "Bench world", "entries": {str(i): _entry(i, rng) for i in range(entries)}}
    return json.dumps(book, ensure_ascii=False, indent=2).encode("utf-8")
