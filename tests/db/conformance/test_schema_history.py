"""A schema history that cannot skip a step: a database written at any earlier version
opens through every later version's upgrade, in order, exactly once each.

The history below changes indexes, adds an upgrade-only version, uses a fractional
version number, and changes a primary key the documented way: delete the table in one
version, create it again (another primary key) in a later one, the upgrade functions
copying the data through a table in between.
"""

import pytest

from .conftest import unique_name

RUN_IN_BROWSER = True

VERSIONS = [1, 2, 2.5, 3, 4, 5]
PEOPLE = [{"name": "Ada", "born": 1815}, {"name": "Bo", "born": 1990}]


async def _log(tx, number):
    await tx.migrations.add({"version": number})


def declare(db, upto):
    """Declare the history's versions up to ``upto`` (inclusive)."""

    async def v2(tx):
        await _log(tx, 2)
        await tx.people.to_collection().modify(lambda p: p.update(age=2026 - p["born"]))

    async def v2_5(tx):
        await _log(tx, 2.5)
        await tx.notes.put({"id": "added-in-2.5", "text": "hello"})

    async def v3(tx):  # people is deleted in this version: copy it out first
        await _log(tx, 3)
        await tx.tmp.bulk_put([dict(p, old_id=p["id"]) for p in await tx.people.to_array()])

    async def v4(tx):  # people comes back keyed by a string
        await _log(tx, 4)
        rows = await tx.tmp.to_array()
        await tx.people.bulk_add(
            [{"uuid": f"p{r['old_id']}", "name": r["name"], "age": r["age"]} for r in rows]
        )

    async def v5(tx):  # no schema change, only data
        await _log(tx, 5)
        await tx.people.to_collection().modify({"checked": True})

    steps = {
        1: ({"people": "++id, name", "notes": "id", "migrations": "++seq"}, None),
        2: ({"people": "++id, name, age"}, v2),
        2.5: ({"notes": "id, text"}, v2_5),
        3: ({"tmp": "id", "people": None}, v3),
        4: ({"people": "uuid, name, age", "tmp": None}, v4),
        5: ({}, v5),
    }
    for number in VERSIONS:
        if number > upto:
            break
        stores, fn = steps[number]
        version = db.version(number).stores(stores)
        if fn is not None:
            version.upgrade(fn)
    return db


async def written_at(make_db, name, version):
    """A database created at version 1 with data, then opened (and so upgraded) at
    ``version`` and closed: what an older build of the app left behind."""
    db = declare(make_db(name), 1)
    await db.open()
    await db.people.bulk_add([dict(p) for p in PEOPLE])
    await db.notes.put({"id": "n1", "text": "first"})
    db.close()
    if version > 1:
        db = declare(make_db(name), version)
        await db.open()
        assert db.verno == version
        db.close()


async def migrations_run(db):
    return [m["version"] for m in await db.migrations.to_array()]


@pytest.mark.parametrize("installed", VERSIONS[:-1])
async def test_an_older_database_runs_every_later_upgrade_once_in_order(make_db, installed):
    name = unique_name("history")
    await written_at(make_db, name, installed)
    db = declare(make_db(name), 5)
    await db.open()
    assert db.verno == 5
    assert await migrations_run(db) == [v for v in VERSIONS if 1 < v]  # each step, once
    assert sorted(t.name for t in db.tables) == ["migrations", "notes", "people"]
    people = await db.people.order_by("age").to_array()
    assert people == [
        {"uuid": "p2", "name": "Bo", "age": 36, "checked": True},
        {"uuid": "p1", "name": "Ada", "age": 211, "checked": True},
    ]
    assert await db.people.get("p1") == people[1]
    assert [n["id"] for n in await db.notes.order_by("text").to_array()] == [
        "n1",  # "first"
        "added-in-2.5",  # "hello"
    ]


@pytest.mark.parametrize("created", VERSIONS[:-1])
async def test_a_database_created_at_a_version_runs_only_the_later_upgrades(make_db, created):
    name = unique_name("history-new")
    db = declare(make_db(name), created)
    await db.open()  # created directly at this version: no upgrade function runs
    assert await migrations_run(db) == []
    db.close()
    db = declare(make_db(name), 5)
    await db.open()
    assert await migrations_run(db) == [v for v in VERSIONS if v > created]
    assert sorted(t.name for t in db.tables) == ["migrations", "notes", "people"]
    assert db.people.schema.primary_key.key_path == "uuid"


async def test_reopening_at_the_latest_version_runs_nothing(make_db):
    name = unique_name("history-again")
    await written_at(make_db, name, 5)
    db = declare(make_db(name), 5)
    await db.open()
    assert await migrations_run(db) == [2, 2.5, 3, 4, 5]


async def test_a_failing_step_leaves_the_database_at_its_installed_version(make_db):
    name = unique_name("history-fail")
    await written_at(make_db, name, 2)
    db = declare(make_db(name), 4)

    async def broken(tx):
        await tx.people.to_collection().modify({"ruined": True})
        raise RuntimeError("v5 bug")

    db.version(5).upgrade(broken)
    with pytest.raises(Exception) as info:
        await db.open()
    assert getattr(info.value, "version", None) == 5
    # every step before it is undone too: it all ran in one transaction
    again = declare(make_db(name), 2)
    await again.open()
    assert again.verno == 2
    assert await migrations_run(again) == [2]
    assert sorted(t.name for t in again.tables) == ["migrations", "notes", "people"]
    people = await again.people.where("age").above(0).to_array()  # the v2 index, v2 data
    assert [p["name"] for p in people] == ["Bo", "Ada"]
    assert not any("ruined" in p for p in people)
