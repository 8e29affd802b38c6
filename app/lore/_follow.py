"""Keeping a `LayerCache` in step with the library: committed lorebook changes
invalidate exactly the layers they touch (both layers when an entry moves)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ._cache import LayerCache

__all__ = ["LOREBOOK_TABLE", "follow_changes"]

LOREBOOK_TABLE = "lorebook_entries"


def _field(record: Any, name: str) -> Any:
    return record.get(name) if isinstance(record, dict) else getattr(record, name, None)


def follow_changes(cache: LayerCache, store: Any) -> Callable[[], None]:
    """Subscribe ``cache`` to ``store``'s lorebook change events; returns the unsubscribe.

    ``store`` is the domain store (anything with ``on(event, fn)`` emitting
    ``"lorebook_entries:changed"`` with changes that carry ``old``/``new`` records). A
    change whose records are unknown (another tab reported only the table) invalidates
    every layer.
    """

    def on_changes(changes: Iterable[Any]) -> None:
        for change in changes:
            records = [r for r in (change.old, change.new) if r is not None]
            if not records:
                cache.invalidate()
                continue
            for record in records:
                cache.invalidate(_field(record, "level"), _field(record, "scope_id"))

    unsubscribe: Callable[[], None] = store.on(f"{LOREBOOK_TABLE}:changed", on_changes)
    return unsubscribe
