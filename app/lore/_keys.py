"""Parsing lorebook keys: plain literals and `/pattern/flags` regular expressions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._text import lower

__all__ = ["REGEX_KEY", "Key", "KeyError_", "compile_regex_key", "parse_key"]

#: SillyTavern's test for a regex key. Checked per key; a file's `use_regex` flag is not trusted.
REGEX_KEY = re.compile(r"^/([\w\W]+?)/([gimsuyd]*)$")

_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}
_JS_NAMED_GROUP = re.compile(r"\(\?<(?![=!])")
_JS_BACKREF = re.compile(r"\\k<([A-Za-z_][A-Za-z0-9_]*)>")
MAX_KEY_PATTERN = 2000


class KeyError_(ValueError):
    """A key that cannot be used (invalid regular expression, too long)."""


@dataclass(frozen=True, slots=True)
class Key:
    """One usable key of one entry.

    `needle` is the literal to search for (lowered unless case-sensitive); `regex` is set
    for regex keys, which ignore the case and whole-word settings (their flags decide).
    """

    raw: str
    needle: str
    case_sensitive: bool
    whole_word: bool
    regex: re.Pattern[str] | None = None


def compile_regex_key(raw: str) -> re.Pattern[str] | None:
    """Compile a `/pattern/flags` key (JavaScript syntax where it differs), or None if `raw`
    is not written as a regex. Raises `KeyError_` for an invalid pattern."""
    m = REGEX_KEY.match(raw)
    if m is None:
        return None
    body, flags = m.group(1), m.group(2)
    if len(body) > MAX_KEY_PATTERN:
        raise KeyError_(f"regex key longer than {MAX_KEY_PATTERN} characters")
    value = 0
    for flag in flags:
        value |= _FLAGS.get(flag, 0)
    body = _JS_NAMED_GROUP.sub("(?P<", body)
    body = _JS_BACKREF.sub(r"(?P=\1)", body)
    try:
        return re.compile(body, value)
    except (re.error, RecursionError, OverflowError) as exc:
        raise KeyError_(f"invalid regex key {raw!r}: {exc}") from None


def parse_key(raw: str, *, case_sensitive: bool, whole_word: bool) -> Key | None:
    """A `Key` for `raw`, or None for an empty key. Raises `KeyError_` for a bad regex."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    regex = compile_regex_key(raw)
    if regex is not None:
        return Key(raw, raw, True, False, regex)
    needle = raw if case_sensitive else lower(raw)
    return Key(raw, needle, case_sensitive, whole_word)
