"""Hearing other tabs: their commits arrive on a BroadcastChannel (the helper posts this
tab's own from each transaction's ``complete`` event)."""

from __future__ import annotations

from typing import Any

from .._feed import publish
from .._keys import Encoded, encode
from .._writes import TableWrites, Writes
from ..errors import DataError
from .bridge import helper
from .wire import loads

__all__ = ["CHANNEL_NAME", "listen"]

CHANNEL_NAME = "app-db-storage-mutated"
_listening: list[Any] = []


def listen() -> None:
    """Publish every other tab's commit to this tab's live queries and listeners (once)."""
    if _listening:
        return
    from pyodide.ffi import create_proxy

    proxy = create_proxy(_on_message)
    _listening.append(proxy)
    helper().channel(CHANNEL_NAME, proxy)


def _on_message(data: Any) -> None:
    """``{"db": name, "tables": [{"table", "all", "pks", "idx": {index: keys}}]}``."""
    try:
        msg = loads(str(data))
        name = msg["db"]
        writes: Writes = {}
        for it in msg["tables"]:
            w = TableWrites(all=bool(it["all"]), unknown_old=True)
            w.pks = _encoded(it["pks"])
            w.index_keys.update({n: _encoded(ks) for n, ks in it["idx"].items()})
            if w.all or w.pks:
                writes[(name, it["table"])] = w
    except (ValueError, KeyError, TypeError, AttributeError):
        return  # not a message of ours (another build?): nothing to learn from it
    if writes:
        publish(None, name, writes)


def _encoded(keys: list[Any]) -> set[Encoded]:
    out = set()
    for k in keys:
        try:
            out.add(encode(k))
        except DataError:  # not a key (an older build may send such): not indexed
            pass
    return out
