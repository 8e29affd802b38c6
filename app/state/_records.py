"""Reading and changing entities that may be pydantic models or plain dicts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["field_of", "id_of", "remove_ids", "upsert", "with_fields"]


#: Whether a type is a mapping (asked once per type: the ABC check is slow, and a store
#: of thousands of entries asks it for each of them on every edit).
_MAPPING: dict[type, bool] = {}


def field_of(obj: Any, name: str, default: Any = None) -> Any:
    """``obj[name]`` for mappings, ``obj.name`` otherwise; ``default`` if absent."""
    if obj is None:
        return default
    kind = type(obj)
    mapping = _MAPPING.get(kind)
    if mapping is None:
        mapping = _MAPPING[kind] = issubclass(kind, Mapping)
    if mapping:
        return obj.get(name, default)
    return getattr(obj, name, default)


def id_of(obj: Any) -> Any:
    return field_of(obj, "id")


def with_fields(obj: Any, changes: Mapping[str, Any]) -> Any:
    """A copy of ``obj`` with ``changes`` applied (dict merge or ``model_copy``)."""
    if obj is None:
        return dict(changes)
    if isinstance(obj, Mapping):
        return {**obj, **changes}
    return obj.model_copy(update=dict(changes))


def upsert(items: Iterable[Any], item: Any) -> list[Any]:
    """Replace the element with ``item``'s id in place, or append ``item``."""
    out = list(items)
    key = id_of(item)
    for index, existing in enumerate(out):
        if id_of(existing) == key:
            out[index] = item
            return out
    out.append(item)
    return out


def remove_ids(items: list[Any], ids: Iterable[Any]) -> list[Any]:
    """``items`` without the given ids (the same list object if none was there)."""
    doomed = set(ids)
    kept = [item for item in items if id_of(item) not in doomed]
    return items if len(kept) == len(items) else kept
