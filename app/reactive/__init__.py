"""Svelte-style stores: ``writable``, ``readable``, ``derived``, ``readonly``, ``get``.

Semantics are Svelte's (start/stop notifiers, ``safe_not_equal``, breadth-first
ordered delivery), made strictly glitch-free: no subscriber ever sees a mix of
new and old upstream values, whatever the shape of the store graph.
``batch()`` groups several sets into one update; ``query_store(querier)`` is a
store fed by a database live query while it has subscribers.
"""

from ._derived import derived
from ._equality import Equals, safe_not_equal
from ._query import Observable, QueryStore, from_observable, query_store
from ._queue import batch
from ._store import (
    Readable,
    StartStopNotifier,
    Subscribable,
    Subscriber,
    Unsubscriber,
    Updater,
    Writable,
    get,
    readable,
    readonly,
    writable,
)

__all__ = [
    "Equals",
    "Observable",
    "QueryStore",
    "Readable",
    "StartStopNotifier",
    "Subscribable",
    "Subscriber",
    "Unsubscriber",
    "Updater",
    "Writable",
    "batch",
    "derived",
    "from_observable",
    "get",
    "query_store",
    "readable",
    "readonly",
    "safe_not_equal",
    "writable",
]
