"""Guarded JSON parsing: size, nesting depth and number limits before `json.loads`."""

from __future__ import annotations

import json
import re
from typing import Any

from ._errors import FormatError

__all__ = ["MAX_DEPTH", "MAX_JSON_BYTES", "parse_json"]

MAX_JSON_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def _check_depth(data: bytes) -> None:
    depth = 0
    stripped = _STRING.sub(b'""', data)
    for m in _BRACKET.finditer(stripped):
        if m.group() in (b"[", b"{"):
            depth += 1
            if depth > MAX_DEPTH:
                raise FormatError(f"JSON nested deeper than {MAX_DEPTH} levels")
        else:
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
    _check_depth(raw)
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
