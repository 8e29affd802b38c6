"""Word count as writers expect it: words of alphabetic scripts, and each CJK character."""

from __future__ import annotations

import re

__all__ = ["word_count"]

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002fa1f"
#: a CJK character, or a run of anything but spaces and CJK holding a letter or digit
_WORD = re.compile(rf"[{_CJK}]|[^\s{_CJK}]*[^\W_][^\s{_CJK}]*")


def word_count(text: str) -> int:
    """``"Hello, world — again"`` is 3 words; ``"東京に行く"`` is 5; ``"don't"`` is 1."""
    return sum(1 for _ in _WORD.finditer(text))
