"""live_query: re-runs exactly when a committed write touches what it read.

To show that a write started no re-run, a *witness* query that the write does touch
delivers its new value first: every query a commit invalidates starts its run (and
counts it) before any database answer arrives, so by then a wrong re-run of the query
under test would have been counted.
"""

import pytest

from ._util import Probe
from .conftest import unique_name

RUN_IN_BROWSER = True


async def test_initial_value(friends):
    probe = Probe(lambda: friends.friends.where("age").above(40).primary_keys())
    assert await probe.values_at_least(1) == [[3, 6]]
    probe.off()


async def test_rerun_on_relevant_write(friends):
    probe = Probe(lambda: friends.friends.where("age").above(40).primary_keys())
    await probe.values_at_least(1)
    await friends.friends.add({"name": "Old", "age": 90})
    assert (await probe.values_at_least(2))[-1] == [3, 6, 7]
    probe.off()


async def test_no_rerun_on_unrelated_write(friends):
    probe = Probe(lambda: friends.friends.where("age").above(40).primary_keys())
    await probe.values_at_least(1)
    witness = Probe(lambda: friends.friends.count())
    items = Probe(lambda: friends.items.count())
    await witness.values_at_least(1)
    await items.values_at_least(1)
    await friends.friends.add({"name": "Young", "age": 5})  # outside the range
    await witness.values_at_least(2)
    await friends.items.add({"id": 1, "code": "x"})  # another table
    await items.values_at_least(2)
    assert probe.runs == 1
    await friends.friends.add({"name": "Old", "age": 90})  # inside: one re-run
    assert await probe.values_at_least(2) == [[3, 6], [3, 6, 8]]
    assert probe.runs == 2
    for p in (probe, witness, items):
        p.off()


async def test_rerun_when_row_leaves_range(friends):
    probe = Probe(lambda: friends.friends.where("age").above(40).primary_keys())
    await probe.values_at_least(1)
    await friends.friends.update(3, {"age": 1})
    assert (await probe.values_at_least(2))[-1] == [6]
    probe.off()


async def test_rerun_when_read_row_changes_unindexed_field(friends):
    probe = Probe(lambda: friends.friends.get(2))
    await probe.values_at_least(1)
    await friends.friends.update(2, {"note": "hi"})
    assert (await probe.values_at_least(2))[-1]["note"] == "hi"
    witness = Probe(lambda: friends.friends.get(1))
    await witness.values_at_least(1)
    await friends.friends.update(1, {"note": "other"})  # another row: no re-run
    await witness.values_at_least(2)
    assert probe.runs == 2
    probe.off()
    witness.off()


async def test_count_query_reruns_on_delete(friends):
    probe = Probe(lambda: friends.friends.count())
    await probe.values_at_least(1)
    await friends.friends.delete(1)
    assert await probe.values_at_least(2) == [6, 5]
    probe.off()


async def test_aborted_write_does_not_rerun(friends):
    probe = Probe(lambda: friends.friends.count())
    await probe.values_at_least(1)
    witness = Probe(lambda: friends.items.count())
    await witness.values_at_least(1)
    with pytest.raises(RuntimeError):
        async with friends.transaction("rw", friends.friends):
            await friends.friends.add({"name": "x"})
            raise RuntimeError
    await friends.items.add({"id": 1, "code": "c"})  # a later commit, elsewhere
    await witness.values_at_least(2)
    assert probe.runs == 1
    assert probe.values == [6]
    probe.off()
    witness.off()


async def test_unsubscribe_stops_reruns(friends):
    probe = Probe(lambda: friends.friends.count())
    await probe.values_at_least(1)
    probe.off()
    marker = Probe(lambda: friends.friends.count())  # the same reads, still subscribed
    await marker.values_at_least(1)
    await friends.friends.add({"name": "x"})
    assert await marker.values_at_least(2) == [6, 7]
    assert probe.runs == 1
    assert probe.values == [6]
    marker.off()


async def test_error_goes_to_error_callback(friends):
    probe = Probe(lambda: friends.friends.where("nope").equals(1).to_array())
    assert "nope" in str(await probe.an_error())
    assert probe.values == []
    probe.off()


async def test_write_through_another_connection_reruns(make_db):
    name = unique_name()
    a = make_db(name)
    a.version(1).stores({"t": "id, v"})
    b = make_db(name)
    b.version(1).stores({"t": "id, v"})
    await a.open()
    await b.open()
    probe = Probe(lambda: a.t.where("v").equals(1).primary_keys())
    await probe.values_at_least(1)
    await b.t.put({"id": "x", "v": 1})
    assert await probe.values_at_least(2) == [[], ["x"]]
    probe.off()


async def test_multi_table_query(friends):
    async def q():
        return (await friends.friends.count(), await friends.items.count())

    probe = Probe(q)
    await probe.values_at_least(1)
    await friends.items.add({"id": 1, "code": "c"})
    assert (await probe.values_at_least(2))[-1] == (6, 1)
    probe.off()


async def test_limited_query_ignores_writes_past_its_window(db):
    await db.items.bulk_put([{"id": i, "code": str(i)} for i in range(10)])
    probe = Probe(lambda: db.items.to_collection().limit(3).primary_keys())
    await probe.values_at_least(1)
    witness = Probe(lambda: db.items.get(50))
    await witness.values_at_least(1)
    await db.items.put({"id": 50, "code": "50"})  # past the first three: no re-run
    await witness.values_at_least(2)
    assert probe.runs == 1
    await db.items.put({"id": 1, "code": "changed"})  # inside: one re-run
    assert await probe.values_at_least(2) == [[0, 1, 2], [0, 1, 2]]
    assert probe.runs == 2
    probe.off()
    witness.off()


async def test_a_failing_subscriber_does_not_stop_the_query(friends):
    import asyncio

    from app.db import live_query

    seen = []
    delivered = asyncio.Event()

    def broken(value):
        seen.append(value)
        delivered.set()
        raise ValueError("subscriber bug")

    off = live_query(lambda: friends.friends.count()).subscribe(broken)
    await asyncio.wait_for(delivered.wait(), 10)
    delivered.clear()
    await friends.friends.delete(1)
    await asyncio.wait_for(delivered.wait(), 10)
    assert seen == [6, 5]
    off()


async def test_a_write_of_more_rows_than_a_batch_reruns_index_readers(friends):
    from app.db._observe import BATCH_KEYS

    probe = Probe(lambda: friends.friends.where("age").above(100).primary_keys())
    assert await probe.values_at_least(1) == [[]]
    many = [{"name": f"Elder {i}", "age": 101 + i} for i in range(BATCH_KEYS + 1)]
    await friends.friends.bulk_add(many)  # the table changed: its index keys not worked out
    assert len((await probe.values_at_least(2))[-1]) == BATCH_KEYS + 1
    probe.off()
