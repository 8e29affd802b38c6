"""The wire format between Python and the JavaScript helper: JSON, with tagged values.

Values travel as JSON because ``json.dumps`` / ``JSON.parse`` / ``json.loads`` are far
cheaper than converting each record through proxies.  What JSON cannot carry travels as
a tagged object ``{"__lk$": tag, "v": ...}``: dates (``d``, epoch ms), binary (``b``,
base64) and non-finite numbers (``n``).  Results come back as one string whose first
character says whether tags need reviving (``"1"``) or not (``"0"``); a big result comes
as the UTF-8 bytes of that text (one copy into Python, where a ``str`` is built character
by character).  An answer of many records whose values are all plain (what JSON carries
as it is, and binary) comes in CPython's ``marshal`` format instead, after the byte
``m``: ``marshal.loads`` builds the same dicts and lists in well under half the time of
``json.loads``, and the text is never encoded and decoded.  Errors come back as
``[index, name, message]`` (the index of the original error kept in JavaScript).
"""

from __future__ import annotations

import base64
import datetime as _dt
import gc
import json
import marshal
import math
from collections.abc import Callable
from typing import Any

from .._key_range import KeyRange
from .._keys import date_to_ms, ms_to_date
from ..errors import DatabaseError, DataError, map_error

__all__ = ["MANY", "dumps", "error_from_info", "error_from_js", "loads", "range_json", "values_for_js"]

_TAG = "__lk$"
_tagged = [False]


def _default(o: Any) -> Any:
    if isinstance(o, _dt.datetime):
        _tagged[0] = True
        return {_TAG: "d", "v": date_to_ms(o)}
    if isinstance(o, (bytes, bytearray, memoryview)):
        _tagged[0] = True
        return {_TAG: "b", "v": base64.b64encode(bytes(o)).decode("ascii")}
    raise TypeError(f"cannot store a value of type {type(o).__name__}")


_encode = json.JSONEncoder(
    default=_default, allow_nan=False, separators=(",", ":"), ensure_ascii=False
).encode


def _fix_floats(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        _tagged[0] = True
        return {_TAG: "n", "v": "NaN" if x != x else ("Infinity" if x > 0 else "-Infinity")}
    if isinstance(x, dict):
        return {k: _fix_floats(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_fix_floats(v) for v in x]
    return x


def dumps(x: Any) -> tuple[str, bool]:
    """JSON for the helper, and whether tagged values need reviving in JavaScript."""
    t = type(x)
    if t is int:
        return str(x), False
    if t is str:
        return _encode(x), False
    _tagged[0] = False
    try:
        s = _encode(x)
    except ValueError:
        s = _encode(_fix_floats(x))
    except TypeError as err:
        raise DataError(f"DataCloneError: {err}") from None
    return s, _tagged[0]


#: Records in a write from which its values cross as marshal bytes (as the helper's
#: answers of this many records do).
MANY = 16


def values_for_js(values: list[Any]) -> Any:
    """The values of a write as a JavaScript array, made by the helper from
    ``marshal.dumps``' bytes (five times faster than ``json.dumps`` here, the float
    text above all); None when marshal cannot carry them (a date, a custom object) or
    the helper finds something the JSON path treats otherwise (bytes, a set, a
    non-string key, one object in two places): then the values go as JSON."""
    from pyodide.ffi import to_js

    from .bridge import helper

    try:
        data = marshal.dumps(values)
    except (ValueError, RecursionError):
        return None
    return helper().unmarshal(to_js(data))


def _revive(d: dict[str, Any]) -> Any:
    t = d.get(_TAG)
    if t is None:
        return d
    v = d["v"]
    if t == "d":
        return ms_to_date(v)
    if t == "b":
        return base64.b64decode(v)
    if t == "n":
        return float(v)
    return d


def loads(s: Any) -> Any:
    """A helper result (see the module docstring): a ``str``, or for a big one the
    UTF-8 bytes of that text or the marshal bytes of a many-record answer (a
    JavaScript ``Uint8Array``, or ``bytes``)."""
    if type(s) is str and s[0] == "0" and len(s) <= 4096:
        # the usual small answer: scanned after its marker, with neither a copy of
        # the text nor json.loads' own frames (a single get is mostly overhead)
        return _scan_plain(s, 1)[0]
    if not isinstance(s, str):
        s = s if isinstance(s, bytes) else s.to_bytes()
    # A big result is many fresh, acyclic dicts: the cyclic GC would only walk the
    # heap for nothing (and make read times jump), so keep it out of the way.
    big = len(s) > 4096 and gc.isenabled()
    if big:
        gc.disable()
    try:
        if s[0] == _MARSHAL:
            return marshal.loads(memoryview(s)[1:])
        if s[0] in _TAGGED:
            return json.loads(s[1:], object_hook=_revive)
        return json.loads(s[1:])
    finally:
        if big:
            gc.enable()


#: ``(value, end) = _scan_plain(text, start)``: the C scanner under ``json.loads``.
_scan_plain: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]

#: The first character of a result whose tags need reviving, as str and as a byte.
_TAGGED = ("1", 0x31)
#: The first byte of a result in marshal's format (plain values only, no tags).
_MARSHAL = 0x6D


def range_json(r: KeyRange) -> tuple[str, bool]:
    """A key range as the helper reads it: ``null`` or ``[lower, upper, lo_open, up_open]``."""
    if r.is_all:
        return "null", False
    return dumps([r.lower, r.upper, r.lower_open, r.upper_open])


class _Described:
    """An error known only by name and message."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        self.message = message


def error_from_info(info: Any, context: str) -> DatabaseError:
    """The error the helper reported as ``[index, name, message]``."""
    from .bridge import helper

    idx, name, message = info[0], info[1], info[2]
    inner: Any = None
    if idx is not None and idx >= 0:
        inner = helper().takeError(idx)
    err = map_error(_Described(name, message) if inner is None else inner, context)
    if err.inner is None or isinstance(err.inner, _Described):
        err.inner = inner
    return err


def error_from_js(err: Any, context: str) -> DatabaseError:
    """A JavaScript exception raised by a helper call (a ``JsException``)."""
    inner = getattr(err, "js_error", None)
    if inner is not None:
        return map_error(inner, context)
    name, _, message = str(err).partition(": ")
    e = map_error(_Described(name, message), context)
    e.inner = err
    return e
