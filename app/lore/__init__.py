"""Lore engine: lorebook matching, prompt context building, lint and file formats.

    from app.lore import LayerCache, Matcher, MatchOptions
    cache = LayerCache()                      # app-wide, one per library
    follow_changes(cache, domain.store)       # committed lorebook edits invalidate their layers
    matcher = Matcher(entries, MatchOptions(token_budget=800), cache=cache)
    result = matcher.scan(chapter_text)       # or matcher.scan(chat_messages)
    result.entries                            # activated, in insertion order
    result.trace                              # every candidate: key hits, scope, reason

`build_context(template, LoreContext(...))` resolves prompt variables, `lint(entries)`
reports lorebook problems, and `formats.load` / `formats.dump` read and write character
cards, SillyTavern, NovelAI and Agnai files.
"""

from __future__ import annotations

from . import formats
from ._cache import LayerCache
from ._context import (
    VARIABLES,
    BuiltContext,
    LoreContext,
    build_context,
    build_context_async,
    format_entry,
)
from ._entry import LEVELS, LoreEntry
from ._follow import follow_changes
from ._keys import REGEX_KEY
from ._lint import COMMON_WORDS, LintIssue, lint
from ._matcher import Matcher
from ._options import MatchOptions, approx_tokens
from ._regex_run import KEY_TIME_LIMIT, BrowserRunner, PythonRunner, RegexRunner
from ._scan_context import GENERATION_TRIGGERS, ScanContext
from ._trace import KEY_PROBLEMS, REASONS, KeyHit, KeyProblem, ScanResult, TraceItem

__all__ = [
    "COMMON_WORDS",
    "GENERATION_TRIGGERS",
    "KEY_PROBLEMS",
    "KEY_TIME_LIMIT",
    "LEVELS",
    "REASONS",
    "REGEX_KEY",
    "VARIABLES",
    "BrowserRunner",
    "BuiltContext",
    "KeyHit",
    "KeyProblem",
    "LayerCache",
    "LintIssue",
    "LoreContext",
    "LoreEntry",
    "MatchOptions",
    "Matcher",
    "PythonRunner",
    "RegexRunner",
    "ScanContext",
    "ScanResult",
    "TraceItem",
    "approx_tokens",
    "build_context",
    "build_context_async",
    "follow_changes",
    "format_entry",
    "formats",
    "lint",
]
