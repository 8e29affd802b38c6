"""Stored values: what a structured clone keeps of a Python value."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ._keys import normalize_date
from .errors import DataError

__all__ = ["clone"]


#: Values that are their own clone (checked inline: no call per string or number).
_ATOMIC = frozenset({str, int, float, bool, type(None)})


def clone(value: Any) -> Any:
    """Structured-clone emulation: deep copy with dates normalised, tuples as lists;
    DataError for what IndexedDB cannot store (a function, a set, other objects)."""
    t = type(value)
    if t is dict:
        return {k: v if type(v) in _ATOMIC else clone(v) for k, v in value.items()}
    if t is list or t is tuple:
        return [v if type(v) in _ATOMIC else clone(v) for v in value]
    if t in _ATOMIC:
        return value
    if isinstance(value, _dt.datetime):
        return normalize_date(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clone(v) for v in value]
    for base in (str, int, float):  # e.g. enum members: stored as their plain value
        if isinstance(value, base):
            return base(value)
    # as IndexedDB's structured clone (and the IndexedDB backend) refuse a function,
    # a set or any other object
    raise DataError(f"DataCloneError: cannot store a value of type {t.__name__}")
