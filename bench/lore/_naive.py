"""The baseline: one regular expression per key, searched entry by entry (SillyTavern-style)."""

from __future__ import annotations

import re
from typing import Any

from app.lore._text import lower

__all__ = ["NaiveMatcher"]

_W = r"(?:[^\W\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af])"


class NaiveMatcher:
    """Per entry, per key: does `(?<!word)key(?!word)` occur in the lowered text?"""

    def __init__(self, entries: list[Any]) -> None:
        self.compiled = [
            (e, [re.compile(f"(?<!{_W}){re.escape(lower(k))}(?!{_W})") for k in e.keys if k])
            for e in entries
        ]

    def scan(self, text: str) -> list[Any]:
        haystack = lower(text)
        return [e for e, keys in self.compiled if any(rx.search(haystack) for rx in keys)]
