"""Parsing lorebook keys: plain literals and `/pattern/flags` regular expressions."""

from __future__ import annotations

import re

__all__ = ["MAX_KEY_PATTERN", "REGEX_KEY", "KeyError_", "compile_regex_key"]

#: SillyTavern's test for a regex key. Checked per key; a file's `use_regex` flag is not trusted.
REGEX_KEY = re.compile(r"^/([\w\W]+?)/([gimsuyd]*)$")

_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}
_JS_NAMED_GROUP = re.compile(r"\(\?<(?![=!])")
_JS_BACKREF = re.compile(r"\\k<([A-Za-z_][A-Za-z0-9_]*)>")
MAX_KEY_PATTERN = 2000


class KeyError_(ValueError):
    """A key that cannot be used (invalid regular expression, too long)."""


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
