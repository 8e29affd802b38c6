"""Lore engine: lorebook matching, prompt context building, lint and file formats.

from app.lore import Matcher, MatchOptions
result = Matcher(entries, MatchOptions(token_budget=800)).scan(chapter_text)
result.entries   # activated, in insertion order
result.trace     # why each candidate was included or left out
"""

from __future__ import annotations

from . import formats
from ._cache import LayerCache
from ._context import VARIABLES, BuiltContext, LoreContext, build_context, format_entry
from ._entry import LEVELS, LoreEntry
from ._keys import REGEX_KEY
from ._lint import COMMON_WORDS, LintIssue, lint
from ._matcher import Matcher
from ._options import MatchOptions, approx_tokens
from ._trace import REASONS, KeyHit, ScanResult, TraceItem

__all__ = [
    "COMMON_WORDS",
    "LEVELS",
    "REASONS",
    "REGEX_KEY",
    "VARIABLES",
    "BuiltContext",
    "KeyHit",
    "LayerCache",
    "LintIssue",
    "LoreContext",
    "LoreEntry",
    "MatchOptions",
    "Matcher",
    "ScanResult",
    "TraceItem",
    "approx_tokens",
    "build_context",
    "format_entry",
    "formats",
    "lint",
]
