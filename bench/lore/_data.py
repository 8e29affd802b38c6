"""Deterministic synthetic lorebooks and chapters for the lore benchmark."""

from __future__ import annotations

import random

from app.lore import LoreEntry

__all__ = ["make_chapter", "make_entries"]

_SYLLABLES = (
    "al bar cor dan el fen gar hal is jor kel lan mor nar or pel quin ros sar tor ul "
    "val wen xan yor zel bri cas dra eth fal gwen hor ith kai lor mir nel osk pry rha "
    "syl thal ur vex wyn"
).split()
_COMMON = (
    "the of and to a in that it was he she his her for on with as at by from they we "
    "said had not but what all were when there can an your which their if do will each "
    "about how up out them then many some so these would other into has more two like "
    "him see time could no make than first been its who now people my made over did down "
    "only way find use may water long little very after words called just where most know "
    "sword castle river night road king queen forest dark light old young stone door wind"
).split()


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def make_entries(n_entries: int, keys_per_entry: int = 3, seed: int = 7) -> list[LoreEntry]:
    """`n_entries` entries with `keys_per_entry` keys each (names, full names, titles)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    entries = []
    categories = ["character", "location", "item", "event", "note"]
    for i in range(n_entries):
        first = _name(rng)
        while first.lower() in seen:
            first = _name(rng)
        seen.add(first.lower())
        last = _name(rng)
        keys = [first, f"{first} {last}", f"the {rng.choice(_SYLLABLES)}{last.lower()}"][
            :keys_per_entry
        ]
        while len(keys) < keys_per_entry:
            keys.append(_name(rng))
        entries.append(
            LoreEntry(
                id=f"e{i}",
                level=("global", "series", "story")[i % 3],
                scope_id=(None, "series-1", "story-1")[i % 3],
                name=f"{first} {last}",
                content=f"{first} {last} is a {rng.choice(_COMMON)} {rng.choice(categories)}. " * 3,
                keys=keys,
                category=categories[i % len(categories)],
                insertion_order=rng.randint(0, 200),
            )
        )
    return entries


def make_chapter(
    entries: list[LoreEntry], size: int = 50_000, mentions: int = 300, seed: int = 11
) -> str:
    """About `size` characters of prose mentioning `mentions` random entry keys."""
    rng = random.Random(seed)
    words: list[str] = []
    length = 0
    every = max(1, size // (mentions * 6))
    while length < size:
        if rng.randrange(every) == 0:
            word = rng.choice(rng.choice(entries).keys)
        else:
            word = rng.choice(_COMMON)
        if rng.random() < 0.08:
            word += rng.choice([",", ".", "!", "?", ";"])
        words.append(word)
        length += len(word) + 1
    return " ".join(words)[:size]
