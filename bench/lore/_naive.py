"""The baseline: one compiled regular expression per key, searched entry by entry.

This is SillyTavern's loop (every entry, every key, a whole-word search over the lowered
text), made as fast as Python allows: each key is a literal regex compiled once (so
`re` uses its fast literal search) and the word boundaries of each occurrence are checked
after. (A `\\bkey\\b` pattern is about 50x slower in Python's `re`, which cannot search
for a pattern that starts with an assertion.)
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["NaiveMatcher"]

_WORD = re.compile(r"\w")


def _whole_word(rx: re.Pattern[str], text: str) -> bool:
    for m in rx.finditer(text):
        s, e = m.span()
        if (s == 0 or not _WORD.match(text, s - 1)) and (
            e == len(text) or not _WORD.match(text, e)
        ):
            return True
    return False


class NaiveMatcher:
    """Per entry, per key: does the key occur as a whole word in the lowered text?"""

    def __init__(self, entries: list[Any]) -> None:
        self.compiled = [
            (e, [re.compile(re.escape(k.lower())) for k in e.keys if k]) for e in entries
        ]

    def scan(self, text: str) -> list[Any]:
        haystack = text.lower()
        return [e for e, keys in self.compiled if any(_whole_word(rx, haystack) for rx in keys)]
