"""Every writable store of the app, in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.reactive import Writable, batch, get, writable

from ._levels import LEVEL_STORES, Level, default_for

__all__ = ["Stores"]


class Stores:
    """The app's writable state, grouped by level. Only ``AppState`` writes to it."""

    def __init__(self) -> None:
        self._stores: dict[str, Writable[Any]] = {
            name: writable(default_for(name)) for names in LEVEL_STORES.values() for name in names
        }
        self._level_of = {name: level for level, names in LEVEL_STORES.items() for name in names}

    def __getitem__(self, name: str) -> Writable[Any]:
        return self._stores[name]

    def names(self) -> list[str]:
        return list(self._stores)

    def level_of(self, name: str) -> Level:
        return self._level_of[name]

    def fill(self, level: Level, values: Mapping[str, Any]) -> None:
        """Set every store of ``level`` at once (names not given become empty)."""
        unknown = set(values) - set(LEVEL_STORES[level])
        if unknown:
            raise KeyError(f"not stores of level {level.name}: {sorted(unknown)}")
        with batch():
            for name in LEVEL_STORES[level]:
                self._stores[name].set(values.get(name, default_for(name)))

    def clear(self, level: Level) -> None:
        """Empty ``level`` and every level below it, in one notification batch."""
        with batch():
            for each in Level:
                if each >= level:
                    for name in LEVEL_STORES[each]:
                        store, empty = self._stores[name], default_for(name)
                        if get(store) != empty:
                            store.set(empty)
