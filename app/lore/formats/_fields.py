"""Typed reads from untrusted JSON objects, with error messages that name the field."""

from __future__ import annotations

from typing import Any

from ._errors import FormatError

__all__ = ["MAX_ENTRIES", "Reader", "describe", "entry_path", "lk_meta"]

MAX_ENTRIES = 100_000
_MISSING: Any = object()


class Reader:
    """Reads fields of one JSON object; wrong types raise `FormatError` naming `path.field`."""

    def __init__(self, obj: Any, path: str) -> None:
        if not isinstance(obj, dict):
            raise FormatError(f"{path}: expected an object, got {type(obj).__name__}")
        self.obj = obj
        self.path = path

    def _get(self, key: str, required: bool) -> Any:
        value = self.obj.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                raise FormatError(f"{self.path}.{key}: required field is missing")
            return _MISSING
        return value

    def _bad(self, key: str, expected: str, value: Any) -> FormatError:
        return FormatError(f"{self.path}.{key}: expected {expected}, got {type(value).__name__}")

    def raw(self, key: str) -> Any:
        """The field as written (None when absent)."""
        return self.obj.get(key)

    def str_(self, key: str, default: str | None = "", *, required: bool = False) -> Any:
        value = self._get(key, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            raise self._bad(key, "a string", value)
        return value

    def int_(self, key: str, default: int | None = None, *, required: bool = False) -> Any:
        value = self._get(key, required)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if isinstance(value, str) and value.strip().lstrip("-").isdigit():
                return int(value)
            raise self._bad(key, "a number", value)
        if isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                raise self._bad(key, "a finite number", value)
            return round(value)
        return value

    def bool_(self, key: str, default: bool | None = False, *, required: bool = False) -> Any:
        value = self._get(key, required)
        if value is _MISSING:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise self._bad(key, "true or false", value)

    def flag(self, key: str) -> Any:
        """A bool that some tools write as a number (e.g. delay-until-recursion levels)."""
        value = self._get(key, False)
        if value is _MISSING:
            return _MISSING
        if isinstance(value, bool) or (isinstance(value, int) and value >= 0):
            return bool(value)
        raise self._bad(key, "true, false or a level number", value)

    def flag_level(self, key: str) -> int | None:
        """SillyTavern's delay-until-recursion: true/false or a level number (true = 1)."""
        value = self._get(key, False)
        if value is _MISSING:
            return None
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int) and value >= 0:
            return value
        if isinstance(value, float) and value >= 0 and value.is_integer():
            return int(value)
        raise self._bad(key, "true, false or a level number", value)

    def list_str(self, key: str, *, required: bool = False) -> list[str]:
        value = self._get(key, required)
        if value is _MISSING:
            return []
        if isinstance(value, str):
            # Some exporters (RisuAI, Kobold) write comma-separated strings.
            return [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list):
            raise self._bad(key, "a list of strings", value)
        for i, item in enumerate(value):
            if not isinstance(item, str):
                # SillyTavern itself fails on such a key (its macro step calls a string
                # method on it), so it is reported here, naming the entry and the key.
                raise FormatError(
                    f"{self.path}.{key}[{i}]: expected a string, got {describe(item)}"
                    " (write the key in quotes)"
                )
        return list(value)

    def dict_(self, key: str) -> dict[str, Any]:
        value = self._get(key, False)
        if value is _MISSING:
            return {}
        if not isinstance(value, dict):
            raise self._bad(key, "an object", value)
        return dict(value)

    def list_(self, key: str, *, required: bool = False) -> list[Any]:
        value = self._get(key, required)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            raise self._bad(key, "a list", value)
        if len(value) > MAX_ENTRIES:
            raise FormatError(f"{self.path}.{key}: more than {MAX_ENTRIES} items")
        return value

    def has(self, key: str) -> bool:
        return key in self.obj

    def unknown(self, known: set[str] | frozenset[str]) -> dict[str, Any]:
        """Fields of the object that are not in `known` (kept verbatim)."""
        return {k: v for k, v in self.obj.items() if k not in known}


def describe(value: Any) -> str:
    """A value's JSON type and, for scalars, the value itself (for error messages)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def entry_path(path: str, obj: Any, *names: str) -> str:
    """`path` plus the entry's title, when it has one, so errors name the entry."""
    if isinstance(obj, dict):
        for name in names:
            title = obj.get(name)
            if isinstance(title, str) and title.strip():
                short = title.strip()
                short = short if len(short) <= 40 else short[:39] + "…"
                return f"{path} ({short!r})"
    return path


def lk_meta(extensions: dict[str, Any]) -> dict[str, Any]:
    """Our metadata object inside an `extensions` dict (created if missing)."""
    meta = extensions.get("lorekeeper")
    if not isinstance(meta, dict):
        meta = {}
        extensions["lorekeeper"] = meta
    return meta
