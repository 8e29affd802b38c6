"""Guarded JSON parsing: size, nesting depth and number limits before `json.loads`.

The nesting check walks the raw bytes in memory proportional to the nesting (two counters),
not to the text: one regex skips strings and bracket-free bytes with possessive repeats (no
backtracking state kept per character) and stops only at a stretch of bytes between two
strings that holds a bracket; its brackets are counted with `bytes.count` (no copies), and
only a stretch that could go deeper than the limit is walked bracket by bracket. It also
caps the number of objects and arrays, so a file of millions of empty lists cannot make
`json.loads` build them all.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ._errors import FormatError

__all__ = ["MAX_CONTAINERS", "MAX_DEPTH", "MAX_JSON_BYTES", "check_depth", "parse_json"]

MAX_JSON_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64
#: At most this many objects and arrays in one file (a 100,000-entry world has ~700,000).
MAX_CONTAINERS = 2_000_000
#: A string (its end quote may be missing in a broken file).
_STRING = rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"?'
#: Strings and bytes without brackets, skipped; then (group 1) the bytes up to the next
#: string, starting at a bracket.
_BRACKETS = re.compile(rb'(?:[^"\[\]{}]++|' + _STRING + rb')*+([\[\]{}][^"]*+)', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def check_depth(data: bytes) -> None:
    """Raise `FormatError` if `data` nests deeper than `MAX_DEPTH` or holds more than
    `MAX_CONTAINERS` objects and arrays (strings are skipped)."""
    depth = 0
    containers = 0
    count = data.count
    for m in _BRACKETS.finditer(data):
        start, end = m.span(1)
        opens = count(b"[", start, end) + count(b"{", start, end)
        if not opens:
            depth = max(0, depth - count(b"]", start, end) - count(b"}", start, end))
            continue
        containers += opens
        if containers > MAX_CONTAINERS:
            raise FormatError(f"JSON holds more than {MAX_CONTAINERS:,} objects and arrays")
        if depth + opens <= MAX_DEPTH:
            closes = count(b"]", start, end) + count(b"}", start, end)
            depth = max(0, depth + opens - closes)
            continue
        for bracket in _BRACKET.finditer(data, start, end):
            if bracket.group() in (b"[", b"{"):
                depth += 1
                if depth > MAX_DEPTH:
                    raise FormatError(f"JSON nested deeper than {MAX_DEPTH} levels")
            elif depth:
                depth -= 1


def _no_constant(name: str) -> Any:
    raise FormatError(f"JSON contains {name}, which is not valid JSON")


def parse_json(data: bytes | str, *, max_bytes: int = MAX_JSON_BYTES) -> Any:
    """Parse JSON text, raising `FormatError` for anything malformed, nested too deeply
    or larger than `max_bytes` (Lorekeeper's own backups pass a larger limit)."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > max_bytes:
        raise FormatError(f"JSON larger than {max_bytes // (1024 * 1024)} MB")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    check_depth(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"file is not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except (RecursionError, ValueError) as exc:
        raise FormatError(f"malformed JSON: {exc}") from None
