"""Stored values: what a structured clone keeps of a Python value."""

from __future__ import annotations

import copy
import datetime as _dt
from typing import Any

from ._keys import normalize_date

__all__ = ["clone"]


#: Values that are their own clone (checked inline: no call per string or number).
_ATOMIC = frozenset({str, int, float, bool, type(None)})


def clone(value: Any) -> Any:
    """Structured-clone emulation: deep copy with dates normalised, tuples as lists."""
    t = type(value)
    if t is dict:
        return {k: v if type(v) in _ATOMIC else clone(v) for k, v in value.items()}
    if t is list or t is tuple:
        return [v if type(v) in _ATOMIC else clone(v) for v in value]
    if t in _ATOMIC:
        return value
    if isinstance(value, _dt.datetime):
        return normalize_date(value)
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    return copy.deepcopy(value)
