"""live_query: re-runs exactly when a committed write touches what it read."""

import pytest

from app.db import live_query

from ._util import settle, wait_for
from .conftest import unique_name

RUN_IN_BROWSER = True


class Probe:
    def __init__(self):
        self.values = []
        self.errors = []
        self.runs = 0


def observe(querier):
    probe = Probe()

    async def counted():
        probe.runs += 1
        return await querier()

    unsubscribe = live_query(counted).subscribe(probe.values.append, probe.errors.append)
    return probe, unsubscribe


async def test_initial_value(friends):
    probe, off = observe(lambda: friends.friends.where("age").above(40).primary_keys())
    await wait_for(lambda: probe.values, "first value")
    assert probe.values == [[3, 6]]
    off()


async def test_rerun_on_relevant_write(friends):
    probe, off = observe(lambda: friends.friends.where("age").above(40).primary_keys())
    await wait_for(lambda: probe.values)
    await friends.friends.add({"name": "Old", "age": 90})
    await wait_for(lambda: len(probe.values) == 2, "re-run")
    assert probe.values[-1] == [3, 6, 7]
    off()


async def test_no_rerun_on_unrelated_write(friends):
    probe, off = observe(lambda: friends.friends.where("age").above(40).primary_keys())
    await wait_for(lambda: probe.values)
    await friends.friends.add({"name": "Young", "age": 5})  # outside the range
    await friends.items.add({"id": 1, "code": "x"})  # another table
    await friends.friends.add({"name": "Old", "age": 90})  # inside: one re-run
    await wait_for(lambda: len(probe.values) >= 2)
    await settle(friends)
    assert probe.runs == 2
    off()


async def test_rerun_when_row_leaves_range(friends):
    probe, off = observe(lambda: friends.friends.where("age").above(40).primary_keys())
    await wait_for(lambda: probe.values)
    await friends.friends.update(3, {"age": 1})
    await wait_for(lambda: len(probe.values) == 2)
    assert probe.values[-1] == [6]
    off()


async def test_rerun_when_read_row_changes_unindexed_field(friends):
    probe, off = observe(lambda: friends.friends.get(2))
    await wait_for(lambda: probe.values)
    await friends.friends.update(2, {"note": "hi"})
    await wait_for(lambda: len(probe.values) == 2)
    assert probe.values[-1]["note"] == "hi"
    await friends.friends.update(1, {"note": "other"})
    await settle(friends)
    assert probe.runs == 2
    off()


async def test_count_query_reruns_on_delete(friends):
    probe, off = observe(lambda: friends.friends.count())
    await wait_for(lambda: probe.values)
    await friends.friends.delete(1)
    await wait_for(lambda: len(probe.values) == 2)
    assert probe.values == [6, 5]
    off()


async def test_aborted_write_does_not_rerun(friends):
    probe, off = observe(lambda: friends.friends.count())
    await wait_for(lambda: probe.values)
    with pytest.raises(RuntimeError):
        async with friends.transaction("rw", friends.friends):
            await friends.friends.add({"name": "x"})
            raise RuntimeError
    await settle(friends)
    assert probe.runs == 1
    off()


async def test_unsubscribe_stops_reruns(friends):
    probe, off = observe(lambda: friends.friends.count())
    await wait_for(lambda: probe.values)
    off()
    await friends.friends.add({"name": "x"})
    await settle(friends)
    assert probe.runs == 1


async def test_error_goes_to_error_callback(friends):
    async def bad():
        return await friends.friends.where("nope").equals(1).to_array()

    errors = []
    off = live_query(bad).subscribe(lambda v: None, errors.append)
    await wait_for(lambda: errors)
    off()


async def test_write_through_another_connection_reruns(make_db):
    name = unique_name()
    a = make_db(name)
    a.version(1).stores({"t": "id, v"})
    b = make_db(name)
    b.version(1).stores({"t": "id, v"})
    await a.open()
    await b.open()
    probe, off = observe(lambda: a.t.where("v").equals(1).primary_keys())
    await wait_for(lambda: probe.values)
    await b.t.put({"id": "x", "v": 1})
    await wait_for(lambda: len(probe.values) == 2)
    assert probe.values[-1] == ["x"]
    off()


async def test_multi_table_query(friends):
    async def q():
        return (await friends.friends.count(), await friends.items.count())

    probe, off = observe(q)
    await wait_for(lambda: probe.values)
    await friends.items.add({"id": 1, "code": "c"})
    await wait_for(lambda: len(probe.values) == 2)
    assert probe.values[-1] == (6, 1)
    off()


async def test_limited_query_ignores_writes_past_its_window(db):
    await db.items.bulk_put([{"id": i, "code": str(i)} for i in range(10)])
    probe, off = observe(lambda: db.items.to_collection().limit(3).primary_keys())
    await wait_for(lambda: probe.values)
    await db.items.put({"id": 50, "code": "50"})
    await db.items.put({"id": 1, "code": "changed"})
    await wait_for(lambda: len(probe.values) >= 2)
    await settle(db)
    assert probe.runs == 2
    off()
