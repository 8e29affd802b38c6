"""What a storage backend (memory, IndexedDB) and the Database agree on.

As in Dexie's ``createDBCore(idbdb, …)``, a backend opens a connection and hands back a
:class:`Connection` holding its DBCore; it never touches the ``Database`` object.
Everything it needs from the database comes in the :class:`OpenRequest`: the version
and schema declared, how to upgrade (the database's own upgrade runner, given a
:class:`SchemaEditor` over the version-change transaction), and whom to tell about
version changes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from ._core import CoreTransaction, DBCore
from ._schema import DBSchema, TableSchema

__all__ = [
    "Backend",
    "Connection",
    "OpenRequest",
    "SchemaEditor",
    "UpgradeHook",
    "VersionChangeEvent",
    "VersionHook",
    "from_native",
    "to_native",
]


@dataclass(frozen=True, slots=True)
class VersionChangeEvent:
    """Passed to ``versionchange`` and ``blocked`` listeners (``new_version`` is None
    when the database is being deleted)."""

    old_version: float
    new_version: float | None


class SchemaEditor(Protocol):
    """Changes the stored structure inside a version-change transaction.

    ``schema`` is the structure as it is now; each call changes it (and the backend
    core that shares it) at once.
    """

    schema: DBSchema

    def create_table(self, table: TableSchema) -> None:
        """A new table with its indexes."""

    def change_table(self, table: TableSchema) -> None:
        """Same primary key, new set of indexes: drop and create what differs."""

    def delete_table(self, name: str) -> None:
        """Drop the table and its data."""


#: ``upgrade(core, transaction, installed_version, editor)``: bring the stored structure
#: (and data) from ``installed_version`` (0: new database) to the declared one.
UpgradeHook = Callable[[DBCore, CoreTransaction, float, SchemaEditor], Awaitable[None]]
VersionHook = Callable[[VersionChangeEvent], None]


@dataclass(frozen=True, slots=True)
class OpenRequest:
    name: str
    #: The latest declared version, or None to open the database as it is stored.
    version: float | None
    #: The declared schema at ``version`` (what the connection's core serves).
    schema: DBSchema
    upgrade: UpgradeHook
    #: Our open waits for other connections to close.
    on_blocked: VersionHook
    #: Another connection wants to upgrade or delete the database: close or be blocking.
    on_versionchange: VersionHook


class Connection(Protocol):
    """One open connection: its DBCore, the installed version, and ``close()``."""

    @property
    def core(self) -> DBCore: ...

    @property
    def version(self) -> float: ...

    @property
    def upgraded_tables(self) -> list[str]:
        """The tables this open's upgrade of an existing database changed (every table
        before or after it), so other connections can hear it; empty otherwise."""
        ...

    def close(self) -> None: ...


class Backend(Protocol):
    async def open(self, request: OpenRequest) -> Connection: ...

    async def delete(self, name: str, on_blocked: VersionHook) -> None: ...


def to_native(version: float) -> int:
    """IndexedDB's integer version for a declared one (Dexie's ×10, so 1.5 fits)."""
    return round(version * 10)


def from_native(native: int) -> float:
    """The declared version of an IndexedDB version (whole numbers as ``int``)."""
    return native // 10 if native % 10 == 0 else native / 10
