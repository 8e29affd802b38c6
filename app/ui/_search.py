"""Search as people expect it: case and accents ignored, every word must appear.

``fold("Élodie")`` is ``"elodie"``: compatibility-decomposed (NFKD), combining marks
dropped, case folded (``"ß"`` → ``"ss"``), and the Latin letters that do not decompose
(``ø``, ``æ``, ``œ``, ``ł``, ``đ``, ``ð``, ``þ``, ``ı``) spelled the way people type them.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["fold", "matches"]

_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """``text`` as search compares it (cached: lists fold the same names on every key)."""
    if text.isascii():  # nothing to decompose or spell out: lower case is the case fold
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold().translate(_LETTERS)


def matches(query: str, text: str) -> bool:
    """Whether every word of ``query`` appears in ``text`` (an empty query matches all)."""
    folded = fold(text)
    return all(word in folded for word in fold(query).split())
