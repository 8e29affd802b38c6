"""Reading and changing entities that may be pydantic models or plain dicts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["field_of", "id_of", "remove_ids", "upsert", "with_fields"]


def field_of(obj: Any, name: str, default: Any = None) -> Any:
    """``obj[name]`` for mappings, ``obj.name`` otherwise; ``default`` if absent."""
    if obj is None:
        return default
    if isinstance(obj, Mapping):
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
