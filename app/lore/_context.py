"""Prompt context builder: resolves `{{variables}}` against a story or chat and its lore."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._cache import LayerCache
from ._entry import attr, level_rank
from ._matcher import Matcher
from ._options import MatchOptions
from ._scan_context import ScanContext
from ._trace import ScanResult

__all__ = [
    "VARIABLES",
    "BuiltContext",
    "LoreContext",
    "build_context",
    "build_context_async",
    "format_entry",
]

_VAR = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
#: `{{outlet::Name}}`, SillyTavern's macro for the entries of a named outlet.
_OUTLET = re.compile(r"\{\{\s*outlet::(.*?)\}\}", re.DOTALL)
_ANY = re.compile(f"{_OUTLET.pattern}|{_VAR.pattern}", re.DOTALL)
_CATEGORIES = {
    "all_characters": "character",
    "all_locations": "location",
    "all_items": "item",
    "all_events": "event",
    "all_notes": "note",
}
_CHAPTER = ("matched_entries_chapter", "lorebook_chapter_matched_entries")
#: Every variable the builder knows, with what it stands for.
VARIABLES: dict[str, str] = {
    "matched_entries_chapter": "entries activated by the chapter text (or the chat window)",
    "lorebook_chapter_matched_entries": "same as matched_entries_chapter",
    "lorebook_scenebeat_matched_entries": "entries activated by the scene beat text",
    "outlet::Name": "activated entries placed in the outlet named Name (position 'outlet')",
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
    `messages` for a chat (then the chat window stands in for the chapter). `scan` carries
    the rest a scan may need (extra texts, character, generation type, timed effects).
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
    scan: ScanContext | None = None


@dataclass
class BuiltContext:
    """The resolved text, warnings (unknown variables, missing inputs) and the scans made."""

    text: str
    warnings: list[str] = field(default_factory=list)
    scans: dict[str, ScanResult] = field(default_factory=dict)


def _needed(template: str, ctx: LoreContext) -> dict[str, str | Sequence[str] | None]:
    """The scans `template` needs: "chapter" and / or "scenebeat", with their texts."""
    out: dict[str, str | Sequence[str] | None] = {}
    for m in _ANY.finditer(template):
        name = (m.group(2) or "").lower()
        if m.group(1) is not None or name in _CHAPTER:
            out["chapter"] = ctx.chapter_text if ctx.chapter_text is not None else ctx.messages
        elif name == "lorebook_scenebeat_matched_entries":
            out["scenebeat"] = ctx.scene_beat_text
    return out


def build_context(
    template: str,
    ctx: LoreContext,
    *,
    render: Callable[[Any], str] = format_entry,
    separator: str = "\n\n",
) -> BuiltContext:
    """Resolve every `{{variable}}` of `template`. Unknown variables stay as written and
    produce a warning; `{{char}}` / `{{user}}` inside entry contents are resolved too.
    In the browser, prefer `build_context_async` (its scans run regex keys in a worker)."""
    scans: dict[str, ScanResult] = {}
    matcher: Matcher | None = None
    for name, text in _needed(template, ctx).items():
        if text is not None:
            if matcher is None:
                matcher = Matcher(ctx.entries, ctx.options, cache=ctx.cache)
            scans[name] = matcher.scan(text, context=ctx.scan)
    return _resolve(template, ctx, scans, render, separator)


async def build_context_async(
    template: str,
    ctx: LoreContext,
    *,
    render: Callable[[Any], str] = format_entry,
    separator: str = "\n\n",
) -> BuiltContext:
    """`build_context` with asynchronous scans (`Matcher.scan_async`)."""
    scans: dict[str, ScanResult] = {}
    matcher: Matcher | None = None
    for name, text in _needed(template, ctx).items():
        if text is not None:
            if matcher is None:
                matcher = await Matcher.build(ctx.entries, ctx.options, cache=ctx.cache)
            scans[name] = await matcher.scan_async(text, context=ctx.scan)
    return _resolve(template, ctx, scans, render, separator)


def _resolve(
    template: str,
    ctx: LoreContext,
    scans: dict[str, ScanResult],
    render: Callable[[Any], str],
    separator: str,
) -> BuiltContext:
    warnings: list[str] = []
    for result in scans.values():
        warnings.extend(result.warnings)
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

    def scanned(name: str, label: str) -> ScanResult | None:
        result = scans.get(name)
        if result is None:
            warning = f"{{{{{label}}}}}: no text to scan was given"
            if warning not in warnings:
                warnings.append(warning)
        return result

    def placed(result: ScanResult) -> list[Any]:
        """Entries that go where the scan's block goes (not the outlet ones)."""
        return [e for e in result.entries if attr(e, "position") != "outlet"]

    def resolve(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            result = scanned("chapter", f"outlet::{m.group(1).strip()}")
            if result is None:
                return ""
            return block(result.outlets.get(m.group(1).strip(), []))
        name = m.group(2)
        key = name.lower()
        if key in _CHAPTER:
            result = scanned("chapter", name)
            return "" if result is None else block(placed(result))
        if key == "lorebook_scenebeat_matched_entries":
            result = scanned("scenebeat", name)
            return "" if result is None else block(placed(result))
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

    text = _ANY.sub(resolve, template)
    return BuiltContext(text=text, warnings=warnings, scans=scans)
