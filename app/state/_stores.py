"""Every writable store of the app, in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.reactive import Writable, batch, get, writable

from ._layout import Layout
from ._levels import Level

__all__ = ["Stores"]


class Stores:
    """The app's writable state, grouped by level. Only ``AppState`` writes to it."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self._stores: dict[str, Writable[Any]] = {
            name: writable(layout.default(name)) for name in layout.stores
        }

    def __getitem__(self, name: str) -> Writable[Any]:
        return self._stores[name]

    def names(self) -> list[str]:
        return list(self._stores)

    def level_of(self, name: str) -> Level:
        return self.layout.stores[name]

    def fill(self, level: Level, values: Mapping[str, Any]) -> None:
        """Set every store of ``level`` at once (names not given become empty)."""
        names = self.layout.stores_at(level)
        unknown = set(values) - set(names)
        if unknown:
            raise KeyError(f"not stores of level {level.name}: {sorted(unknown)}")
        with batch():
            for name in names:
                self._stores[name].set(values.get(name, self.layout.default(name)))

    def clear(self, level: Level) -> None:
        """Empty ``level`` and every level below it, in one notification batch."""
        with batch():
            for each in Level:
                if each >= level:
                    for name in self.layout.stores_at(each):
                        store, empty = self._stores[name], self.layout.default(name)
                        if get(store) != empty:
                            store.set(empty)
