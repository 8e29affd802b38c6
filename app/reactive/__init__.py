"""Svelte-style stores: ``writable``, ``readable``, ``derived``, ``readonly``, ``get``.

Semantics are Svelte's (start/stop notifiers, ``safe_not_equal``, breadth-first
ordered delivery), made strictly glitch-free: no subscriber ever sees a mix of
new and old upstream values, whatever the shape of the store graph.
``batch()`` groups several sets into one update; ``query_store(querier)`` is a
store fed by a database live query while it has subscribers.

Where this differs from Svelte, on purpose: a derived store recomputes once per
change, after all its inputs settled (Svelte can recompute early on unequal
paths, sveltejs/svelte#10376); a subscriber that unsubscribed is not called with
values still queued for it; an exception in a subscriber does not stop delivery
to the others (the first one is raised once the queue is drained); ints and
floats are one number type for the change test, as numbers are in JavaScript.
"""

from ._derived import derived
from ._equality import Equals, safe_not_equal
from ._query import Observable, QueryStore, from_observable, query_store
from ._queue import batch
from ._store import (
    Invalidator,
    Readable,
    Setter,
    StartStopNotifier,
    Subscribable,
    Subscriber,
    Unsubscriber,
    UpdateFn,
    Updater,
    Writable,
    get,
    readable,
    readonly,
    writable,
)

__all__ = [
    "Equals",
    "Invalidator",
    "Observable",
    "QueryStore",
    "Readable",
    "Setter",
    "StartStopNotifier",
    "Subscribable",
    "Subscriber",
    "Unsubscriber",
    "UpdateFn",
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
