"""An obviously-correct (slow) reference matcher: every key checked at every offset."""

from __future__ import annotations

import unicodedata
from typing import Any

from app.lore._unicode import NO_BOUNDARY_RANGES


def wordish(c: str) -> bool:
    cp = ord(c)
    if any(lo <= cp <= hi for lo, hi in NO_BOUNDARY_RANGES):
        return False
    return c.isalnum() or c == "_" or unicodedata.category(c).startswith("M")


def fold(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    mapping: list[int] = []
    for i, c in enumerate(text):
        low = c.lower().replace("ς", "σ")
        out.append(low)
        mapping.extend([i] * len(low))
    mapping.append(len(text))
    return "".join(out), mapping


def occurrences(
    key: str, text: str, case_sensitive: bool, whole_word: bool
) -> list[tuple[int, int]]:
    if not key.strip():
        return []
    if case_sensitive:
        hay, mapping = text, list(range(len(text) + 1))
        needle = key
    else:
        hay, mapping = fold(text)
        needle = key.lower().replace("ς", "σ")
    found = []
    for i in range(len(hay) - len(needle) + 1):
        if hay[i : i + len(needle)] != needle:
            continue
        end = i + len(needle)
        if whole_word:
            if i > 0 and wordish(needle[0]) and wordish(hay[i - 1]):
                continue
            if end < len(hay) and wordish(needle[-1]) and wordish(hay[end]):
                continue
        found.append((mapping[i], mapping[end]))
    return found


def reference_hits(entries: list[Any], text: str, cs_default: bool, ww_default: bool) -> set[tuple]:
    hits = set()
    for e in entries:
        cs = cs_default if e.case_sensitive is None else e.case_sensitive
        ww = ww_default if e.match_whole_words is None else e.match_whole_words
        for kind, keys in (("primary", e.keys), ("secondary", e.secondary_keys)):
            for idx, key in enumerate(keys):
                for start, end in occurrences(key, text, cs, ww):
                    hits.add((e.id, kind, idx, start, end))
    return hits


def reference_active(entries: list[Any], text: str, cs_default: bool, ww_default: bool) -> set[str]:
    hits = reference_hits(entries, text, cs_default, ww_default)
    active = set()
    for e in entries:
        if not e.enabled:
            continue
        if e.constant:
            active.add(e.id)
            continue
        if not any(h[0] == e.id and h[1] == "primary" for h in hits):
            continue
        total = sum(1 for k in e.secondary_keys if k.strip())
        found = len({h[2] for h in hits if h[0] == e.id and h[1] == "secondary"})
        ok = {
            "and_any": found > 0,
            "and_all": found == total,
            "not_any": found == 0,
            "not_all": found < total,
        }[e.selective_logic]
        if total == 0 or ok:
            active.add(e.id)
    return active
