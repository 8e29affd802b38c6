"""An obviously-correct (slow) reference matcher: every key checked at every offset.

Keys are trimmed (JavaScript's white space) and NFKC-normalised; the text is normalised one
cluster (a character and the combining characters after it) at a time, and lowered one
character at a time, so each normalised character knows which original offset it came from.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from app.lore._jsregex import JS_WHITESPACE
from app.lore._unicode import NO_BOUNDARY_RANGES


def wordish(c: str) -> bool:
    cp = ord(c)
    if any(lo <= cp <= hi for lo, hi in NO_BOUNDARY_RANGES):
        return False
    return c.isalnum() or c == "_" or unicodedata.category(c).startswith("M")


def combining(c: str) -> bool:
    """Joins the character before it under NFKC (see `app.lore._text.joins_previous`)."""
    if unicodedata.category(c).startswith("M") or 0x1160 <= ord(c) <= 0x11FF:
        return True
    decomposed = unicodedata.normalize("NFKD", c)
    return bool(decomposed) and unicodedata.combining(decomposed[0]) > 0


def clusters(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for i, c in enumerate(text):
        if out and combining(c):
            out[-1] = (out[-1][0], out[-1][1] + c)
        else:
            out.append((i, c))
    return out


def low(c: str) -> str:
    return c.lower().replace("ς", "σ")


def normalize(text: str, case_sensitive: bool) -> tuple[str, list[int]]:
    out: list[str] = []
    mapping: list[int] = []
    for start, cluster in clusters(text):
        norm = unicodedata.normalize("NFKC", cluster)
        for k, c in enumerate(norm):
            piece = c if case_sensitive else low(c)
            out.append(piece)
            origin = start + k if norm == cluster else start
            mapping.extend([origin] * len(piece))
    mapping.append(len(text))
    return "".join(out), mapping


def occurrences(
    key: str, text: str, case_sensitive: bool, whole_word: bool
) -> list[tuple[int, int]]:
    key = key.strip(JS_WHITESPACE)
    if not key:
        return []
    hay, mapping = normalize(text, case_sensitive)
    needle = unicodedata.normalize("NFKC", key)
    if not case_sensitive:
        needle = "".join(low(c) for c in needle)
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
        total = len(e.secondary_keys)
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
    total = len(e.secondary_keys)
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
    case-insensitive whole words), in SillyTavern's order of checks: a delayed entry (even a
    constant one) waits for a recursion step; in a recursion step an entry that excludes
    recursion is skipped (even a constant one); recursion happens only while a step admits
    content that may recurse."""
    primary: set[str] = set()
    secondary: dict[str, set[int]] = {}

    def absorb(chunk: str) -> None:
        for eid, kind, idx, _, _ in reference_hits(entries, chunk, False, True):
            if kind == "primary":
                primary.add(eid)
            else:
                secondary.setdefault(eid, set()).add(idx)

    def activates(e: Any) -> bool:
        if e.constant:
            return True
        return bool(e.keys) and e.id in primary and _logic_ok(e, secondary.get(e.id, set()))

    absorb(text)
    active: dict[str, int] = {}
    new = []
    for e in entries:
        if e.enabled and not e.delay_until_recursion and activates(e):
            active[e.id] = 0
            new.append(e)
    step = 0
    while True:
        feed = [e for e in new if e.content and not e.prevent_recursion]
        if not feed:
            return active
        step += 1
        if step > max_recursion:
            return active
        for e in feed:
            absorb(e.content)
        new = []
        for e in entries:
            if e.id in active or not e.enabled or e.exclude_recursion:
                continue
            if activates(e):
                active[e.id] = step
                new.append(e)
