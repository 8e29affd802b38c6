"""Svelte-style stores: ``writable``, ``readable``, ``derived``, ``readonly``, ``get``.

Semantics are Svelte's (start/stop notifiers, ``safe_not_equal``, breadth-first
ordered delivery), made strictly glitch-free: no subscriber ever sees a mix of
new and old upstream values, whatever the shape of the store graph.
"""

from ._derived import derived
from ._equality import Equals, safe_not_equal
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
    "Readable",
    "StartStopNotifier",
    "Subscribable",
    "Subscriber",
    "Unsubscriber",
    "Updater",
    "Writable",
    "batch",
    "derived",
    "get",
    "readable",
    "readonly",
    "safe_not_equal",
    "writable",
]
