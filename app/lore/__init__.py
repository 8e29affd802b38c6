"""Lore engine: lorebook matching, prompt context building, lint and file formats.

    from app.lore import LayerCache, Matcher, MatchOptions, ScanContext
    cache = LayerCache()                      # app-wide, one per library
    follow_changes(cache, domain.store)       # committed lorebook edits invalidate their layers
    matcher = await Matcher.build(entries, MatchOptions(token_budget=800), cache=cache)
    result = await matcher.scan_async(chat_messages, context=ScanContext(lore_state=chat.lore_state))
    result.entries                            # activated, in prompt order
    result.trace                              # every candidate: key hits, scope, reason
    result.lore_state                         # store on the chat (timed effects)

The scan behaves like SillyTavern's (`checkWorldInfo`) on SillyTavern's own books; the
deliberate differences and why are listed in this package's README.md. `Matcher(...)` and
`matcher.scan(...)` are the synchronous forms (CPython, tools, tests).
`build_context(template, LoreContext(...))` (or `build_context_async`) resolves prompt
variables, `lint(entries)` reports lorebook problems, and `formats.load` / `formats.dump`
read and write character cards, SillyTavern, NovelAI and Agnai files.
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
