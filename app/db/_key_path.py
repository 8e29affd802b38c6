"""Key paths: reading, writing and deleting dotted paths in stored values, and the keys
a value has for the primary key or an index."""

from __future__ import annotations

from typing import Any

from ._keys import Encoded, encode, is_valid_key
from .errors import DataError

__all__ = [
    "MISSING",
    "KeyPath",
    "del_by_keypath",
    "extract_key",
    "get_by_keypath",
    "index_keys",
    "set_by_keypath",
]

#: "No value at this path" (falsy; distinct from a stored None).
MISSING: Any = type(
    "Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda self: False}
)()

#: A key path: a dotted name, a list of them (compound), or None (outbound keys).
KeyPath = str | list[str] | None


def _index(part: str) -> int | None:
    """``part`` as a list index ("0", "12"), or None."""
    return int(part) if part.isdigit() and part.isascii() else None


def get_by_keypath(obj: Any, path: str) -> Any:
    """Value at a dotted key path, or MISSING (``"tags.0"`` reads a list's element)."""
    if path == "":
        return obj
    cur = obj
    for part in path.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list):
            if part == "length":
                cur = len(cur)
                continue
            i = _index(part)
            if i is None or i >= len(cur):
                return MISSING
            cur = cur[i]
        elif isinstance(cur, str) and part == "length":
            cur = len(cur.encode("utf-16-le", "surrogatepass")) // 2
        else:
            return MISSING
    return cur


def _list_slot(items: list[Any], part: str, path: str) -> int:
    i = _index(part)
    if i is None:
        raise DataError(f"key path {path!r}: {part!r} is not an index into a list")
    while len(items) <= i:  # JavaScript would leave holes; Python has None
        items.append(None)
    return i


def set_by_keypath(obj: Any, path: str, value: Any) -> None:
    """Set a dotted key path, creating the dicts on the way; a numeric part sets a list
    element (``"tags.0"``) and keeps the others."""
    parts = path.split(".")
    cur = obj
    for part in parts[:-1]:
        if isinstance(cur, list):
            i = _list_slot(cur, part, path)
            nxt = cur[i]
            if not isinstance(nxt, (dict, list)):
                nxt = cur[i] = {}
        else:
            nxt = cur.get(part)
            if not isinstance(nxt, (dict, list)):
                nxt = cur[part] = {}
        cur = nxt
    last = parts[-1]
    if isinstance(cur, list):
        cur[_list_slot(cur, last, path)] = value
    else:
        cur[last] = value


def del_by_keypath(obj: Any, path: str) -> None:
    """Remove what a dotted key path names (a list element is spliced out, as Dexie does)."""
    parts = path.split(".")
    cur = obj
    for part in parts[:-1]:
        if isinstance(cur, dict):
            cur = cur.get(part)
        elif isinstance(cur, list):
            i = _index(part)
            cur = cur[i] if i is not None and i < len(cur) else None
        else:
            return
        if cur is None:
            return
    last = parts[-1]
    if isinstance(cur, dict):
        cur.pop(last, None)
    elif isinstance(cur, list):
        i = _index(last)
        if i is not None and i < len(cur):
            del cur[i]


def extract_key(obj: Any, key_path: str | list[str]) -> Any:
    """Key at ``key_path`` (compound for a list), MISSING when absent or invalid."""
    if type(obj) is dict and type(key_path) is str and "." not in key_path:
        v = obj.get(key_path, MISSING)
        if type(v) is str or type(v) is int:  # valid as it is (a bool is no key)
            return v
    if isinstance(key_path, list):
        parts = []
        for p in key_path:
            v = get_by_keypath(obj, p)
            if v is MISSING or not is_valid_key(v):
                return MISSING
            parts.append(v)
        return parts
    v = get_by_keypath(obj, key_path)
    if v is MISSING or not is_valid_key(v):
        return MISSING
    return v


def index_keys(obj: Any, key_path: str | list[str], multi: bool) -> list[Encoded]:
    """Encoded index keys of ``obj`` for an index (empty when not indexed)."""
    if multi and isinstance(key_path, str):
        v = get_by_keypath(obj, key_path)
        if v is MISSING:
            return []
        if isinstance(v, list):
            out: list[Encoded] = []
            seen: set[Encoded] = set()
            for item in v:
                try:
                    e = encode(item)
                except DataError:
                    continue
                if e not in seen:
                    seen.add(e)
                    out.append(e)
            return out
        try:
            return [encode(v)]
        except DataError:
            return []
    k = extract_key(obj, key_path)
    if k is MISSING:
        return []
    return [encode(k)]
