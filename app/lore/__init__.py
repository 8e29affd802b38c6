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

from typing import TYPE_CHECKING

from app._lazy import lazy_names

if TYPE_CHECKING:
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

#: Where each public name lives. The boot opens the library with `LayerCache` and
#: `follow_changes` only, so the matcher, lint, regex and file-format modules are imported
#: when first asked for (PEP 562), not at start.
_HOMES: dict[str, str] = {
    "formats": ".formats",
    "LayerCache": "._cache",
    **dict.fromkeys(
        (
            "VARIABLES",
            "BuiltContext",
            "LoreContext",
            "build_context",
            "build_context_async",
            "format_entry",
        ),
        "._context",
    ),
    "LEVELS": "._entry",
    "LoreEntry": "._entry",
    "follow_changes": "._follow",
    "REGEX_KEY": "._keys",
    **dict.fromkeys(("COMMON_WORDS", "LintIssue", "lint"), "._lint"),
    "Matcher": "._matcher",
    "MatchOptions": "._options",
    "approx_tokens": "._options",
    **dict.fromkeys(
        ("KEY_TIME_LIMIT", "BrowserRunner", "PythonRunner", "RegexRunner"), "._regex_run"
    ),
    "GENERATION_TRIGGERS": "._scan_context",
    "ScanContext": "._scan_context",
    **dict.fromkeys(
        ("KEY_PROBLEMS", "REASONS", "KeyHit", "KeyProblem", "ScanResult", "TraceItem"), "._trace"
    ),
}


__getattr__ = lazy_names(__name__, _HOMES)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
