"""A connection still running the previous release while another upgrades (issue 10, 7).

``old`` declares version 1; ``new`` declares version 2 and opens: ``old`` hears
``versionchange`` and closes, hears every table as changed, and its next call reopens the
upgraded database. Where version 1's tables still fit version 2, ``old`` keeps working;
where they do not, every call fails with a ``VersionError`` that says to reload the page.
Nothing ``old`` wrote before is lost. (Two tabs with two builds of the whole app:
``tests/db/test_two_builds.py``.)
"""

import asyncio

import pytest

from app.db.errors import VersionError

from ._util import Probe
from .conftest import unique_name

RUN_IN_BROWSER = True

V1 = {"notes": "id, title", "tags": "id"}


async def open_old(make_db, name):
    old = make_db(name)
    old.version(1).stores(V1)
    await old.open()
    await old.notes.put({"id": "before", "title": "written before the upgrade"})
    return old


def declare_new(db, stores, upgrade=None):
    db.version(1).stores(V1)
    version = db.version(2).stores(stores)
    if upgrade is not None:
        version.upgrade(upgrade)
    return db


async def test_a_compatible_upgrade_leaves_the_old_connection_working(make_db):
    name = unique_name("newer")
    old = await open_old(make_db, name)
    heard = []
    old.on("storagemutated", heard.append)

    async def fill(tx):
        await tx.notes.to_collection().modify({"words": 5})

    new = declare_new(make_db(name), {"notes": "id, title, words", "links": "id"}, fill)
    await new.open()
    assert not old.is_open()  # closed by versionchange
    assert heard == [{"links": None, "notes": None, "tags": None}]  # every table may differ
    await old.notes.put({"id": "after", "title": "written after the upgrade"})  # reopens
    assert old.is_open() and old.verno == 2
    assert [t.name for t in old.tables] == ["notes", "tags"]  # what version 1 knows
    assert await new.notes.get("before") == {
        "id": "before",
        "title": "written before the upgrade",
        "words": 5,
    }
    assert await new.notes.get("after") == {"id": "after", "title": "written after the upgrade"}
    assert await new.notes.where("words").equals(5).primary_keys() == ["before"]


async def test_an_incompatible_upgrade_tells_the_old_connection_to_reload(make_db):
    name = unique_name("newer-unfit")
    old = await open_old(make_db, name)

    async def move(tx):
        await tx.tags.bulk_put([{"id": "t1"}])

    # version 2 drops the "title" index version 1 queries by
    new = declare_new(make_db(name), {"notes": "id"}, move)
    await new.open()
    for attempt in (
        old.notes.put({"id": "lost?", "title": "x"}),
        old.notes.where("title").equals("x").to_array(),
    ):
        with pytest.raises(VersionError) as info:
            await attempt
        assert info.value.needs_reload
        assert "Reload the page" in str(info.value)
        assert "index 'title'" in str(info.value)
    # what the old connection wrote before is there; the failed write is not
    assert await new.notes.to_array() == [{"id": "before", "title": "written before the upgrade"}]


async def test_a_live_query_on_the_old_connection_follows_the_upgrade(make_db):
    name = unique_name("newer-live")
    old = await open_old(make_db, name)
    probe = Probe(lambda: old.notes.to_array())
    await probe.values_at_least(1)

    async def retitle(tx):
        await tx.notes.to_collection().modify({"title": "migrated"})

    new = declare_new(make_db(name), {"notes": "id, title, words"}, retitle)
    await new.open()
    values = await probe.values_at_least(2)  # it re-ran, reopening the database
    assert values[-1] == [{"id": "before", "title": "migrated"}]
    probe.off()


async def test_a_write_during_the_upgrade_waits_for_it_and_lands(make_db):
    name = unique_name("newer-race")
    old = await open_old(make_db, name)
    started = asyncio.Event()
    release = asyncio.Event()

    def closed_by_upgrade(_event):
        started.set()

    old.on("versionchange", closed_by_upgrade)

    async def slow(tx):
        # many small steps, so the old connection's write is queued behind the upgrade
        for i in range(50):
            await tx.tags.put({"id": f"t{i}"})
        release.set()

    new = declare_new(make_db(name), {"tags": "id, label"}, slow)
    opening = asyncio.ensure_future(new.open())
    await asyncio.wait_for(started.wait(), 10)
    write = asyncio.ensure_future(old.notes.put({"id": "during", "title": "queued"}))
    await asyncio.wait_for(opening, 20)
    await asyncio.wait_for(write, 20)
    assert release.is_set()
    assert await new.notes.get("during") == {"id": "during", "title": "queued"}
    assert await new.tags.count() == 50


async def test_a_lower_version_opened_fresh_on_a_newer_database(make_db):
    name = unique_name("newer-fresh")
    new = declare_new(make_db(name), {"notes": "id, title, words"})
    await new.open()
    await new.notes.put({"id": "n", "title": "t", "words": 1})
    new.close()
    old = make_db(name)
    old.version(1).stores(V1)
    assert await old.notes.get("n") == {"id": "n", "title": "t", "words": 1}
    assert old.verno == 2
