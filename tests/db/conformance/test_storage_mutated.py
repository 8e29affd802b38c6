"""db.on("storagemutated"): commits made through *another* connection to the database.

Two ``Database`` objects of one name are two connections (as two tabs are); the
listener gets ``{table: primary keys written, or None}`` once per committed
transaction of the other connection, never for its own commits or for aborts.
"""

import asyncio

import pytest

from app.db import live_query
from app.db._observe import BATCH_KEYS

from .conftest import unique_name

RUN_IN_BROWSER = True

SCHEMA = {"t": "id, v", "u": "id", "kv": "", "pairs": "[a+b]", "log": "++id"}


@pytest.fixture
async def pair(make_db):
    """Two open connections ``a`` and ``b`` to one database, and what ``b`` hears."""
    name = unique_name("mutated")
    a, b = make_db(name), make_db(name)
    for d in (a, b):
        d.version(1).stores(SCHEMA)
        await d.open()
    heard = []
    b.on("storagemutated", heard.append)
    return a, b, heard


async def test_a_commit_reaches_the_other_connection_with_its_keys(pair):
    a, _b, heard = pair
    await a.t.bulk_put([{"id": 2, "v": 1}, {"id": 1, "v": 1}])
    assert heard == [{"t": [1, 2]}]


async def test_never_for_the_connections_own_commits(pair):
    a, b, heard = pair
    own = []
    a.on("storagemutated", own.append)
    await b.t.put({"id": "b", "v": 0})  # b's own commit: a hears it, b does not
    await a.t.put({"id": "a", "v": 0})
    assert heard == [{"t": ["a"]}]
    assert own == [{"t": ["b"]}]


async def test_never_for_an_aborted_transaction(pair):
    a, _b, heard = pair
    with pytest.raises(RuntimeError):
        async with a.transaction("rw", a.t):
            await a.t.put({"id": "gone", "v": 0})
            raise RuntimeError("abort")
    await a.u.put({"id": "marker"})  # a later commit: its event is the only one
    assert heard == [{"u": ["marker"]}]


async def test_one_call_per_transaction_with_every_table(pair):
    a, _b, heard = pair
    async with a.transaction("rw", a.t, a.u):
        await a.t.put({"id": 1, "v": 0})
        await a.u.bulk_put([{"id": "x"}, {"id": "y"}])
        await a.t.delete(1)
    assert heard == [{"t": [1], "u": ["x", "y"]}]


async def test_deletes_report_their_keys(pair):
    a, _b, heard = pair
    await a.t.bulk_put([{"id": i, "v": i} for i in range(5)])
    await a.t.bulk_delete([3, 1])
    await a.t.where("v").equals(4).delete()
    assert heard[1:] == [{"t": [1, 3]}, {"t": [4]}]


async def test_clear_and_range_delete_report_no_keys(pair):
    a, _b, heard = pair
    await a.t.bulk_put([{"id": i, "v": i} for i in range(5)])
    await a.t.where(":id").below(2).delete()  # a primary-key range: deleted as a range
    await a.t.clear()
    assert heard[1:] == [{"t": None}, {"t": None}]


async def test_a_large_batch_reports_no_keys(pair):
    a, _b, heard = pair
    await a.t.bulk_put([{"id": i, "v": 0} for i in range(BATCH_KEYS)])
    await a.t.bulk_put([{"id": i, "v": 1} for i in range(BATCH_KEYS + 1)])
    assert heard[0]["t"] == list(range(BATCH_KEYS))
    assert heard[1] == {"t": None}


async def test_outbound_compound_and_generated_keys(pair):
    a, _b, heard = pair
    await a.kv.put("value", "k")
    await a.pairs.put({"a": 1, "b": "x"})
    key = await a.log.add({"line": "hello"})
    assert heard == [{"kv": ["k"]}, {"pairs": [[1, "x"]]}, {"log": [key]}]


async def test_the_same_key_twice_is_reported_once(pair):
    a, _b, heard = pair
    async with a.transaction("rw", a.t):
        await a.t.put({"id": 1, "v": 0})
        await a.t.put({"id": 1, "v": 1})
    assert heard == [{"t": [1]}]


async def test_writes_that_all_failed_report_nothing(pair):
    a, _b, heard = pair
    await a.t.put({"id": 1, "v": 0})
    with pytest.raises(Exception):  # noqa: B017 - ConstraintError, then the batch fails
        await a.t.add({"id": 1, "v": 0})
    await a.u.put({"id": "marker"})
    assert heard == [{"t": [1]}, {"u": ["marker"]}]


async def test_other_databases_are_not_heard(pair, make_db):
    a, _b, heard = pair
    other = make_db(unique_name("mutated-other"))
    other.version(1).stores(SCHEMA)
    await other.t.put({"id": 1, "v": 0})
    await a.u.put({"id": "marker"})
    assert heard == [{"u": ["marker"]}]


async def test_unsubscribe_and_close_stop_the_events(pair):
    a, b, heard = pair
    more = []
    off = b.on("storagemutated", more.append)
    await a.t.put({"id": 1, "v": 0})
    off()
    await a.t.put({"id": 2, "v": 0})
    b.close()
    await a.t.put({"id": 3, "v": 0})
    assert more == [{"t": [1]}]
    assert heard == [{"t": [1]}, {"t": [2]}]


async def test_a_failing_listener_does_not_stop_the_others_or_the_commit(pair):
    a, b, heard = pair

    def broken(_mutated):
        raise ValueError("listener bug")

    b.on("storagemutated", broken)
    after = []
    b.on("storagemutated", after.append)
    await a.t.put({"id": 1, "v": 0})
    assert await a.t.get(1) == {"id": 1, "v": 0}
    assert heard == after == [{"t": [1]}]


async def test_an_async_listener_runs(pair):
    a, b, _heard = pair
    done = asyncio.get_running_loop().create_future()

    async def listener(mutated):
        await asyncio.sleep(0)
        done.set_result(mutated)

    b.on("storagemutated", listener)
    await a.t.put({"id": 1, "v": 0})
    assert await asyncio.wait_for(done, 5) == {"t": [1]}


async def test_each_listener_gets_its_own_payload(pair):
    a, b, heard = pair

    def meddle(mutated):
        mutated["t"].append("meddled")

    b.on("storagemutated", meddle)
    other = []
    b.on("storagemutated", other.append)
    await a.t.put({"id": 1, "v": 0})
    assert heard == other == [{"t": [1]}]


async def test_heard_without_live_queries_or_change_listeners(pair):
    """The connection that writes tracks nothing else: the keys still reach the other."""
    a, _b, heard = pair
    assert not a._listeners["changes"]
    await a.t.bulk_put([{"id": "p", "v": 1}, {"id": "q", "v": 2}])
    await a.t.where("v").equals(1).modify({"v": 3})
    assert heard == [{"t": ["p", "q"]}, {"t": ["p"]}]


async def test_live_query_on_one_connection_follows_the_other(pair):
    a, b, _heard = pair
    seen = []
    changed = asyncio.Event()

    def on_next(value):
        seen.append(value)
        changed.set()

    off = live_query(lambda: b.t.where("v").equals(1).primary_keys()).subscribe(on_next)
    await asyncio.wait_for(changed.wait(), 5)
    changed.clear()
    await a.t.put({"id": "x", "v": 1})
    await asyncio.wait_for(changed.wait(), 5)
    assert seen == [[], ["x"]]
    off()
