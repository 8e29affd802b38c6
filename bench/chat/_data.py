"""Deterministic synthetic chats, characters and lore for the chat benchmark."""

from __future__ import annotations

import random
from typing import Any

from app.domain import Character, LorebookEntry, Message, Persona, PromptPreset
from app.generation import PresetSettings, PromptSettings, SamplingSettings

__all__ = ["make_chat", "make_lore", "make_setup"]

_WORDS = (
    "the of and to a in that it was he she his her for on with as at by from they we said "
    "had not but what all were when there can an your which their if do will each about how "
    "up out them then many some so these would other into has more two like him see time "
    "could no make than first been its who now people my made over did down only way find "
    "sword castle river night road king queen forest dark light old young stone door wind "
    "dragon smiled whispered looked softly suddenly across toward beneath ancient"
).split()
_SYLLABLES = "al bar cor dan el fen gar hal is jor kel lan mor nar or pel quin ros sar tor ul val wen xan".split()
CHAT_ID = "bench-chat"
CHARACTER_ID = "bench-char"


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def make_lore(n: int = 5000, seed: int = 3) -> list[LorebookEntry]:
    """`n` entries across the scopes a chat sees: 60 % global, 30 % character, 10 % chat;
    three keys each, a few constants."""
    rng = random.Random(seed)
    out = []
    seen: set[str] = set()
    for i in range(n):
        first = _name(rng)
        while first in seen:
            first = _name(rng) + _name(rng)
        seen.add(first)
        last = _name(rng)
        level, scope = ("global", None) if i % 10 < 6 else (
            ("character", CHARACTER_ID) if i % 10 < 9 else ("chat", CHAT_ID))
        out.append(
            LorebookEntry(
                id=f"lore-{i}", level=level, scope_id=scope, name=f"{first} {last}",
                keys=[first, f"{first} {last}", f"the {last.lower()}"],
                content=f"{first} {last} is a {rng.choice(_WORDS)} figure of the old wars. " * 3,
                constant=i % 1000 == 0, insertion_order=rng.randint(0, 200),
            )
        )
    return out


def make_chat(n: int = 1000, lore: list[LorebookEntry] | None = None, avg_chars: int = 400,
              seed: int = 5) -> list[Message]:
    """`n` alternating messages of about `avg_chars` characters, mentioning lore keys."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        words: list[str] = []
        size = 0
        target = rng.randint(avg_chars // 2, avg_chars * 3 // 2)
        while size < target:
            word = rng.choice(rng.choice(lore).keys) if lore and rng.random() < 0.02 else rng.choice(_WORDS)
            words.append(word)
            size += len(word) + 1
        out.append(
            Message(id=f"msg-{i:05d}", chat_id=CHAT_ID, role="user" if i % 2 == 0 else "assistant",
                    content=" ".join(words), created_at=f"2026-01-01T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z")
        )
    return out


def make_setup() -> dict[str, Any]:
    character = Character(
        id=CHARACTER_ID, name="Aria",
        description="{{char}} is an ancient dragon who guards the northern pass. " * 8,
        personality="proud, curious, secretly kind", scenario="{{user}} climbs to the cave.",
        example_messages="<START>\n{{user}}: Hello?\n{{char}}: Who dares? " * 3,
        post_history_instructions="Stay in character as {{char}}.",
    )
    persona = Persona(id="bench-persona", name="Sam", description="{{user}} is a wandering knight.")
    settings = PresetSettings(
        sampling=SamplingSettings(max_tokens=512), prompt=PromptSettings(context_size=16384)
    )
    preset = PromptPreset(id="bench-preset", name="Bench", system_prompt="You are {{char}}.",
                          parameters=settings.to_parameters())
    return {"character": character, "persona": persona, "preset": preset}
