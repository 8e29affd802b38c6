"""The schema history: ``db.version(n).stores({...}).upgrade(fn)``, version by version."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from ._schema import DBSchema, TableSchema, parse_stores
from .errors import VersionError

__all__ = ["UpgradeFn", "Version", "Versions"]

#: ``async def upgrade(tx)``: runs inside the version-change transaction.
UpgradeFn = Callable[[Any], Awaitable[Any] | Any]


class Version:
    """One declared version: the tables it adds, changes or deletes (``None``), and an
    optional upgrade function that moves the data to it."""

    def __init__(self, history: Versions, number: float) -> None:
        self._history = history
        self.number = number
        #: Table name -> its schema from this version on (None: deleted in this version).
        self.spec: dict[str, TableSchema | None] = {}
        self.upgrade_fn: UpgradeFn | None = None

    def __repr__(self) -> str:
        return f"<Version {self.number}>"

    def stores(self, stores: dict[str, str | None]) -> Version:
        """Declare tables in Dexie's syntax (``"++id, name, *tags"``); ``None`` deletes."""
        self.spec.update(parse_stores(stores))
        self._history.changed()
        return self

    def upgrade(self, fn: UpgradeFn) -> Version:
        """Run ``fn(tx)`` when a database older than this version is opened."""
        self.upgrade_fn = fn
        return self


class Versions:
    """Every declared version, in order, and the merged schema at each."""

    def __init__(self) -> None:
        self._by_number: dict[float, Version] = {}
        self._latest_schema: DBSchema = {}

    def declare(self, number: float) -> Version:
        if not isinstance(number, (int, float)) or isinstance(number, bool) or number <= 0:
            raise VersionError(f"version must be a positive number, not {number!r}")
        version = self._by_number.get(number)
        if version is None:
            version = self._by_number[number] = Version(self, number)
        return version

    def changed(self) -> None:
        latest = self.latest
        self._latest_schema = {} if latest is None else self.schema_at(latest.number)

    def __iter__(self) -> Iterator[Version]:
        return iter([self._by_number[n] for n in sorted(self._by_number)])

    def __bool__(self) -> bool:
        return bool(self._by_number)

    @property
    def latest(self) -> Version | None:
        return self._by_number[max(self._by_number)] if self._by_number else None

    @property
    def schema(self) -> DBSchema:
        """The schema of the latest version."""
        return self._latest_schema

    def schema_at(self, number: float) -> DBSchema:
        """The merged schema of every version up to ``number``."""
        out: DBSchema = {}
        for version in self:
            if version.number > number:
                break
            for name, ts in version.spec.items():
                if ts is None:
                    out.pop(name, None)
                else:
                    out[name] = ts
        return out
