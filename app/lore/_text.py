"""Text normalisation and Unicode-aware word boundaries shared by the index and the matcher.

Plain keys and the texts they are looked for in are both NFKC-normalised (so a full-width
"ＤＲＡＧＯＮ", a "ﬁ" ligature or a half-width katakana matches the key a person would
type), and lowered unless the key is case-sensitive. The text is normalised one cluster
(a character with the combining marks after it) at a time, so offsets map back to the
original text; `Normalized.to_original` does it.

A *wordish* character is a letter, digit, underscore or combining mark, except characters
of scripts written without spaces (CJK, kana, Hangul, Thai, ...). A whole-word key needs a
boundary only on a side where the key's own edge character is wordish; the neighbouring
text character then must not be wordish. So `#hello` needs no boundary on its left, and a
CJK key (or a Latin key next to CJK text) matches without spaces.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import accumulate

from ._unicode import MARK_CLASS, NO_BOUNDARY_RANGES

__all__ = [
    "FIRST_RUN",
    "Normalized",
    "boundary_ok",
    "first_token",
    "is_wordish",
    "lower",
    "next_run",
    "nfkc",
    "normalize_key",
    "split_tokens",
]


def _marks_outside_no_boundary() -> str:
    """MARK_CLASS minus the no-boundary ranges, as a class body."""
    ranges: list[tuple[int, int]] = []
    for part in re.findall(r"(\\[uU][0-9a-f]+)(?:-(\\[uU][0-9a-f]+))?", MARK_CLASS):
        lo = int(part[0][2:], 16)
        hi = int(part[1][2:], 16) if part[1] else lo
        pieces = [(lo, hi)]
        for nlo, nhi in NO_BOUNDARY_RANGES:
            nxt: list[tuple[int, int]] = []
            for a, b in pieces:
                if b < nlo or a > nhi:
                    nxt.append((a, b))
                    continue
                if a < nlo:
                    nxt.append((a, nlo - 1))
                if b > nhi:
                    nxt.append((nhi + 1, b))
            pieces = nxt
        ranges.extend(pieces)

    def esc(cp: int) -> str:
        return f"\\U{cp:08x}" if cp > 0xFFFF else f"\\u{cp:04x}"

    return "".join(esc(a) if a == b else f"{esc(a)}-{esc(b)}" for a, b in ranges)


def _no_boundary_class() -> str:
    def esc(cp: int) -> str:
        return f"\\U{cp:08x}" if cp > 0xFFFF else f"\\u{cp:04x}"

    return "".join(f"{esc(a)}-{esc(b)}" for a, b in NO_BOUNDARY_RANGES)


_NB = _no_boundary_class()
_MARKS = _marks_outside_no_boundary()
_WORDISH = f"[^\\W{_NB}]|[{_MARKS}]"
_WORDISH_AT = re.compile(f"(?:{_WORDISH})").match
_SPLIT = re.compile(f"((?:[^\\W{_NB}]+|[{_MARKS}]+)+)")
# Fast paths: ASCII text, and text with no combining mark, no-space script or astral char,
# where a wordish run is exactly `\w+`.
_SPLIT_ASCII = re.compile(r"(\w+)", re.ASCII)
_SPLIT_PLAIN = re.compile(r"(\w+)")
_BMP_SPECIAL = re.compile(
    "["
    + "".join(r for r in re.findall(r"\\u[0-9a-f]{4}(?:-\\u[0-9a-f]{4})?", _NB + MARK_CLASS))
    + "]"
).search
_ASTRAL = re.compile("[\U00010000-\U0010ffff]").search
_FIRST_TOKEN = re.compile(f"(?:{_WORDISH})+").match
#: `FIRST_RUN(key)` matches the wordish run a key starts with.
FIRST_RUN = _FIRST_TOKEN
_NEXT_RUN = re.compile(f"(?:{_WORDISH})+").search


def next_run(text: str, pos: int) -> re.Match[str] | None:
    """The first wordish run of `text` at or after `pos`."""
    return _NEXT_RUN(text, pos)


def lower(text: str) -> str:
    """Lowercase for matching; final sigma is folded to sigma so Greek keys match anywhere."""
    lowered = text.lower()
    return lowered.replace("ς", "σ") if "ς" in lowered else lowered


def is_wordish(char: str) -> bool:
    """True for letters, digits, `_` and combining marks outside no-space scripts."""
    return _WORDISH_AT(char) is not None


def boundary_ok(text: str, start: int, end: int, key: str) -> bool:
    """Whole-word check for `key` found at `text[start:end]`."""
    if start > 0 and _WORDISH_AT(key) is not None and _WORDISH_AT(text, start - 1) is not None:
        return False
    return not (
        end < len(text)
        and _WORDISH_AT(key, len(key) - 1) is not None
        and _WORDISH_AT(text, end) is not None
    )


def first_token(key: str) -> str | None:
    """The wordish run a key starts with, or None when it starts with another character."""
    m = _FIRST_TOKEN(key)
    return m.group() if m else None


def split_tokens(text: str) -> tuple[list[str], list[int]]:
    """Maximal wordish runs of `text` and their start offsets (all C-level work)."""
    if text.isascii():
        parts = _SPLIT_ASCII.split(text)
    elif _BMP_SPECIAL(text) is None and _ASTRAL(text) is None:
        parts = _SPLIT_PLAIN.split(text)
    else:
        parts = _SPLIT.split(text)
    ends = list(accumulate(map(len, parts)))
    return parts[1::2], ends[0:-1:2]


def joins_previous(c: str) -> bool:
    """Whether NFKC may combine `c` with the character before it: a combining mark, a
    Hangul medial or final jamo, or a compatibility character that decomposes to a
    combining mark (the half-width katakana voiced sound marks)."""
    if unicodedata.category(c)[0] == "M" or 0x1160 <= ord(c) <= 0x11FF:
        return True
    decomposed = unicodedata.normalize("NFKD", c)
    return bool(decomposed) and unicodedata.combining(decomposed[0]) > 0


def nfkc(text: str) -> tuple[str, list[int] | None]:
    """`text` in NFKC, and for each of its offsets (plus its end) the offset in `text`;
    None when nothing changed. Normalised a cluster at a time (a character with the
    characters after it that join it, `joins_previous`), so an offset never points inside
    a cluster."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text, None
    distinct = {c for c in set(text) if not c.isascii()}
    joining = "".join(re.escape(c) for c in distinct if joins_previous(c))
    changing = "".join(re.escape(c) for c in distinct if unicodedata.normalize("NFKC", c) != c)
    if joining:
        cluster = f"[^{changing}{joining}]+(?![{joining}])|[\\s\\S][{joining}]*"
    else:
        cluster = f"[^{changing}]+|[\\s\\S]" if changing else "[\\s\\S]+"
    out: list[str] = []
    mapping: list[int] = []
    for m in re.compile(cluster).finditer(text):
        piece = m.group()
        start = m.start()
        norm = unicodedata.normalize("NFKC", piece)
        out.append(norm)
        if norm == piece:
            mapping.extend(range(start, start + len(piece)))
        else:
            mapping.extend([start] * len(norm))
    mapping.append(len(text))
    return "".join(out), mapping


def _lowered(text: str) -> tuple[str, list[int] | None]:
    lowered = lower(text)
    if len(lowered) == len(text):
        return lowered, None
    # Rare: a character lowers to several (e.g. "İ"). Lower char by char instead.
    pieces = [lower(c) for c in text]
    mapping: list[int] = []
    for i, p in enumerate(pieces):
        mapping.extend([i] * len(p))
    mapping.append(len(text))
    return "".join(pieces), mapping


class Normalized:
    """A text as plain keys see it: NFKC, lowered unless case-sensitive; offsets map back."""

    __slots__ = ("_map", "original", "text")

    def __init__(self, original: str, case_sensitive: bool) -> None:
        self.original = original
        text, mapping = nfkc(original)
        if not case_sensitive:
            text, lowered_map = _lowered(text)
            if lowered_map is not None:
                mapping = lowered_map if mapping is None else [mapping[i] for i in lowered_map]
        self.text = text
        self._map = mapping

    @property
    def mapped(self) -> bool:
        """Whether offsets differ from the original's."""
        return self._map is not None

    def to_original(self, offset: int) -> int:
        """Map an offset in the normalised text back to the original text."""
        return offset if self._map is None else self._map[offset]


def normalize_key(key: str, case_sensitive: bool) -> str:
    """A plain key as the index stores it: NFKC, lowered unless case-sensitive."""
    norm = unicodedata.normalize("NFKC", key)
    return norm if case_sensitive else lower(norm)
