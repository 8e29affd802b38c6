"""Lorebook keys as SillyTavern reads them.

A key is trimmed before it is matched (`substituted.trim()` in `checkWorldInfo`). A key of
the shape `/pattern/flags` is a regular expression (`parseRegexFromString` in
`public/scripts/world-info.js`) unless the pattern holds an unescaped `/` or JavaScript
rejects it; then SillyTavern matches the whole key as plain text, and so do we. The file's
`use_regex` flag is not trusted: SillyTavern writes it on every entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import _jsregex
from ._jsregex import JS_WHITESPACE, JsSyntaxError, Unsupported

__all__ = [
    "REGEX_KEY",
    "KeySpec",
    "RegexKey",
    "is_regex_key",
    "parse_key",
    "regex_problem",
    "trim_key",
]

#: SillyTavern's test for a regex key (flags are JavaScript's `gimsuy`).
REGEX_KEY = re.compile(r"^/([\w\W]+?)/([gimsuy]*)$")
_UNESCAPED_SLASH = re.compile(r"(^|[^\\])/")


def trim_key(raw: str) -> str:
    """`raw` without JavaScript's leading and trailing white space (as `String.trim`)."""
    return raw.strip(JS_WHITESPACE)


@dataclass(frozen=True, slots=True)
class RegexKey:
    """A regex key: JavaScript `source` and `flags`, Python's translation (None when `re`
    cannot express it: `unsupported` says why) and `risk` (None when the pattern cannot
    backtrack catastrophically)."""

    source: str
    flags: str
    python: re.Pattern[str] | None
    unsupported: str | None
    risk: str | None

    @property
    def sticky(self) -> bool:
        return "y" in self.flags


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One key: `raw` as written, `text` trimmed (what a plain key matches), `regex` when
    it is a working regular expression, else `problem` says why a `/…/` key is plain text."""

    raw: str
    text: str
    regex: RegexKey | None = None
    problem: str | None = None


def _split(text: str) -> tuple[str, str] | str | None:
    """(source, flags) of a `/…/` key; a problem string; or None when it is not `/…/`."""
    m = REGEX_KEY.match(text)
    if m is None:
        return None
    pattern, flags = m.group(1), m.group(2)
    if _UNESCAPED_SLASH.search(pattern):
        return "its pattern contains an unescaped /"
    return pattern.replace("\\/", "/", 1), flags


def is_regex_key(raw: str) -> bool:
    """Whether `raw` has a regex key's shape (the pattern is not checked)."""
    return isinstance(raw, str) and isinstance(_split(trim_key(raw)), tuple)


def regex_problem(source: str, flags: str) -> str | None:
    """Why JavaScript would reject `/source/flags` (our reading of its grammar), or None."""
    try:
        _jsregex.parse(source, flags)
    except JsSyntaxError as exc:
        return f"it is not a valid regular expression ({exc})"
    except Unsupported:
        return None
    return None


#: The browser's own check of a pattern: an error message, or None when `RegExp` accepts it.
JsCheck = Callable[[str, str], str | None]


def parse_key(raw: str, *, js_check: JsCheck | None = None) -> KeySpec:
    """Read one key. `js_check(source, flags)` (the browser's `RegExp`) may decide validity
    instead of our reading of JavaScript's grammar; it returns an error message or None."""
    text = trim_key(raw)
    split = _split(text)
    if split is None:
        return KeySpec(raw, text)
    if isinstance(split, str):
        return KeySpec(raw, text, problem=split)
    source, flags = split
    try:
        js = _jsregex.parse(source, flags)
    except JsSyntaxError as exc:
        if js_check is None or js_check(source, flags) is not None:
            return KeySpec(raw, text, problem=f"it is not a valid regular expression ({exc})")
        # The browser accepts what our reading rejects: run it there only.
        return KeySpec(raw, text, RegexKey(source, flags, None, f"{exc}", "unknown pattern"))
    except Unsupported as exc:
        return KeySpec(raw, text, RegexKey(source, flags, None, str(exc), None))
    if js_check is not None:
        problem = js_check(source, flags)
        if problem is not None:
            return KeySpec(raw, text, problem=f"it is not a valid regular expression ({problem})")
    try:
        python: re.Pattern[str] | None = _jsregex.to_python(js)
        unsupported = None
    except Unsupported as exc:
        python, unsupported = None, str(exc)
    return KeySpec(raw, text, RegexKey(source, flags, python, unsupported, _jsregex.risk(js)))
