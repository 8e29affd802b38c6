"""Counterparts of Dexie's ``test/tests-transaction.js``, ``tests-open.js``,
``tests-upgrading.js``, ``tests-live-query.js``, ``tests-asyncawait.js`` and
``tests-exception-handling.js``.

Each test names the Dexie test it follows.
"""

import asyncio

import pytest

from app.db import Database
from app.db._transaction import current_transaction
from app.db.errors import (
    AbortError,
    BulkError,
    DatabaseClosedError,
    ReadOnlyError,
    TransactionInactiveError,
    UpgradeError,
)

from ._util import Probe
from .conftest import unique_name

RUN_IN_BROWSER = True


@pytest.fixture
async def tdb(make_db):
    db = make_db(unique_name("dexie-life"))
    db.version(1).stores({"users": "++id, first, &username", "pets": "++id, kind"})
    await db.users.add({"first": "David", "username": "dfahlander"})
    return db


# ---------------------------------------------------------------- tests-transaction.js


async def test_an_empty_transaction_block(tdb):
    """'empty transaction block'."""
    async with tdb.transaction("rw", tdb.users):
        pass
    async with tdb.transaction("r", tdb.users, tdb.pets):
        pass
    assert await tdb.users.count() == 1


async def test_a_transaction_that_is_over_cannot_be_used(tdb):
    """'Inactive transaction', 'Inactive transaction 2': work started inside the block
    that runs after it ended belongs to a finished transaction."""
    later = asyncio.get_running_loop().create_future()

    async def after_the_block():
        await later
        return await tdb.users.count()

    async with tdb.transaction("rw", tdb.users):
        await tdb.users.add({"first": "Inside"})
        task = asyncio.ensure_future(after_the_block())  # inherits the transaction
    later.set_result(None)
    with pytest.raises(TransactionInactiveError):
        await task
    assert await tdb.users.count() == 2


async def test_three_levels_of_sub_transactions(tdb):
    """'Three-level sub transactions'."""
    async with tdb.transaction("rw", tdb.users, tdb.pets) as outer:
        async with tdb.transaction("rw", tdb.users) as middle:
            async with tdb.transaction("r", tdb.users) as inner:
                assert inner is middle is outer
                assert await tdb.users.count() == 1
            await tdb.users.add({"first": "Middle"})
        await tdb.pets.add({"kind": "cat"})
    assert await tdb.users.count() == 2 and await tdb.pets.count() == 1


async def test_a_sub_transaction_cannot_write_in_a_read_only_parent(tdb):
    """'Transaction is not in read-mode'."""
    with pytest.raises(Exception) as info:
        async with tdb.transaction("r", tdb.users):
            async with tdb.transaction("rw", tdb.users):
                pass
    assert type(info.value).__name__ == "SubTransactionError"
    with pytest.raises(ReadOnlyError):
        async with tdb.transaction("r", tdb.users):
            await tdb.users.add({"first": "x"})


async def test_transactions_in_two_databases(make_db):
    """'Transactions in multiple databases': writes to another database, started inside
    a transaction and not awaited there, go their own way."""
    db, log = make_db(), make_db()
    db.version(1).stores({"pets": "++id, kind"})
    log.version(1).stores({"log": "++, message"})
    await log.open()
    async with db.transaction("rw", db.pets):
        first = asyncio.ensure_future(log.log.add({"message": "Now adding a dog"}))
        pet_id = await db.pets.add({"kind": "dog"})
        second = asyncio.ensure_future(log.log.add({"message": f"Added dog got key {pet_id}"}))
    await first
    await second
    assert [m["message"] for m in await log.log.to_array()] == [
        "Now adding a dog",
        "Added dog got key 1",
    ]
    assert await db.pets.count() == 1


async def test_db_table_joins_the_current_transaction(tdb):
    """'Issue #137 db.table() does not respect current transaction'."""
    with pytest.raises(RuntimeError):
        async with tdb.transaction("rw", "users"):
            await tdb.table("users").add({"first": "Joined"})
            raise RuntimeError("abort")
    assert await tdb.users.where("first").equals("Joined").count() == 0


async def test_abort_rolls_back_the_writes_before_it(tdb):
    """'abort will rollback previous writes'."""
    with pytest.raises(AbortError):
        async with tdb.transaction("rw", tdb.users) as tx:
            await tdb.users.add({"first": "Gone"})
            tx.abort()
            await tdb.users.add({"first": "Never"})
    assert [u["first"] for u in await tdb.users.to_array()] == ["David"]


# ---------------------------------------------------------------- tests-asyncawait.js


async def test_the_transaction_does_not_leak_out_of_its_block(tdb):
    """'Must not leak PSD zone', 'Must not leak PSD zone2'."""
    assert current_transaction.get() is None
    async with tdb.transaction("rw", tdb.users):
        assert current_transaction.get() is not None
    assert current_transaction.get() is None
    seen = await asyncio.ensure_future(asyncio.sleep(0, result=current_transaction.get()))
    assert seen is None
    assert await tdb.users.add({"first": "Outside"}) == 2  # an implicit transaction


async def test_gather_inside_a_transaction(tdb):
    """'Should be able to await Promise.all()'."""
    async with tdb.transaction("rw", tdb.users, tdb.pets):
        users, pets = await asyncio.gather(tdb.users.count(), tdb.pets.count())
        await asyncio.gather(tdb.pets.add({"kind": "dog"}), tdb.pets.add({"kind": "cat"}))
    assert (users, pets) == (1, 0)
    assert await tdb.pets.count() == 2


async def test_async_upgrade_function(make_db):
    """'Should be able to use native async await from upgrade handler (issue #612)'."""
    name = unique_name("dexie-async-up")
    db = make_db(name)
    db.version(1).stores({"t": "++id"})
    await db.t.bulk_add([{"n": 1}, {"n": 2}])
    db.close()
    again = make_db(name)
    again.version(1).stores({"t": "++id"})

    async def upgrade(tx):
        rows = await tx.t.to_array()
        for row in rows:
            await tx.t.update(row["id"], {"n": row["n"] * 10})
        assert await tx.t.where(":id").above(0).count() == 2

    again.version(2).stores({"t": "++id, n"}).upgrade(upgrade)
    assert await again.t.where("n").equals(20).count() == 1


# ---------------------------------------------------------------- tests-open.js


async def test_open_add_and_query_without_and_with_a_transaction(make_db):
    """'open, add and query data without transaction', '... using transaction'."""
    db = make_db()
    db.version(1).stores({"employees": "++id, first, last"})
    await db.employees.add({"first": "Arnold", "last": "Fitzgerald"})
    async with db.transaction("rw", db.employees):
        await db.employees.add({"first": "Bernard", "last": "Smith"})
        assert await db.employees.where("first").equals("Bernard").count() == 1
    assert [e["first"] for e in await db.employees.order_by("first").to_array()] == [
        "Arnold",
        "Bernard",
    ]


async def test_no_auto_open(make_db):
    """'No auto-open'."""
    db = make_db(auto_open=False)
    db.version(1).stores({"t": "id"})
    with pytest.raises(DatabaseClosedError):
        await db.t.count()
    await db.open()
    assert await db.t.count() == 0


async def test_close_and_open_again_several_times(tdb):
    """'db.close', 'db.open several times'."""
    for _ in range(3):
        tdb.close()
        with pytest.raises(DatabaseClosedError):
            await tdb.users.count()
        await tdb.open()
        await tdb.open()  # twice: the same connection
        assert await tdb.users.count() == 1


async def test_ready_fires_on_open(make_db):
    """'#306 db.on('ready') subscription'."""
    db = make_db()
    db.version(1).stores({"t": "id"})
    seen = []
    db.on("ready", lambda d: seen.append(d is db))
    await db.t.count()
    assert seen == [True]


async def test_several_databases_do_not_block_each_other(make_db):
    """'multiple db should not block each other'."""
    dbs = [make_db() for _ in range(3)]
    for i, db in enumerate(dbs):
        db.version(1).stores({"t": "id"})
        await db.t.put({"id": i})
    counts = await asyncio.gather(*(db.t.count() for db in dbs))
    assert counts == [1, 1, 1]


# ---------------------------------------------------------------- tests-upgrading.js


async def test_rename_a_table_through_an_upgrade(make_db):
    """'Issue #713 - how to change table name'."""
    name = unique_name("dexie-rename")
    db = make_db(name)
    db.version(1).stores({"friends": "++id, name"})
    await db.friends.bulk_add([{"name": "A"}, {"name": "B"}])
    db.close()
    db = make_db(name)
    db.version(1).stores({"friends": "++id, name"})

    async def copy(tx):
        await tx.contacts.bulk_add(await tx.friends.to_array())

    db.version(2).stores({"contacts": "++id, name", "friends": None}).upgrade(copy)
    assert [t.name for t in db.tables] == ["contacts"]
    assert [c["name"] for c in await db.contacts.to_array()] == ["A", "B"]
    assert await db.contacts.add({"name": "C"}) == 3  # the key generator came along


async def reopened_at_version_2(make_db, stores, upgrade=None):
    """A database written at version 1 (``t: "id"``, one row), declared again with a
    version 2 of ``stores`` (and ``upgrade``)."""
    name = unique_name("dexie-v2")
    db = make_db(name)
    db.version(1).stores({"t": "id"})
    await db.t.put({"id": 1})
    db.close()
    db = make_db(name)
    db.version(1).stores({"t": "id"})
    version = db.version(2).stores(stores)
    if upgrade is not None:
        version.upgrade(upgrade)
    return db


async def test_an_explicit_unique_primary_key_is_not_a_change(make_db):
    """'Issue #959 - Should migrate successfully with an explicit unique modifier of the
    primary key'."""
    db = await reopened_at_version_2(make_db, {"t": "&id, x"})
    assert await db.t.get(1) == {"id": 1}


async def test_an_upgrade_function_that_throws(make_db):
    """tests-exception-handling.js 'exception in upgrader'."""
    db = await reopened_at_version_2(make_db, {"t": "id, x"}, lambda tx: {}["missing"])
    with pytest.raises(UpgradeError) as info:
        await db.open()
    assert isinstance(info.value.inner, KeyError)


# ---------------------------------------------------------------- tests-live-query.js


async def test_explicit_transactions_reach_live_queries_once_committed(tdb):
    """'Isolation: Explicit rw transactions do not affect live queries before
    committed'."""
    probe = Probe(lambda: tdb.users.to_collection().primary_keys())
    await probe.values_at_least(1)
    async with tdb.transaction("rw", tdb.users):
        await tdb.users.add({"first": "A"})
        await tdb.users.add({"first": "B"})
        assert probe.runs == 1  # nothing re-runs before the commit
    assert await probe.values_at_least(2) == [[1], [1, 2, 3]]


async def test_live_query_after_a_bulk_add_with_a_constraint_error(tdb):
    """'Issue 2058 - related but with bulkAdd and constraint error on duplicate primary
    keys'."""
    probe = Probe(lambda: tdb.users.to_collection().primary_keys())
    await probe.values_at_least(1)
    with pytest.raises(BulkError):
        await tdb.users.bulk_add([{"id": 10, "first": "X"}, {"id": 1, "first": "dup"}])
    assert (await probe.values_at_least(2))[-1] == [1, 10]


async def test_live_query_after_several_deletes(tdb):
    """'Issue 2067: useLiveQuery does not update when multiple items are deleted'."""
    await tdb.users.bulk_add([{"first": str(i)} for i in range(5)])
    probe = Probe(lambda: tdb.users.count())
    await probe.values_at_least(1)
    await tdb.users.bulk_delete([2, 3, 4])
    assert (await probe.values_at_least(2))[-1] == 3


async def test_live_query_after_putting_a_returned_value_changed_in_place(tdb):
    """'Issue 2309: useLiveQuery stops updating when mutating returned object in-place
    and putting it'."""
    probe = Probe(lambda: tdb.users.get(1))
    first = (await probe.values_at_least(1))[0]
    first["first"] = "Changed"  # the subscriber's own copy
    await tdb.users.put(first)
    assert (await probe.values_at_least(2))[-1]["first"] == "Changed"
    first["first"] = "Again"
    await tdb.users.put(first)
    assert (await probe.values_at_least(3))[-1]["first"] == "Again"


async def test_an_error_in_a_live_query(tdb):
    """'subscribe and error occur'."""
    probe = Probe(lambda: tdb.users.where("nope").equals(1).to_array())
    error = await probe.an_error()
    assert "nope" in str(error)


async def test_deleting_the_database_closes_every_connection(make_db):
    """tests-open.js 'Dexie.delete' (with another connection open)."""
    name = unique_name("dexie-delete")
    a = make_db(name)
    a.version(1).stores({"t": "id"})
    await a.t.put({"id": 1})
    await Database(name).delete()
    assert not a.is_open()
    again = make_db(name)
    again.version(1).stores({"t": "id"})
    assert await again.t.count() == 0
