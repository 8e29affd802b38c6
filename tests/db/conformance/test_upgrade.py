"""Versions and upgrades: add/change/remove tables and indexes; failure keeps old data."""

import pytest

from app.db import Database
from app.db.errors import UpgradeError
from tests._wait import eventually

from .conftest import unique_name

RUN_IN_BROWSER = True


async def open_v1(make_db, name):
    db = make_db(name)
    db.version(1).stores({"friends": "++id, name", "old": "id"})
    await db.open()
    await db.friends.bulk_add([{"name": "a", "age": 1}, {"name": "b", "age": 2}])
    await db.old.put({"id": 1, "v": "x"})
    db.close()


def declare_v1(db):
    db.version(1).stores({"friends": "++id, name", "old": "id"})


async def test_add_index_in_new_version(make_db):
    name = unique_name()
    await open_v1(make_db, name)
    db = make_db(name)
    declare_v1(db)
    db.version(2).stores({"friends": "++id, name, age"})
    assert await db.friends.where("age").equals(2).count() == 1
    assert db.verno == 2


async def test_remove_index(make_db):
    name = unique_name()
    await open_v1(make_db, name)
    db = make_db(name)
    declare_v1(db)
    db.version(2).stores({"friends": "++id"})
    await db.open()
    assert "name" not in db.friends.schema.indexes
    assert await db.friends.count() == 2


async def test_add_and_delete_tables(make_db):
    name = unique_name()
    await open_v1(make_db, name)
    db = make_db(name)
    declare_v1(db)
    db.version(2).stores({"new": "id", "old": None})
    await db.new.put({"id": 1})
    assert sorted(t.name for t in db.tables) == ["friends", "new"]


async def test_upgrade_function_runs_in_order(make_db):
    name = unique_name()
    await open_v1(make_db, name)
    db = make_db(name)
    declare_v1(db)
    calls = []

    async def up2(tx):
        calls.append(2)
        await tx.friends.to_collection().modify(lambda f: f.update(age=f["age"] * 10))

    async def up3(tx):
        calls.append(3)
        await tx.table("friends").to_collection().modify({"v3": True})

    db.version(2).stores({"friends": "++id, name, age"}).upgrade(up2)
    db.version(3).stores({}).upgrade(up3)
    await db.open()
    assert calls == [2, 3]
    assert [f["age"] for f in await db.friends.order_by("age").to_array()] == [10, 20]
    assert all(f["v3"] for f in await db.friends.to_array())


async def test_upgrade_can_move_data_between_tables(make_db):
    name = unique_name()
    await open_v1(make_db, name)
    db = make_db(name)
    declare_v1(db)

    async def move(tx):
        rows = await tx.old.to_array()
        await tx.new.bulk_put([{"key": r["id"], "value": r["v"]} for r in rows])

    db.version(2).stores({"new": "key", "old": None}).upgrade(move)
    assert await db.new.get(1) == {"key": 1, "value": "x"}


async def test_upgrade_not_run_on_creation(make_db):
    db = make_db()
    calls = []
    db.version(1).stores({"t": "id"})
    db.version(2).stores({"t": "id, x"}).upgrade(lambda tx: calls.append(tx))
    await db.open()
    assert calls == [] and db.verno == 2


async def test_failed_upgrade_keeps_old_version_and_data(make_db):
    name = unique_name()
    await open_v1(make_db, name)
    db = make_db(name)
    declare_v1(db)

    async def bad(tx):
        await tx.friends.to_collection().modify({"name": "ruined"})
        await tx.old.clear()
        raise RuntimeError("migration bug")

    db.version(2).stores({"friends": "++id, name, age", "extra": "id"}).upgrade(bad)
    with pytest.raises(UpgradeError) as info:
        await db.open()
    assert info.value.version == 2
    assert "2" in str(info.value)
    assert isinstance(info.value.inner, RuntimeError)
    again = make_db(name)
    declare_v1(again)
    await again.open()
    assert again.verno == 1
    assert sorted(f["name"] for f in await again.friends.to_array()) == ["a", "b"]
    assert await again.old.count() == 1


async def test_failed_upgrade_can_be_retried_after_fix(make_db):
    name = unique_name()
    await open_v1(make_db, name)
    db = make_db(name)
    declare_v1(db)
    db.version(2).stores({"friends": "++id, name, age"}).upgrade(lambda tx: 1 / 0)
    with pytest.raises(UpgradeError):
        await db.open()
    fixed = make_db(name)
    declare_v1(fixed)
    fixed.version(2).stores({"friends": "++id, name, age"})
    await fixed.open()
    assert fixed.verno == 2


async def test_changing_primary_key_is_an_upgrade_error(make_db):
    name = unique_name()
    await open_v1(make_db, name)
    db = make_db(name)
    declare_v1(db)
    db.version(2).stores({"friends": "name"})
    with pytest.raises(UpgradeError):
        await db.open()


async def test_unique_index_on_duplicate_data_fails_upgrade(make_db):
    name = unique_name()
    await open_v1(make_db, name)
    first = make_db(name)
    declare_v1(first)
    await first.friends.add({"name": "a"})
    first.close()
    db = make_db(name)
    declare_v1(db)
    db.version(2).stores({"friends": "++id, &name"})
    with pytest.raises(UpgradeError):
        await db.open()


async def test_versionchange_closes_old_connection_and_it_reopens(make_db):
    name = unique_name()
    old = make_db(name)
    declare_v1(old)
    await old.open()
    events = []
    old.on("versionchange", lambda e: events.append((e.old_version, e.new_version)))
    new = make_db(name)
    declare_v1(new)
    new.version(2).stores({"friends": "++id, name, age"})
    await new.open()
    assert events == [(1, 2)]
    assert not old.is_open()
    # the old connection's next call reopens the upgraded database: its tables still fit
    await old.friends.add({"name": "after"})
    assert await new.friends.where("name").equals("after").count() == 1
    assert old.verno == 2


async def test_blocked_is_surfaced_when_old_connection_stays_open(make_db):
    name = unique_name()
    old = make_db(name)
    declare_v1(old)
    await old.open()
    old.on("versionchange", lambda e: False)  # refuse to close
    new = make_db(name)
    declare_v1(new)
    new.version(2).stores({"friends": "++id, name, age"})
    blocked = []
    new.on("blocked", blocked.append)
    import asyncio

    task = asyncio.ensure_future(new.open())
    await eventually(lambda: blocked, "the blocked event")
    old.close()
    await task
    assert new.verno == 2


async def test_two_waiting_upgrades_both_open_once_the_blocker_closes(make_db):
    import asyncio

    name = unique_name()
    old = make_db(name)
    declare_v1(old)
    await old.open()
    await old.friends.add({"name": "a", "age": 1})
    old.on("versionchange", lambda e: False)  # refuse to close
    waiting = []
    for _ in range(2):
        db = make_db(name)
        declare_v1(db)
        db.version(2).stores({"friends": "++id, name, age"})
        blocked = []
        db.on("blocked", blocked.append)
        waiting.append((db, blocked, asyncio.ensure_future(db.open())))
    first_blocked = waiting[0][1]
    await eventually(lambda: first_blocked, "the blocked event")  # the second waits in line
    old.close()
    for db, _, task in waiting:
        await asyncio.wait_for(task, 10)
        assert db.verno == 2
        assert await db.friends.where("age").equals(1).count() == 1


async def test_upgrade_premature_await_fails_upgrade(make_db):
    import asyncio

    name = unique_name()
    await open_v1(make_db, name)
    db = make_db(name)
    declare_v1(db)

    async def bad(tx):
        await asyncio.sleep(0.001)
        await tx.friends.count()

    db.version(2).stores({"friends": "++id, name, age"}).upgrade(bad)
    with pytest.raises(UpgradeError):
        await db.open()


async def test_populate_event_on_creation(make_db):
    db = make_db()
    db.version(1).stores({"t": "id"})
    seen = []
    db.on("populate", seen.append)
    await db.open()
    assert seen == [db]


async def test_delete_closes_other_connections(make_db):
    name = unique_name()
    a = make_db(name)
    a.version(1).stores({"t": "id"})
    await a.open()
    await Database(name).delete()
    assert not a.is_open()


async def test_populate_can_write_initial_data(make_db):
    db = make_db()
    db.version(1).stores({"settings": "key"})

    async def populate(d):
        await d.settings.bulk_add(
            [{"key": "theme", "value": "dark"}, {"key": "lang", "value": "en"}]
        )

    db.on("populate", populate)
    await db.open()
    assert await db.settings.count() == 2
    assert (await db.settings.get("theme"))["value"] == "dark"


async def test_populate_failure_fails_open(make_db):
    db = make_db()
    db.version(1).stores({"settings": "key"})

    async def populate(d):
        await d.settings.add({"key": "a"})
        raise RuntimeError("seed failed")

    db.on("populate", populate)
    with pytest.raises(UpgradeError):
        await db.open()
