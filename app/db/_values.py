"""Stored values: what a structured clone keeps of a Python value."""

from __future__ import annotations

import copy
import datetime as _dt
from typing import Any

from ._keys import normalize_date

__all__ = ["clone"]


def clone(value: Any) -> Any:
    """Structured-clone emulation: deep copy with dates normalised, tuples as lists."""
    t = type(value)
    if t is dict:
        return {k: clone(v) for k, v in value.items()}
    if t is list or t is tuple:
        return [clone(v) for v in value]
    if t in (str, int, float, bool) or value is None:
        return value
    if isinstance(value, _dt.datetime):
        return normalize_date(value)
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    return copy.deepcopy(value)
