"""IndexedDB keys in Python: validation and total ordering.

Ordering follows the IndexedDB spec: number < date < string < binary < array; strings
compare by UTF-16 code units, arrays element by element.  ``encode`` turns a key into a
hashable tuple whose natural Python ordering is exactly that order.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from .errors import DataError

__all__ = [
    "MAX_ENC",
    "MIN_ENC",
    "Encoded",
    "cmp",
    "date_to_ms",
    "decode",
    "encode",
    "is_valid_key",
    "ms_to_date",
    "normalize_date",
]

#: An encoded key: a tuple whose Python order is IndexedDB's key order.
Encoded = tuple[Any, ...]

_NUMBER, _DATE, _STRING, _BINARY, _ARRAY = 1, 2, 3, 4, 5
#: Below and above every encoded key.
MIN_ENC: Encoded = (0,)
MAX_ENC: Encoded = (9,)

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
    if type(key) is str:
        return True
    try:
        encode(key)
    except DataError:
        return False
    return True


def encode(key: Any, _depth: int = 0) -> Encoded:
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


def decode(enc: Encoded) -> Any:
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
