"""Svelte's ``safe_not_equal``: the rule that decides whether a ``set`` notifies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Equals", "safe_not_equal"]

Equals = Callable[[Any, Any], bool]
"""``equals(old, new) -> bool``: True when ``new`` should *not* notify."""

# Python's counterparts of JavaScript primitives: immutable scalars compared by value.
# Everything else (lists, dicts, tuples, models, functions, ...) counts as an object.
_SCALARS = (type(None), bool, int, float, complex, str, bytes)


def safe_not_equal(old: Any, new: Any) -> bool:
    """Return True when ``new`` differs from ``old`` the way Svelte decides it.

    Scalars (None, bool, numbers, str, bytes) compare by type and value (ints and
    floats are one number type, bools are not numbers), and NaN equals NaN. Any other
    object always counts as changed, even when it is the same object, because it may
    have been mutated in place.
    """
    if not isinstance(old, _SCALARS):
        return True
    if old != old:  # NaN: equal only to another NaN
        return bool(new == new)
    if _is_number(old) and _is_number(new):  # one number type, as in JavaScript
        return bool(old != new)
    return type(old) is not type(new) or old != new


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, complex)) and not isinstance(value, bool)
