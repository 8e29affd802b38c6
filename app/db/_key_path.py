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


def get_by_keypath(obj: Any, path: str) -> Any:
    """Value at a dotted key path, or MISSING."""
    if path == "":
        return obj
    cur = obj
    for part in path.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, str) and part == "length":
            cur = len(cur.encode("utf-16-le", "surrogatepass")) // 2
        elif isinstance(cur, list) and part == "length":
            cur = len(cur)
        else:
            return MISSING
    return cur


def set_by_keypath(obj: Any, path: str, value: Any) -> None:
    """Set a dotted key path, creating intermediate dicts."""
    parts = path.split(".")
    cur = obj
    for part in parts[:-1]:
        nxt = cur.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            cur[part] = nxt
        cur = nxt
    cur[parts[-1]] = value


def del_by_keypath(obj: Any, path: str) -> None:
    parts = path.split(".")
    cur = obj
    for part in parts[:-1]:
        cur = cur.get(part) if isinstance(cur, dict) else None
        if cur is None:
            return
    if isinstance(cur, dict):
        cur.pop(parts[-1], None)


def extract_key(obj: Any, key_path: str | list[str]) -> Any:
    """Key at ``key_path`` (compound for a list), MISSING when absent or invalid."""
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
