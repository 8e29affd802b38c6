"""Prompt context builder: resolves `{{variables}}` against a story or chat and its lore."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._cache import LayerCache
from ._entry import level_rank
from ._matcher import Matcher
from ._options import MatchOptions
from ._trace import ScanResult

__all__ = ["VARIABLES", "BuiltContext", "LoreContext", "build_context", "format_entry"]

_VAR = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_CATEGORIES = {
    "all_characters": "character",
    "all_locations": "location",
    "all_items": "item",
    "all_events": "event",
    "all_notes": "note",
}
#: Every variable the builder knows, with what it stands for.
VARIABLES: dict[str, str] = {
    "matched_entries_chapter": "entries activated by the chapter text (or the chat window)",
    "lorebook_chapter_matched_entries": "same as matched_entries_chapter",
    "lorebook_scenebeat_matched_entries": "entries activated by the scene beat text",
    "all_characters": "every enabled entry of category 'character'",
    "all_locations": "every enabled entry of category 'location'",
    "all_items": "every enabled entry of category 'item'",
    "all_events": "every enabled entry of category 'event'",
    "all_notes": "every enabled entry of category 'note'",
    "char": "the character's name",
    "user": "the user's name",
    "persona": "the user's persona description",
    "description": "the character's description",
    "scenario": "the scenario",
}


def format_entry(entry: Any) -> str:
    """Default rendering of one entry: `Name: content`."""
    name = (entry.name or "").strip()
    return f"{name}: {entry.content}" if name else entry.content


@dataclass
class LoreContext:
    """What a template is resolved against.

    `entries` are all entries the scope sees (global + series + story, or global +
    character + chat + modules). Give `chapter_text` / `scene_beat_text` for stories, or
    `messages` for a chat (then the chat window stands in for the chapter).
    """

    entries: Sequence[Any] = ()
    chapter_text: str | None = None
    scene_beat_text: str | None = None
    messages: Sequence[str] | None = None
    char: str = ""
    user: str = ""
    persona: str = ""
    description: str = ""
    scenario: str = ""
    options: MatchOptions | None = None
    cache: LayerCache | None = None


@dataclass
class BuiltContext:
    """The resolved text, warnings (unknown variables, missing inputs) and the scans made."""

    text: str
    warnings: list[str] = field(default_factory=list)
    scans: dict[str, ScanResult] = field(default_factory=dict)


def build_context(
    template: str,
    ctx: LoreContext,
    *,
    render: Callable[[Any], str] = format_entry,
    separator: str = "\n\n",
) -> BuiltContext:
    """Resolve every `{{variable}}` of `template`. Unknown variables stay as written and
    produce a warning; `{{char}}` / `{{user}}` inside entry contents are resolved too."""
    warnings: list[str] = []
    scans: dict[str, ScanResult] = {}
    matcher: Matcher | None = None
    simple = {
        "char": ctx.char,
        "user": ctx.user,
        "persona": ctx.persona,
        "description": ctx.description,
        "scenario": ctx.scenario,
    }

    def macros(text: str) -> str:
        return _VAR.sub(
            lambda m: (
                simple[m.group(1).lower()] if m.group(1).lower() in ("char", "user") else m.group(0)
            ),
            text,
        )

    def block(entries: Sequence[Any]) -> str:
        return separator.join(macros(render(e)) for e in entries)

    def scan(name: str, text: str | Sequence[str] | None) -> str:
        nonlocal matcher
        if name not in scans:
            if text is None:
                warnings.append(f"{{{{{name}}}}}: no text to scan was given")
                return ""
            if matcher is None:
                matcher = Matcher(ctx.entries, ctx.options, cache=ctx.cache)
            scans[name] = matcher.scan(text)
            warnings.extend(scans[name].warnings)
        return block(scans[name].entries)

    def resolve(m: re.Match[str]) -> str:
        name = m.group(1)
        key = name.lower()
        if key in ("matched_entries_chapter", "lorebook_chapter_matched_entries"):
            source = ctx.chapter_text if ctx.chapter_text is not None else ctx.messages
            return scan("chapter", source)
        if key == "lorebook_scenebeat_matched_entries":
            return scan("scenebeat", ctx.scene_beat_text)
        if key in _CATEGORIES:
            category = _CATEGORIES[key]
            chosen = [
                e for e in ctx.entries if e.enabled and (e.category or "").lower() == category
            ]
            chosen.sort(key=lambda e: (level_rank(e.level), e.insertion_order, e.name or ""))
            return block(chosen)
        if key in simple:
            return simple[key]
        warnings.append(f"unknown template variable {m.group(0)} left as written")
        return m.group(0)

    text = _VAR.sub(resolve, template)
    return BuiltContext(text=text, warnings=warnings, scans=scans)
