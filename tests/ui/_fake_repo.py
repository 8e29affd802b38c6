"""An in-memory characters repository with the domain repository's shape (for UI tests)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class FakeCharacter:
    id: str
    name: str


class FakeCharacters:
    """``list``/``create``/``update``/``delete`` plus ``on_changed`` fired after each write."""

    def __init__(self, names: list[str] | None = None) -> None:
        self._ids = itertools.count(1)
        self.rows: dict[str, FakeCharacter] = {}
        self._listeners: list[Callable[[list[Any]], Any]] = []
        self.fail_next: Exception | None = None
        for name in names or []:
            self._put(name)

    @property
    def listeners(self) -> int:
        return len(self._listeners)

    def _put(self, name: str) -> FakeCharacter:
        c = FakeCharacter(f"c{next(self._ids):04d}", name)
        self.rows[c.id] = c
        return c

    def _check(self) -> None:
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error

    def _emit(self) -> None:
        for fn in list(self._listeners):
            fn([])

    async def list(self) -> list[FakeCharacter]:
        return list(self.rows.values())

    async def create(self, data: Mapping[str, Any]) -> FakeCharacter:
        self._check()
        if not str(data.get("name", "")).strip():
            raise ValueError("name: must not be empty")
        c = self._put(str(data["name"]))
        self._emit()
        return c

    async def update(self, id: str, changes: Mapping[str, Any]) -> FakeCharacter:
        self._check()
        c = self.rows[id] = replace(self.rows[id], **changes)
        self._emit()
        return c

    async def delete(self, id: str) -> None:
        self._check()
        del self.rows[id]
        self._emit()

    def external_write(self, fn: Callable[[FakeCharacters], Any]) -> None:
        """What another tab's commit looks like from here: data changed, then a notice."""
        fn(self)
        self._emit()

    def on_changed(self, fn: Callable[[list[Any]], Any]) -> Callable[[], None]:
        entry = lambda changes: fn(changes)  # noqa: E731 - distinct per subscription
        self._listeners.append(entry)

        def off() -> None:
            if entry in self._listeners:
                self._listeners.remove(entry)

        return off
