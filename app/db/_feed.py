"""The cross-connection feed: what everyone else hears after a commit.

A commit made through one :class:`Database` object reaches

* every live query in this process whose reads it touched, and
* the ``"storagemutated"`` listeners of every *other* ``Database`` object of the same
  name in this process (never the committing object: it reports through ``"changes"``).

IndexedDB also tells the other tabs of the origin: the JavaScript helper posts the
written keys on a BroadcastChannel from the transaction's ``complete`` event itself
(no Python task in between, so a background tab whose timers are throttled still tells
the others at once), and each tab publishes what it hears here, with no origin.

A listener gets ``{table: primary keys written}``; the keys are ``None`` where they are
not known cheaply (a ``clear``, a range delete, more than :data:`BATCH_KEYS` keys).
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from ._keys import decode
from ._live_query import notify
from ._observe import BATCH_KEYS, Writes

if TYPE_CHECKING:
    from ._database import Database

__all__ = ["BATCH_KEYS", "Mutated", "has_listeners", "mutated_tables", "publish", "register"]

Mutated = dict[str, list[Any] | None]

_databases: dict[str, weakref.WeakSet[Database]] = {}


def register(db: Database) -> None:
    """Make ``db`` hear commits made through other connections to its database."""
    peers = _databases.get(db.name)
    if peers is None:
        peers = _databases[db.name] = weakref.WeakSet()
    peers.add(db)


def _listening(name: str, origin: Database | None) -> list[Database]:
    return [
        db for db in list(_databases.get(name, ())) if db is not origin and db._hears_storage()
    ]


def has_listeners(name: str, origin: Database | None = None) -> bool:
    """True when a ``Database`` object named ``name`` other than ``origin`` listens."""
    return bool(_listening(name, origin))


def mutated_tables(name: str, writes: Writes) -> Mutated:
    """The listener payload for database ``name``: table -> sorted keys, or None."""
    out: Mutated = {}
    for (db_name, table), w in writes.items():
        if db_name != name:
            continue
        if w.all or len(w.pks) > BATCH_KEYS:
            out[table] = None
        elif w.pks:
            out[table] = [decode(e) for e in sorted(w.pks)]
    return out


def publish(origin: Database | None, name: str, writes: Writes) -> None:
    """A transaction on database ``name`` committed ``writes`` (``origin``: None when
    it came from another tab)."""
    notify(writes)
    listeners = _listening(name, origin)
    if not listeners:
        return
    mutated = mutated_tables(name, writes)
    if not mutated:
        return
    for db in listeners:
        db._storage_mutated(mutated)
