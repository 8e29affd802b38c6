"""Word count as writers expect it: words of alphabetic scripts, and each CJK character."""

from __future__ import annotations

import re

__all__ = ["LineWordCounter", "word_count"]

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002fa1f"
#: a CJK character, or a run of anything but spaces and CJK holding a letter or digit
_WORD = re.compile(rf"[{_CJK}]|[^\s{_CJK}]*[^\W_][^\s{_CJK}]*")


def word_count(text: str) -> int:
    """``"Hello, world — again"`` is 3 words; ``"東京に行く"`` is 5; ``"don't"`` is 1."""
    return sum(1 for _ in _WORD.finditer(text))


class LineWordCounter:
    """Counts a long text's words line by line, remembering each line's count, so that a
    keystroke in a 50 KB chapter re-counts one line."""

    def __init__(self, limit: int = 4096) -> None:
        self._counts: dict[str, int] = {}
        self._limit = limit

    def __call__(self, text: str) -> int:
        counts = self._counts
        total = 0
        for line in text.split("\n"):
            n = counts.get(line)
            if n is None:
                if len(counts) >= self._limit:
                    counts.clear()
                n = counts[line] = word_count(line)
            total += n
        return total
