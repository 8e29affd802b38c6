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


def _logic_ok(e: Any, found: set[int]) -> bool:
    total = sum(1 for k in e.secondary_keys if k.strip())
    if total == 0:
        return True
    n = len(found)
    return {
        "and_any": n > 0,
        "and_all": n == total,
        "not_any": n == 0,
        "not_all": n < total,
    }[e.selective_logic]


def reference_recursive(entries: list[Any], text: str, max_recursion: int) -> dict[str, int]:
    """Entry id -> activation step, with recursion (no budget, probability 100, defaults:
    case-insensitive whole words)."""
    primary: set[str] = set()
    secondary: dict[str, set[int]] = {}

    def absorb(chunk: str) -> None:
        for eid, kind, idx, _, _ in reference_hits(entries, chunk, False, True):
            if kind == "primary":
                primary.add(eid)
            else:
                secondary.setdefault(eid, set()).add(idx)

    absorb(text)
    active: dict[str, int] = {}
    new = []
    for e in entries:
        if not e.enabled:
            continue
        if e.constant or (
            not e.delay_until_recursion
            and e.id in primary
            and _logic_ok(e, secondary.get(e.id, set()))
        ):
            active[e.id] = 0
            new.append(e)
    delayed = any(
        e.enabled and not e.constant and e.delay_until_recursion and e.id in primary
        for e in entries
    )
    step = 0
    while True:
        feed = [e for e in new if e.content and not e.prevent_recursion]
        if not feed and not (step == 0 and delayed):
            return active
        step += 1
        if step > max_recursion:
            return active
        for e in feed:
            absorb(e.content)
        new = []
        for e in entries:
            if e.id in active or not e.enabled or e.constant or e.exclude_recursion:
                continue
            if e.id in primary and _logic_ok(e, secondary.get(e.id, set())):
                active[e.id] = step
                new.append(e)
