"""Counterparts of Dexie's ``test/tests-table.js`` and ``tests-misc.js`` (Table API).

Each test names the Dexie test it follows. Dexie's tests use a ``users`` table with
``++id, first, last, &username, *&email, *pets``; this fixture is the same.
"""

import datetime as dt

import pytest

from app.db.errors import BulkError, ConstraintError, DataError

from .conftest import DEXIE_USERS, DEXIE_USERS_SCHEMA, unique_name

RUN_IN_BROWSER = True

STORES = {
    "users": DEXIE_USERS_SCHEMA,
    "folks": "++, first, last",  # outbound auto-increment keys
    "items": "id",
}


@pytest.fixture
async def udb(make_db):
    db = make_db(unique_name("dexie-table"))
    db.version(1).stores(STORES)
    await db.users.bulk_add([dict(u) for u in DEXIE_USERS])
    return db


async def test_put_with_a_changed_date(udb):
    """'Issue #841 - put() ignores date changes'."""
    first = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    later = dt.datetime(2021, 6, 1, 12, tzinfo=dt.UTC)
    await udb.items.put({"id": 1, "at": first})
    await udb.items.put({"id": 1, "at": later})
    assert (await udb.items.get(1))["at"] == later
    assert await udb.items.update(1, {"at": first}) == 1
    assert (await udb.items.get(1))["at"] == first


async def test_update_array_property(udb):
    """'update array property'."""
    await udb.items.put({"id": 1, "foo": [{"bar": 123}]})
    await udb.items.update(1, {"foo": [{"bar": 222}]})
    assert (await udb.items.get(1))["foo"] == [{"bar": 222}]


async def test_count_with_limit(udb):
    """'count with limit'."""
    assert await udb.users.limit(1).count() == 1
    assert await udb.users.count() == 2


async def test_limit_order_by_modify_abort_reverse(udb):
    """'limit(),orderBy(),modify(), abort(), reverse()'."""
    assert [u["first"] for u in await udb.users.order_by("first").limit(1).to_array()] == ["David"]
    assert (await udb.users.order_by("first").reverse().first())["first"] == "Karl"
    with pytest.raises(RuntimeError):
        async with udb.transaction("rw", udb.users):
            await udb.users.order_by("first").limit(1).modify({"first": "Dave"})
            raise RuntimeError("abort")
    assert await udb.users.where("first").equals("Dave").count() == 0
    assert await udb.users.order_by("last").limit(1).modify({"vip": True}) == 1
    assert [u["username"] for u in await udb.users.filter(lambda u: u.get("vip")).to_array()] == [
        "kceder"
    ]


async def test_bulk_update_without_changes(udb):
    """'bulkUpdate without actual changes (check it doesn't bail out)'."""
    n = await udb.users.bulk_update(
        [{"key": "nonexist1", "changes": {"foo.bar": 101}}, {"key": 1, "changes": {}}]
    )
    assert n == 0
    assert await udb.users.get("nonexist1") is None


async def test_bulk_update_with_failure(udb):
    """'bulkUpdate with failure': the others still update (no surrounding transaction)."""
    with pytest.raises(BulkError) as info:
        await udb.users.bulk_update(
            [
                {"key": "nonexisting", "changes": {"username": "xyz"}},  # ignored
                {"key": 1, "changes": {"username": "kceder"}},  # unique index: fails
                {"key": 2, "changes": {"first": "Baz"}},  # succeeds
            ]
        )
    assert list(info.value.failures_by_pos) == [1]
    users = await udb.users.to_array()
    assert [(u["first"], u["username"]) for u in users] == [
        ("David", "dfahlander"),
        ("Baz", "kceder"),
    ]


async def test_bulk_update_with_failure_in_a_transaction(udb):
    """'bulkUpdate with failure (transactional)': uncaught, the transaction aborts."""
    with pytest.raises(BulkError):
        async with udb.transaction("rw", udb.users):
            await udb.users.bulk_update(
                [
                    {"key": 1, "changes": {"username": "kceder"}},
                    {"key": 2, "changes": {"first": "B"}},
                ]
            )
    assert [u["first"] for u in await udb.users.to_array()] == ["David", "Karl"]


async def test_bulk_update_with_failure_caught_in_a_transaction(udb):
    """'bulkUpdate with failure (transactional with catch)': the others commit."""
    async with udb.transaction("rw", udb.users):
        with pytest.raises(BulkError):
            await udb.users.bulk_update(
                [
                    {"key": 1, "changes": {"username": "kceder"}},
                    {"key": 2, "changes": {"first": "B"}},
                ]
            )
    assert [u["first"] for u in await udb.users.to_array()] == ["David", "B"]


@pytest.mark.parametrize("op", ["bulk_add", "bulk_put"])
async def test_bulk_writes_on_outbound_auto_increment(udb, op):
    """'bulkAdd-non-inbound-autoincrement', 'bulkPut-non-inbound-autoincrement'."""
    keys = await getattr(udb.folks, op)(
        [
            {"first": "Foo", "last": "Bar"},
            {"first": "Foo", "last": "Bar2"},
            {"first": "Foo", "last": "Bar3"},
            {"first": "Foo", "last": "Bar4"},
        ],
        all_keys=True,
    )
    assert keys == [1, 2, 3, 4]
    assert await udb.folks.where("first").equals("Foo").count() == 4
    assert await udb.folks.where("last").equals("Bar").count() == 1
    assert await udb.folks.get(3) == {"first": "Foo", "last": "Bar3"}  # no key inside


async def test_bulk_put_with_overlapping_objects(udb):
    """'bulkPut with overlapping objects': the last one wins, whole."""
    await udb.users.bulk_put(
        [{"id": "sdjls83", "first": "Daveious"}, {"id": "sdjls83", "last": "Olvono"}]
    )
    assert await udb.users.get("sdjls83") == {"id": "sdjls83", "last": "Olvono"}


async def test_bulk_put_mixed_inbound_auto_increment(udb):
    """'bulkPut - mixed inbound autoIncrement'."""
    last = await udb.users.bulk_put(
        [
            {"first": "Foo", "last": "Bar"},
            {"first": "Foo", "last": "Bar2"},
            {"first": "Foo", "last": "Bar3"},
            {"first": "Foo", "last": "Bar4"},
        ]
    )
    new_last = await udb.users.bulk_put(
        [
            {"id": last - 3, "first": "Foo2", "last": "BarA"},  # updates "Foo Bar"
            {"first": "Foo2", "last": "BarB"},  # new key
            {"id": last - 1, "first": "Foo2", "last": "BarC"},  # updates "Foo Bar3"
            {"first": "Foo2", "last": "BarD"},  # new key
        ]
    )
    assert new_last == last + 2
    assert await udb.users.where("first").equals("Foo").count() == 2
    foo2 = await udb.users.where("first").equals("Foo2").to_array()
    assert [u["last"] for u in foo2] == ["BarA", "BarC", "BarB", "BarD"]


@pytest.mark.parametrize("op", ["bulk_add", "bulk_put"])
async def test_bulk_failure_inside_a_nested_block_aborts_everything(udb, op):
    """'bulkAdd-catch sub transaction', 'bulkPut-catch sub transaction'."""
    new_users = [
        {"first": "Åke1", "username": "aper1", "email": ["aper1@persbrant.net"]},
        {"first": "Åke2", "username": "aper2", "email": ["aper2@persbrant.net"]},
        {"first": "Åke2", "username": "aper2", "email": ["aper2@persbrant.net"]},  # fails
        {"first": "Åke3", "username": "aper3", "email": ["aper3@persbrant.net"]},
    ]
    with pytest.raises(BulkError) as info:
        async with udb.transaction("rw", udb.users):
            async with udb.transaction("rw", udb.users):
                await getattr(udb.users, op)(new_users)
    assert len(info.value.failures) == 1
    assert await udb.users.where("username").starts_with("aper").count() == 0


async def test_bulk_add_catching_errors(udb):
    """'bulkAdd-catching errors': the failures are listed, the rest is written."""
    with pytest.raises(BulkError) as info:
        await udb.users.bulk_add(
            [
                {"first": "A", "username": "a"},
                {"first": "B", "username": "dfahlander"},
                {"first": "C", "username": "c"},
            ]
        )
    assert list(info.value.failures_by_pos) == [1]
    assert isinstance(info.value.failures[0], ConstraintError)
    assert await udb.users.where("username").any_of("a", "c").count() == 2


async def test_bulk_delete_of_keys_that_do_not_exist(udb):
    """'bulkDelete - nonexisting keys'."""
    await udb.users.bulk_delete(["nonexisting", 1, 99])
    assert [u["username"] for u in await udb.users.to_array()] == ["kceder"]


async def test_bulk_delete_of_a_faulty_key(udb):
    """'bulkDelete-faulty-key'."""
    with pytest.raises(DataError):
        await udb.users.bulk_delete([{"faulty": "ohyes"}])


async def test_delete_in_a_transaction_and_of_a_missing_item(udb):
    """'delete(using transaction)', 'delete nonexisting item'."""
    async with udb.transaction("rw", udb.users):
        await udb.users.delete(1)
        assert await udb.users.count() == 1
        await udb.users.delete("nonexisting")
    assert await udb.users.count() == 1


async def test_falsy_keys(udb):
    """tests-misc.js 'Adding object with falsy keys'."""
    await udb.items.add({"id": 0, "v": "zero"})
    await udb.items.add({"id": "", "v": "empty"})
    await udb.items.add({"id": -1, "v": "minus"})
    assert [i["v"] for i in await udb.items.to_array()] == ["minus", "zero", "empty"]
    assert (await udb.items.get(0))["v"] == "zero"
    assert (await udb.items.get(""))["v"] == "empty"


async def test_any_of_an_empty_list(udb):
    """tests-misc.js '#102 Passing an empty array to anyOf throws exception'."""
    assert await udb.users.where("username").any_of([]).to_array() == []


async def test_unique_keys_on_a_virtual_index(make_db):
    """tests-misc.js 'Issue #1333 - uniqueKeys on virtual index should produce unique
    results'."""
    db = make_db()
    db.version(1).stores({"t": "++id, [name+age]"})
    await db.t.bulk_add([{"name": "A", "age": 1}, {"name": "A", "age": 2}, {"name": "B", "age": 1}])
    assert await db.t.order_by("name").unique_keys() == ["A", "B"]
    assert await db.t.where("name").equals("A").count() == 2


async def test_every_index_is_created(make_db):
    """tests-open.js 'Issue#100 - not all indexes are created'."""
    db = make_db()
    db.version(1).stores({"t": "++id, a, b, c, d, e, f, [a+b], &u, *m"})
    await db.t.add({"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "u": "x", "m": [7, 8]})
    for index, value in [
        ("a", 1),
        ("b", 2),
        ("c", 3),
        ("d", 4),
        ("e", 5),
        ("f", 6),
        ("[a+b]", [1, 2]),
        ("u", "x"),
        ("m", 8),
    ]:
        assert await db.t.where(index).equals(value).count() == 1, index


async def test_the_primary_key_is_unique(udb):
    """tests-open.js '#1842 - Should set the unique flag for primKey to true'."""
    assert udb.users.schema.primary_key.unique
    assert udb.items.schema.primary_key.unique
