"""Behaviours of Dexie 4.4 that app.db matches (issue 10, items 1-6 and 8).

Each runs on the memory backend in CPython and on IndexedDB in the browser tier.
(Item 6 lives in ``test_schema_history.py``; item 7 in ``test_newer_schema.py`` and,
across two builds of the app, in ``tests/db/test_two_builds.py``.)
"""

import asyncio

import pytest

from app.db import DELETE
from app.db.errors import BulkError, ConstraintError, DataError, PrematureCommitError, SchemaError

from .conftest import unique_name

RUN_IN_BROWSER = True


# ---------------------------------------------------------------- 1. index prefixes


@pytest.mark.parametrize("src", ["&*email", "*&email"])
async def test_unique_and_multi_entry_prefixes_combine_in_any_order(make_db, src):
    db = make_db()
    db.version(1).stores({"users": f"++id, {src}"})
    spec = db.users.schema.indexes["email"]
    assert spec.unique and spec.multi
    await db.users.add({"email": ["a@x", "b@x"]})
    await db.users.add({"email": ["c@x"]})
    assert await db.users.where("email").equals("b@x").primary_keys() == [1]
    with pytest.raises(ConstraintError):  # unique across every element of every record
        await db.users.add({"email": ["d@x", "a@x"]})
    assert await db.users.count() == 2


async def test_auto_increment_and_unique_prefixes_on_the_primary_key(make_db):
    db = make_db()
    db.version(1).stores({"t": "&++id", "u": "++&id"})
    for table in (db.t, db.u):
        pk = table.schema.primary_key
        assert pk.auto and pk.unique and pk.key_path == "id"
        assert await table.add({"v": 1}) == 1


@pytest.mark.parametrize("src", ["++*id", "*id"])
async def test_a_multi_entry_primary_key_is_still_rejected(make_db, src):
    with pytest.raises(SchemaError):
        make_db().version(1).stores({"t": src})


async def test_auto_increment_on_an_index_is_still_rejected(make_db):
    with pytest.raises(SchemaError):
        make_db().version(1).stores({"t": "id, &++email"})


# ---------------------------------------------------------------- 2. key paths into arrays


@pytest.fixture
async def people(make_db):
    db = make_db()
    db.version(1).stores({"people": "id, *email"})
    await db.people.put({"id": 1, "email": ["a@x", "b@x", "c@x"], "name": "Ada"})
    return db


async def test_update_sets_one_element_of_a_list(people):
    assert await people.people.update(1, {"email.0": "z@x"}) == 1
    assert (await people.people.get(1))["email"] == ["z@x", "b@x", "c@x"]
    assert await people.people.where("email").equals("z@x").primary_keys() == [1]
    assert await people.people.where("email").equals("a@x").primary_keys() == []


async def test_update_appends_at_the_end_of_a_list(people):
    await people.people.update(1, {"email.3": "d@x"})
    assert (await people.people.get(1))["email"] == ["a@x", "b@x", "c@x", "d@x"]


async def test_update_deletes_one_element_of_a_list(people):
    await people.people.update(1, {"email.1": DELETE})
    assert (await people.people.get(1))["email"] == ["a@x", "c@x"]


async def test_upsert_on_an_existing_record_keeps_the_other_elements(people):
    assert await people.people.upsert(1, {"email.2": "y@x"}) is True  # it was there
    assert (await people.people.get(1))["email"] == ["a@x", "b@x", "y@x"]


async def test_a_path_through_a_list_of_dicts(make_db):
    db = make_db()
    db.version(1).stores({"t": "id"})
    await db.t.put({"id": 1, "pets": [{"name": "Rex"}, {"name": "Tom"}]})
    await db.t.update(1, {"pets.1.name": "Tim", "pets.0.age": 3})
    assert (await db.t.get(1))["pets"] == [{"name": "Rex", "age": 3}, {"name": "Tim"}]


async def test_a_name_that_is_not_an_index_into_a_list_fails_and_changes_nothing(people):
    with pytest.raises(DataError):
        await people.people.update(1, {"email.first": "z@x"})
    assert (await people.people.get(1))["email"] == ["a@x", "b@x", "c@x"]


# ---------------------------------------------------------------- 3. modify moves keys


@pytest.fixture
async def users(make_db):
    db = make_db()
    db.version(1).stores({"users": "id, first", "kv": ""})
    await db.users.bulk_add([{"id": 87, "first": "Olle"}, {"id": 1, "first": "Ada"}])
    return db


async def test_modify_may_change_the_primary_key(users):
    n = await users.users.where({"id": 87}).modify(lambda u: u.update(id=88))
    assert n == 1
    assert await users.users.get(87) is None
    assert await users.users.get(88) == {"id": 88, "first": "Olle"}
    assert await users.users.where("first").equals("Olle").primary_keys() == [88]


async def test_update_with_a_new_primary_key_moves_the_record(users):
    assert await users.users.update(87, {"id": 90, "first": "Olof"}) == 1
    assert await users.users.to_array() == [
        {"id": 1, "first": "Ada"},
        {"id": 90, "first": "Olof"},
    ]


async def test_a_move_onto_a_taken_key_fails_and_keeps_both_records(users):
    with pytest.raises(BulkError):
        await users.users.where("id").equals(87).modify({"id": 1})
    assert await users.users.get(87) == {"id": 87, "first": "Olle"}
    assert await users.users.get(1) == {"id": 1, "first": "Ada"}


async def test_a_move_is_one_change_in_the_feed_of_each_key(users):
    batches = []
    users.on("changes", batches.append)
    await users.users.update(87, {"id": 88})
    assert [(c.key, c.type) for c in batches[0]] == [(88, "create"), (87, "delete")]


async def test_a_move_aborts_with_its_transaction(users):
    with pytest.raises(RuntimeError):
        async with users.transaction("rw", users.users):
            await users.users.update(87, {"id": 88})
            raise RuntimeError("abort")
    assert await users.users.get(87) is not None
    assert await users.users.get(88) is None


# ---------------------------------------------------------------- 4. null auto key


async def test_add_with_a_null_key_on_an_auto_increment_table_generates_one(make_db):
    db = make_db()
    db.version(1).stores({"log": "++id, kind"})
    first = {"id": None, "kind": "a"}
    assert await db.log.add(first) == 1
    assert first["id"] == 1  # written back, as for a missing key
    assert await db.log.put({"id": None, "kind": "b"}) == 2
    assert await db.log.bulk_add([{"id": None, "kind": "c"}, {"kind": "d"}], all_keys=True) == [
        3,
        4,
    ]
    assert await db.log.get(1) == {"id": 1, "kind": "a"}


async def test_a_null_key_without_auto_increment_is_still_an_error(make_db):
    db = make_db()
    db.version(1).stores({"t": "id"})
    with pytest.raises(DataError):
        await db.t.add({"id": None})


async def test_a_null_key_on_a_dotted_auto_increment_path(make_db):
    db = make_db()
    db.version(1).stores({"t": "++meta.id"})
    obj = {"meta": {"id": None, "by": "me"}}
    key = await db.t.add(obj)
    assert await db.t.get(key) == {"meta": {"id": key, "by": "me"}}
    assert obj["meta"]["id"] == key


# ---------------------------------------------------------------- 5. where over multi-entry


@pytest.fixture
async def multi(make_db):
    db = make_db()
    db.version(1).stores({"m": "id, name, *categories, *tags"})
    await db.m.bulk_add(
        [
            {"id": 1, "name": "Foo", "categories": ["cat_a", "cat_b"], "tags": ["tag_a", "tag_b"]},
            {"id": 2, "name": "Bar", "categories": ["cat_b", "cat_c"], "tags": ["tag_b", "tag_c"]},
        ]
    )
    return db


async def test_where_dict_over_two_multi_entry_indexes(multi):
    both = await multi.m.where({"categories": "cat_a", "tags": "tag_a"}).to_array()
    assert [r["id"] for r in both] == [1]
    assert await multi.m.where({"categories": "cat_b", "tags": "tag_b"}).primary_keys() == [1, 2]
    assert await multi.m.where({"categories": "cat_c", "tags": "tag_a"}).primary_keys() == []


async def test_where_dict_mixing_a_multi_entry_and_a_plain_index(multi):
    assert await multi.m.where({"name": "Bar", "tags": "tag_c"}).primary_keys() == [2]
    assert await multi.m.where({"tags": "tag_b", "name": "Foo"}).primary_keys() == [1]


# ---------------------------------------------------------------- 8. premature commit


async def test_gather_with_a_foreign_await_is_a_premature_commit(db):
    await db.items.put({"id": 1, "code": "a"})
    with pytest.raises(PrematureCommitError):
        async with db.transaction("rw", db.items):
            await asyncio.gather(db.items.get(1), asyncio.sleep(0))
            await db.items.put({"id": 2, "code": "b"})
    assert await db.items.get(2) is None


async def test_gather_with_a_timer_is_a_premature_commit(db):
    with pytest.raises(PrematureCommitError):
        async with db.transaction("rw", db.items):
            await db.items.put({"id": 1, "code": "a"})
            await asyncio.gather(db.items.get(1), asyncio.sleep(0.01))
            await db.items.put({"id": 2, "code": "b"})
    # IndexedDB committed what was done before the foreign await
    assert await db.items.get(1) is not None
    assert await db.items.get(2) is None


async def test_a_foreign_await_in_a_nested_helper_is_found(db):
    async def helper():
        await db.items.get(1)
        await asyncio.sleep(0)

    with pytest.raises(PrematureCommitError):
        async with db.transaction("rw", db.items):
            await asyncio.gather(helper(), db.items.get(2))
            await db.items.put({"id": 3, "code": "c"})


async def test_gathers_of_database_calls_only_are_fine(db):
    async def helper(i):
        await db.items.put({"id": i, "code": str(i)})
        return await asyncio.gather(db.items.get(i), db.items.count())

    async with db.transaction("rw", db.items):
        results = await asyncio.gather(helper(1), helper(2), db.items.count())
        await db.items.put({"id": 3, "code": "3"})
    assert [r[0]["id"] for r in results[:2]] == [1, 2]
    assert await db.items.count() == 3


async def test_a_dexie4_move_and_a_list_path_in_one_transaction(make_db):
    """Items 2 and 3 together, in an explicit transaction over two tables."""
    name = unique_name("dexie4")
    db = make_db(name)
    db.version(1).stores({"a": "id", "b": "id"})
    await db.a.put({"id": 1, "xs": [1, 2]})
    async with db.transaction("rw", db.a, db.b):
        await db.a.update(1, {"xs.1": 20, "id": 2})
        await db.b.put({"id": "done"})
    assert await db.a.to_array() == [{"id": 2, "xs": [1, 20]}]
