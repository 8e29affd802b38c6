"""Two tabs of one origin: a query store in one tab follows writes made in the other.

CPython drives two real Chromium pages (BroadcastChannel exists only between tabs,
so this cannot be a single-page in-browser test). Every wait happens in the page, on
the store's next value.
"""

from __future__ import annotations

import os

import pytest

from tests.db._tabs import run, two_tabs

SETUP = """
import asyncio
from app.db import Database
from app.reactive import derived, get, query_store
_db = Database({name!r})
_db.version(1).stores({{"characters": "id, name"}})
await _db.open()
_runs = [0]
async def _names():
    _runs[0] += 1
    return [c["name"] for c in await _db.characters.order_by("name").to_array()]
_names_store = query_store(_names, [], equals=lambda old, new: old == new)
_count = derived(_names_store, len)
_seen = []
_seen_changed = asyncio.Event()
def _on_value(value):
    _seen.append([list(value[0]), value[1]])
    _seen_changed.set()
_off = derived([_names_store, _count], lambda v: (tuple(v[0]), v[1])).subscribe(_on_value)
async def _until(cond):
    async def wait():
        while not cond():
            _seen_changed.clear()
            await _seen_changed.wait()
    await asyncio.wait_for(wait(), 20)
_loaded_off = _names_store.loaded.subscribe(lambda _v: _seen_changed.set())
await _until(lambda: get(_names_store.loaded))  # the first run is done
True
"""

OTHER_TAB = """
from app.db import Database
_db2 = Database({name!r})
_db2.version(1).stores({{"characters": "id, name"}})
await _db2.characters.put({{"id": {id!r}, "name": {who!r}}})
True
"""

WITNESS = """
from app.db import live_query
_witness = []
_witness_changed = asyncio.Event()
def _on_witness(value):
    _witness.append(value)
    _witness_changed.set()
_witness_off = live_query(lambda: _db.characters.count()).subscribe(_on_witness)
async def _witness_at_least(n):
    async def wait():
        while len(_witness) < n:
            _witness_changed.clear()
            await _witness_changed.wait()
    await asyncio.wait_for(wait(), 20)
    return _witness
await _witness_at_least(1)
"""


@pytest.mark.browser
def test_query_store_follows_another_tab_and_stops_when_unsubscribed() -> None:
    name = f"qs-tabs-{os.getpid()}"
    with two_tabs() as (tab, other):
        run(tab, SETUP.format(name=name))
        assert run(tab, "_seen") == [[[], 0]]  # the first run found nothing new to deliver
        run(other, OTHER_TAB.format(name=name, id="a", who="Alice"))
        want = [[[], 0], [["Alice"], 1]]
        assert run(tab, "await _until(lambda: len(_seen) >= 2)\n_seen") == want
        run(other, OTHER_TAB.format(name=name, id="b", who="Bob"))
        want = [*want, [["Alice", "Bob"], 2]]
        assert run(tab, "await _until(lambda: len(_seen) >= 3)\n_seen") == want
        runs = run(tab, "_off()\n_loaded_off()\n_runs[0]")
        assert run(tab, WITNESS) == [2]
        run(other, OTHER_TAB.format(name=name, id="c", who="Carol"))
        # the witness re-ran for Carol: a query still subscribed would have run too
        assert run(tab, "await _witness_at_least(2)") == [2, 3]
        assert run(tab, "_runs[0]") == runs
        run(tab, "_witness_off(); _db.close(); await _db.delete(); True")
