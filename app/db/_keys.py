"""IndexedDB keys in Python: validation, total ordering, key paths and key ranges.

Ordering follows the IndexedDB spec: number < date < string < binary < array; strings
compare by UTF-16 code units, arrays element by element.  ``encode`` turns a key into a
hashable tuple whose natural Python ordering is exactly that order.
"""

from __future__ import annotations

import copy
import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .errors import DataError

MISSING: Any = type(
    "Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda self: False}
)()

_NUMBER, _DATE, _STRING, _BINARY, _ARRAY = 1, 2, 3, 4, 5
MIN_ENC: tuple = (0,)
MAX_ENC: tuple = (9,)

_UTC = _dt.UTC
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)


def normalize_date(value: _dt.datetime) -> _dt.datetime:
    """A datetime as IndexedDB would give it back: UTC-aware, millisecond precision."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=_UTC)
    value = value.astimezone(_UTC)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def date_to_ms(value: _dt.datetime) -> float:
    value = normalize_date(value)
    return (value - _EPOCH) / _dt.timedelta(milliseconds=1)


def ms_to_date(ms: float) -> _dt.datetime:
    return _EPOCH + _dt.timedelta(milliseconds=ms)


def is_valid_key(key: Any) -> bool:
    """True when ``key`` is a valid IndexedDB key."""
    try:
        encode(key)
    except DataError:
        return False
    return True


def encode(key: Any, _depth: int = 0) -> tuple:
    """Encode a key into an order-preserving hashable tuple; DataError if invalid."""
    t = type(key)
    if t is str:
        return (_STRING, key.encode("utf-16-be", "surrogatepass"))
    if t is int:
        return (_NUMBER, key)
    if t is float:
        if key != key:
            raise DataError("NaN is not a valid key")
        return (_NUMBER, key)
    if t is list or t is tuple:
        if _depth > 100:
            raise DataError("key nests too deeply")
        return (_ARRAY, tuple(encode(k, _depth + 1) for k in key))
    if isinstance(key, bool) or key is None:
        raise DataError(f"{key!r} is not a valid key")
    if isinstance(key, int):
        return (_NUMBER, int(key))
    if isinstance(key, float):
        return encode(float(key))
    if isinstance(key, _dt.datetime):
        return (_DATE, date_to_ms(key))
    if isinstance(key, (bytes, bytearray, memoryview)):
        return (_BINARY, bytes(key))
    if isinstance(key, str):
        return encode(str(key))
    raise DataError(f"{key!r} is not a valid key")


def decode(enc: tuple) -> Any:
    """Inverse of :func:`encode` (dates come back UTC-aware, arrays as lists)."""
    tag = enc[0]
    if tag == _STRING:
        return enc[1].decode("utf-16-be", "surrogatepass")
    if tag == _NUMBER:
        return enc[1]
    if tag == _ARRAY:
        return [decode(e) for e in enc[1]]
    if tag == _DATE:
        return ms_to_date(enc[1])
    if tag == _BINARY:
        return enc[1]
    raise DataError("cannot decode sentinel key")


def cmp(a: Any, b: Any) -> int:
    """Compare two keys the IndexedDB way (``indexedDB.cmp``)."""
    ea, eb = encode(a), encode(b)
    return (ea > eb) - (ea < eb)


def normalize_key(key: Any) -> Any:
    """A key as IndexedDB would return it (tuples become lists, dates normalised)."""
    return decode(encode(key))


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


# ---------------------------------------------------------------- key paths

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


def index_keys(obj: Any, key_path: str | list[str], multi: bool) -> list[tuple]:
    """Encoded index keys of ``obj`` for an index (empty when not indexed)."""
    if multi and isinstance(key_path, str):
        v = get_by_keypath(obj, key_path)
        if v is MISSING:
            return []
        if isinstance(v, list):
            out: list[tuple] = []
            seen: set[tuple] = set()
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


# ---------------------------------------------------------------- ranges


@dataclass(frozen=True, slots=True)
class KeyRange:
    """A range of keys; ``None`` bounds are unbounded. Keys are stored raw."""

    lower: Any = None
    upper: Any = None
    lower_open: bool = False
    upper_open: bool = False

    @staticmethod
    def only(key: Any) -> KeyRange:
        return KeyRange(key, key)

    @staticmethod
    def all() -> KeyRange:
        return KeyRange()

    @property
    def is_all(self) -> bool:
        return self.lower is None and self.upper is None

    @property
    def is_only(self) -> bool:
        return (
            self.lower is not None
            and self.upper is not None
            and not self.lower_open
            and not self.upper_open
            and encode(self.lower) == encode(self.upper)
        )

    def bounds(self) -> tuple[tuple, tuple]:
        """Encoded (lower, upper); MIN/MAX sentinels when unbounded."""
        lo = MIN_ENC if self.lower is None else encode(self.lower)
        hi = MAX_ENC if self.upper is None else encode(self.upper)
        return lo, hi

    def is_empty(self) -> bool:
        lo, hi = self.bounds()
        if lo > hi:
            return True
        return lo == hi and (self.lower_open or self.upper_open)

    def contains_enc(self, e: tuple) -> bool:
        lo, hi = self.bounds()
        if e < lo or (self.lower_open and e == lo):
            return False
        return not (e > hi or (self.upper_open and e == hi))

    def contains(self, key: Any) -> bool:
        return self.contains_enc(encode(key))

    def overlaps(self, other: KeyRange) -> bool:
        if self.is_empty() or other.is_empty():
            return False
        alo, ahi = self.bounds()
        blo, bhi = other.bounds()
        if ahi < blo or bhi < alo:
            return False
        if ahi == blo and (self.upper_open or other.lower_open):
            return False
        return not (bhi == alo and (other.upper_open or self.lower_open))


def validate_keys(keys: Iterable[Any]) -> None:
    for k in keys:
        encode(k)
