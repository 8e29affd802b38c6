"""Two tabs of one origin: commits in one tab reach the other (storagemutated, live_query).

CPython drives two real Chromium pages: BroadcastChannel only carries messages between
tabs, so this cannot be a single-page in-browser test. Every wait happens in the page,
on the event itself.
"""

from __future__ import annotations

import itertools
import os

import pytest

from tests.db._tabs import hear, run, two_tabs, wait_heard

SCHEMA = {"t": "id, v", "u": "id"}
_names = itertools.count()


def _name(prefix: str) -> str:
    return f"xtab-{prefix}-{os.getpid()}-{next(_names)}"


@pytest.mark.browser
def test_storagemutated_reaches_the_other_tab_with_the_keys_written() -> None:
    name = _name("mutated")
    with two_tabs() as (tab, other):
        hear(tab, name, "a", SCHEMA)
        hear(other, name, "b", SCHEMA)
        run(
            other,
            """
import pytest
await b.t.bulk_put([{"id": 2, "v": 1}, {"id": 1, "v": 0}])
await b.t.put({"id": 3, "v": None})  # values that are not keys are not indexed
await b.t.put({"id": 4, "v": [True, {"x": 1}]})
async with b.transaction("rw", b.t, b.u):
    await b.t.delete(2)
    await b.u.put({"id": "x"})
try:
    async with b.transaction("rw", b.t):
        await b.t.put({"id": "aborted", "v": 0})
        raise RuntimeError("abort")
except RuntimeError:
    pass
await b.t.clear()
await b.u.bulk_put([{"id": i} for i in range(1001)])
await b.u.put({"id": "last"})
True
""",
        )
        heard = wait_heard(tab, "a", 7)
        assert heard == [
            {"t": [1, 2]},
            {"t": [3]},
            {"t": [4]},
            {"t": [2], "u": ["x"]},  # one event per transaction, every table in it
            {"t": None},  # clear: keys not known
            {"u": None},  # a batch of more than 1000 keys
            {"u": ["last"]},  # and nothing for the aborted transaction before it
        ]
        # the writing tab heard none of its own commits; it hears the other tab's
        run(tab, "await a.u.put({'id': 'from-a'})\nTrue")
        assert wait_heard(other, "b", 1) == [{"u": ["from-a"]}]
        run(tab, "a.close()\nawait a.delete()\nTrue")


@pytest.mark.browser
def test_a_hidden_tab_whose_timers_never_fire_still_tells_the_others() -> None:
    """The message leaves from the transaction's complete event, not through a timer."""
    name = _name("hidden")
    with two_tabs(hidden_second=True) as (tab, hidden):
        assert run(hidden, "import js\njs.document.visibilityState") == "hidden"
        hear(tab, name, "a", SCHEMA)
        run(
            hidden,
            f"""
from app.db import Database
h = Database({name!r})
h.version(1).stores({SCHEMA!r})
await h.t.put({{"id": "from-hidden", "v": 1}})
True
""",
        )
        assert wait_heard(tab, "a", 1) == [{"t": ["from-hidden"]}]
        run(tab, "a.close()\nawait a.delete()\nTrue")


LIVE = """
import asyncio
from app.db import Database, live_query
q = Database({name!r})
q.version(1).stores({schema!r})
await q.open()
q_values = []
q_runs = [0]
q_cond = asyncio.Condition()
async def _query():
    q_runs[0] += 1
    return await q.t.where("v").equals(1).primary_keys()
async def _on_next(value):
    async with q_cond:
        q_values.append(value)
        q_cond.notify_all()
q_off = live_query(_query).subscribe(_on_next)
async def q_wait(n):
    async def _w():
        async with q_cond:
            await q_cond.wait_for(lambda: len(q_values) >= n)
    await asyncio.wait_for(_w(), 20)
    return q_values
await q_wait(1)
"""

WRITE = """
from app.db import Database
w = Database({name!r})
w.version(1).stores({schema!r})
await w.t.put({{"id": {id!r}, "v": {v}}})
True
"""


@pytest.mark.browser
def test_live_query_reruns_only_for_writes_in_the_other_tab_that_touch_its_reads() -> None:
    name = _name("live")
    with two_tabs() as (tab, other):
        assert run(tab, LIVE.format(name=name, schema=SCHEMA)) == [[]]
        run(other, WRITE.format(name=name, schema=SCHEMA, id="a", v=2))  # outside the query
        run(other, WRITE.format(name=name, schema=SCHEMA, id="b", v=1))  # inside it
        assert run(tab, "await q_wait(2)") == [[], ["b"]]
        # the first write's message came before the second's and started no run
        assert run(tab, "q_runs[0]") == 2
        run(other, "await w.t.clear()\nTrue")  # no keys known: the query re-runs
        assert run(tab, "await q_wait(3)") == [[], ["b"], []]
        run(tab, "q_off(); q.close(); await q.delete(); True")
