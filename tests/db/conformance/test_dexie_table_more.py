"""More counterparts of Dexie's ``test/tests-table.js`` (Table API), and of
``tests-transaction.js`` and ``tests-exception-handling.js`` (at the end).

Each test names the Dexie test it follows. The fixture is Dexie's: the same tables and
the same two users (ids 1 and 2; Karl's last name is "Faadersköld" in this file).
"""

import asyncio

import pytest

from app.db._transaction import current_transaction
from app.db.errors import (
    BulkError,
    ConstraintError,
    DatabaseError,
    DataError,
    ReadOnlyError,
    SubTransactionError,
)

from .conftest import DEXIE_USERS_SCHEMA, unique_name

RUN_IN_BROWSER = True

STORES = {
    "users": DEXIE_USERS_SCHEMA,
    "folks": "++, first, last",
    "items": "id",
    "outbound": "",  # outbound primary keys
    "schema": "",  # Dexie issue #1039: a table named "schema"
}

DAVID = {
    "first": "David",
    "last": "Fahlander",
    "username": "dfahlander",
    "email": ["david@awarica.com", "daw@thridi.com"],
    "pets": ["dog"],
}
KARL = {
    "first": "Karl",
    "last": "Faadersköld",
    "username": "kceder",
    "email": ["karl@ceder.what", "dadda@ceder.what"],
    "pets": [],
}
FIRST_ID, LAST_ID = 1, 2


@pytest.fixture
async def udb(make_db):
    db = make_db(unique_name("dexie-table-more"))
    db.version(1).stores(STORES)
    assert await db.users.add(dict(DAVID)) == FIRST_ID
    assert await db.users.add(dict(KARL)) == LAST_ID
    return db


def _user(n: int | str, prefix: str = "aper", first: str = "Åke") -> dict:
    return {
        "first": f"{first}{n}",
        "last": f"Persbrant{n}",
        "username": f"{prefix}{n}",
        "email": [f"{prefix}{n}@persbrant.net"],
    }


async def test_upsert(udb):
    """'Table.upsert()'."""
    existing_id = await udb.users.add(
        {"first": "Alice", "last": "Smith", "username": "asmith", "email": ["alice@example.com"]}
    )
    changes = {"last": "Johnson", "email.0": "alice.johnson@example.com"}
    assert await udb.users.upsert(existing_id, changes) is True
    updated = await udb.users.get(existing_id)
    assert (updated["first"], updated["last"], updated["username"]) == (
        "Alice",
        "Johnson",
        "asmith",
    )
    assert updated["email"][0] == "alice.johnson@example.com"

    new_id = existing_id + 1000
    changes = {"first": "Bob", "last": "Wilson", "email.0": "bob@example.com"}
    assert await udb.users.upsert(new_id, changes) is False
    new_user = await udb.users.get(new_id)
    assert (new_user["id"], new_user["first"], new_user["last"]) == (new_id, "Bob", "Wilson")
    assert new_user["email"] == {"0": "bob@example.com"}  # Dexie's setByKeyPath: an object
    assert "username" not in new_user

    await udb.outbound.put({"name": "Original Item"}, 100)
    assert await udb.outbound.upsert(100, {"name": "Updated Item", "description": "Added"}) is True
    assert await udb.outbound.get(100) == {"name": "Updated Item", "description": "Added"}
    assert await udb.outbound.upsert(101, {"name": "New Item", "category": "Test"}) is False
    assert await udb.outbound.get(101) == {"name": "New Item", "category": "Test"}  # no "id"

    nested_id = await udb.folks.add(
        {
            "first": "Carol",
            "last": "Davis",
            "address": {"city": "Stockholm", "street": "Kungsgatan"},
        }
    )
    await udb.folks.upsert(nested_id, {"address.postalCode": "11122", "address.country": "Sweden"})
    assert (await udb.folks.get(nested_id))["address"] == {
        "city": "Stockholm",
        "street": "Kungsgatan",
        "postalCode": "11122",
        "country": "Sweden",
    }
    new_nested_id = await udb.folks.count() + 1000
    await udb.folks.upsert(
        new_nested_id,
        {"first": "David", "address.city": "Göteborg", "address.street": "Avenyn"},
    )
    assert await udb.folks.get(new_nested_id) == {
        "first": "David",
        "address": {"city": "Göteborg", "street": "Avenyn"},
    }


async def test_put_with_a_dotted_property_name(udb):
    """ "Issue #966 - put() with dotted field in update hook" (the put, without the hook):
    a dotted property name is stored as it is, not as a path."""
    key = await udb.folks.add({"first": "first", "last": "last"})
    await udb.folks.put({"first": "first", "last": "last", "nested.field": "value"}, key)
    obj = await udb.folks.get(key)
    assert obj["nested.field"] == "value"
    assert "nested" not in obj


async def test_get(udb):
    """'get'."""
    assert (await udb.table("users").get(FIRST_ID))["first"] == "David"
    assert (await udb.users.get(LAST_ID))["first"] == "Karl"
    assert await udb.users.get("nonexisting key") is None


async def test_where(udb):
    """'where'."""
    u = udb.users
    async with udb.transaction("r", u):
        assert (await u.where("username").equals("kceder").first())["first"] == "Karl"
        assert len(await u.where("id").above(FIRST_ID).to_array()) == 1
        assert len(await u.where("id").above_or_equal(FIRST_ID).to_array()) == 2
        assert await u.where("id").below(LAST_ID).count() == 1
        assert await u.where("id").below(FIRST_ID).count() == 0
        assert await u.where("id").below_or_equal(FIRST_ID).count() == 1
        assert await u.where("id").between(FIRST_ID, FIRST_ID).count() == 0
        assert await u.where("id").between(0, float("inf")).count() == 2
        assert await u.where("id").between(FIRST_ID, FIRST_ID, True, True).count() == 1
        assert await u.where("id").between(1, -1, True, True).count() == 0
        assert await u.where("id").between(FIRST_ID, LAST_ID).count() == 1
        assert await u.where("id").between(FIRST_ID, LAST_ID, True, True).count() == 2
        assert await u.where("id").between(FIRST_ID, LAST_ID, False, False).count() == 0
        assert [x["first"] for x in await u.where("last").starts_with("Fah").to_array()] == [
            "David"
        ]
        assert [x["first"] for x in await u.where("last").starts_with("Faa").to_array()] == ["Karl"]
        assert [x["first"] for x in await u.where("last").starts_with("Fa").to_array()] == [
            "Karl",
            "David",
        ]
        found = await u.where("last").any_of("Fahlander", "Faadersköld").to_array()
        assert [x["last"] for x in found] == ["Faadersköld", "Fahlander"]
        found = await u.where("last").any_of("Fahlander", "Faadersköld").reverse().to_array()
        assert [x["last"] for x in found] == ["Fahlander", "Faadersköld"]
        assert len(await u.where("last").any_of("Faadersköld").to_array()) == 1
        assert len(await u.where("email").equals("david@awarica.com").to_array()) == 1
        assert len(await u.where("email").starts_with("da").distinct().to_array()) == 2


async def test_count(udb):
    """'count'."""
    assert await udb.users.count() == 2


async def test_limit_order_by_reverse_modify(udb):
    """'limit(),orderBy(),modify(), abort(), reverse()': modify the first of a reversed
    order, inside a transaction."""
    async with udb.transaction("rw", udb.users):

        def hello(user: dict) -> None:
            user["helloMessage"] = "Hello " + user["first"]

        await udb.users.order_by("first").reverse().limit(1).modify(hello)
        a = await udb.users.order_by("first").reverse().to_array()
        assert a[0]["first"] == "Karl"
        assert a[0]["helloMessage"] == "Hello Karl"
        assert a[1]["first"] == "David"
        assert "helloMessage" not in a[1]


async def test_filter(udb):
    """'filter'."""
    davids = await udb.users.filter(lambda u: "david@awarica.com" in u["email"]).to_array()
    assert [d["first"] for d in davids] == ["David"]


async def test_each(udb):
    """'each'."""
    users: list[dict] = []
    await udb.users.each(users.append)
    assert [u["first"] for u in users] == ["David", "Karl"]


def _ake() -> dict:
    """The user Dexie's 'put' and 'add' tests store (a fresh dict: the store adds its id)."""
    return {
        "first": "Åke",
        "last": "Persbrant",
        "username": "aper",
        "email": ["aper@persbrant.net"],
    }


@pytest.mark.parametrize("in_transaction", [True, False], ids=["put", "put-no-transaction"])
async def test_put(udb, in_transaction):
    """'put', 'put-no-transaction'."""

    async def body() -> None:
        new_user = _ake()
        key = await udb.users.put(new_user)
        assert key > LAST_ID
        assert new_user["id"] == key
        user = await udb.users.where("username").equals("aper").first()
        assert user["last"] == "Persbrant"
        user["last"] = "ChangedLastName"
        assert await udb.users.put(user) == user["id"]
        changed = await udb.users.where("last").equals("ChangedLastName").first()
        assert changed["last"] == "ChangedLastName"

    if in_transaction:
        async with udb.transaction("rw", udb.users):
            await body()
    else:
        await body()


async def test_bulk_update(udb):
    """'bulkUpdate'."""
    await udb.items.bulk_add(
        [{"id": 1, "foo": {"bar": 1}}, {"id": 2, "foo": {"bar": 2}}, {"id": 3, "foo": {"bar": 3}}]
    )
    await udb.items.bulk_update(
        [
            {"key": 1, "changes": {"foo.bar": 101}},
            {"key": 2, "changes": {"foo.bar": 102, "foo.baz": "x"}},
            {"key": 4, "changes": {"foo.bar": 104}},
        ]
    )
    assert await udb.items.to_array() == [
        {"id": 1, "foo": {"bar": 101}},
        {"id": 2, "foo": {"bar": 102, "baz": "x"}},
        {"id": 3, "foo": {"bar": 3}},
    ]


async def test_add(udb):
    """'add'."""
    async with udb.transaction("rw", udb.users):
        new_user = _ake()
        key = await udb.users.add(new_user)
        assert key > LAST_ID
        assert new_user["id"] == key
        assert (await udb.users.where("username").equals("aper").first())["last"] == "Persbrant"


async def test_bulk_add(udb):
    """'bulkAdd'."""
    highest = await udb.users.add({"username": "fsdkljfd", "email": ["fjkljslk"]})
    await udb.users.delete(highest)
    result = await udb.users.bulk_add([_user(1), _user(2)])
    assert result == highest + 2


async def test_bulk_add_all_results(make_db):
    """'bulkAdd-all-results'."""
    db = make_db()
    db.version(1).stores({"dudes": "++, first, last"})
    dude = {"username": "fsdkljfd", "email": "fjkljslk", "find": "bulkAddAll"}
    two = [{"first": "Åke1", "last": "Persbrant1"}, {"first": "Åke2", "last": "Persbrant2"}]
    highest = await db.dudes.add(dict(dude))
    assert await db.dudes.bulk_add([dict(x) for x in two], all_keys=True) == [
        highest + 1,
        highest + 2,
    ]
    highest = await db.dudes.add(dict(dude))
    assert await db.dudes.bulk_add([dict(x) for x in two], None, all_keys=True) == [
        highest + 1,
        highest + 2,
    ]
    keys = ["sd5fs2df", "dasfsd3fs7df"]
    assert await db.dudes.bulk_add([dict(x) for x in two], keys, all_keys=True) == keys
    highest = await db.dudes.add(dict(dude))
    assert await db.dudes.bulk_add([dict(x) for x in two], all_keys=False) == highest + 2
    keys = ["cv4btr45fbrt", "b33vn3fytn"]
    assert await db.dudes.bulk_add([dict(x) for x in two], keys, all_keys=False) == "b33vn3fytn"
    assert await db.dudes.bulk_add([dict(x) for x in two], ["dfgd2vdfh4d", "ty1jxdbd9"]) == (
        "ty1jxdbd9"
    )


async def test_bulk_put(udb):
    """'bulkPut'."""
    highest = await udb.users.add({"username": "fsdkljfd", "email": ["fjkljslk"]})
    await udb.users.delete(highest)
    assert (await udb.users.get(FIRST_ID))["username"] == "dfahlander"
    result = await udb.users.bulk_put([_user(1), {"id": FIRST_ID, **_user(2)}, _user(3)])
    assert result == highest + 2
    assert len(await udb.users.where("username").starts_with("aper").to_array()) == 3
    assert (await udb.users.get(FIRST_ID))["username"] == "aper2"


async def test_bulk_put_all_results(make_db):
    """'bulkPut-all-results'."""
    db = make_db()
    db.version(1).stores(
        {
            "users": "++id, first, last, find",
            "mates": "++id, first, last, find",
            "dudes": "++, first, last, find",
        }
    )
    for table in (db.users, db.mates):
        highest = await table.add({"first": "fsdkljfd", "last": "fjkljslk", "find": "bulkPutAll"})
        keys = await table.bulk_put(
            [
                {"first": "Åke1", "last": "Persbrant1", "find": "bulkPutAll"},
                {"id": highest, "first": "Åke2", "last": "Persbrant2", "find": "bulkPutAll"},
                {"first": "Åke3", "last": "Persbrant3", "find": "bulkPutAll"},
            ],
            None,
            all_keys=True,
        )
        assert keys == [highest + 1, highest, highest + 2]
        assert len(await table.where("find").starts_with("bulkPutAll").to_array()) == 3
        assert (await table.get(highest))["last"] == "Persbrant2"
    highest = await db.dudes.add({"first": "fsdkljfd", "last": "fjkljslk", "find": "bulkPutAll"})
    keys = await db.dudes.bulk_put(
        [
            {"first": "Åke1", "last": "Persbrant1", "find": "bulkPutAll"},
            {"id": highest, "first": "Åke2", "last": "Persbrant2", "find": "bulkPutAll"},
            {"first": "Åke3", "last": "Persbrant3", "find": "bulkPutAll"},
        ],
        ["sd5fs2df", highest, "dasfsd3fs7df"],
        all_keys=True,
    )
    assert keys == ["sd5fs2df", highest, "dasfsd3fs7df"]
    assert len(await db.dudes.where("find").starts_with("bulkPutAll").to_array()) == 3
    assert (await db.dudes.get(highest))["last"] == "Persbrant2"
    two = [{"first": "Åke1", "last": "Persbrant1"}, {"first": "Åke2", "last": "Persbrant2"}]
    highest = await db.dudes.add({"username": "fsdkljfd", "email": "fjkljslk", "find": "x"})
    assert await db.dudes.bulk_add([dict(x) for x in two], all_keys=False) == highest + 2
    keys = ["cv4btr45fbrt", "b33vn3fytn"]
    assert await db.dudes.bulk_add([dict(x) for x in two], keys, all_keys=False) == "b33vn3fytn"
    assert await db.dudes.bulk_add([dict(x) for x in two], ["dfgd2vdfh4d", "ty1jxdbd9"]) == (
        "ty1jxdbd9"
    )


async def test_bulk_put_catching_errors(udb):
    """'bulkPut-catching errors': caught inside a transaction, the rest commits; not
    caught (or re-raised), nothing does; outside a transaction, the rest is written."""
    async with udb.transaction("rw", udb.users):
        with pytest.raises(BulkError) as info:
            await udb.users.bulk_put(
                [
                    _user(1),
                    {"id": LAST_ID, **_user(2)},  # update: succeeds
                    {"id": FIRST_ID, **_user(2)},  # update: fails (username taken)
                    _user(2),  # add: fails
                    _user(3),
                ]
            )
        assert len(info.value.failures) == 2
        assert await udb.users.where("username").starts_with("aper").count() == 3
    assert await udb.users.where("username").starts_with("aper").count() == 3

    x_users = [
        _user(1, "xper", "Xke"),
        {"id": LAST_ID, **_user(2, "xper", "Xke")},
        _user(2, "xper", "Xke"),  # fails (add)
        {"id": FIRST_ID, **_user(2, "xper", "Xke")},  # fails (update)
        _user(3, "xper", "Xke"),
    ]
    with pytest.raises(BulkError):
        async with udb.transaction("rw", udb.users):
            await udb.users.bulk_put([dict(u) for u in x_users])
    assert await udb.users.where("username").starts_with("xper").count() == 0
    with pytest.raises(BulkError):
        await udb.users.bulk_put([dict(u) for u in x_users])
    assert await udb.users.where("username").starts_with("xper").count() == 3

    with pytest.raises(BulkError):
        await udb.users.bulk_put(
            [
                _user(1, "yper", "Yke"),
                _user(2, "yper", "Yke"),
                {"id": FIRST_ID, **_user(2, "yper", "Yke")},  # fails
                _user(2, "yper", "Yke"),  # fails
                _user(3, "yper", "Yke"),
            ]
        )
    assert await udb.users.where("username").starts_with("yper").count() == 3

    with pytest.raises(BulkError):
        async with udb.transaction("rw", udb.users):
            try:
                await udb.users.bulk_put(
                    [
                        _user(1, "zper", "Zke"),
                        _user(2, "zper", "Zke"),
                        _user(2, "zper", "Zke"),  # fails
                        {"id": LAST_ID, **_user(2, "zper", "Zke")},  # fails
                        _user(3, "zper", "Zke"),
                    ]
                )
            except BulkError:
                raise
    assert await udb.users.where("username").starts_with("zper").count() == 0


async def test_bulk_delete(udb):
    """'bulkDelete'."""
    keys = await udb.users.order_by("id").keys()
    assert keys == [FIRST_ID, LAST_ID]
    await udb.users.bulk_delete(keys)
    assert await udb.users.count() == 0


async def test_delete(udb):
    """'delete'."""
    assert await udb.users.get(FIRST_ID) is not None
    await udb.users.delete(1)
    assert await udb.users.get(1) is None


async def test_clear(udb):
    """'clear'."""
    async with udb.transaction("rw", "users"):
        assert await udb.users.count() == 2
        await udb.users.clear()
        assert await udb.users.count() == 0
    assert await udb.users.count() == 0


async def test_fail_read_only(udb):
    """'failReadonly'."""
    with pytest.raises(ReadOnlyError):
        async with udb.transaction("r", "users"):
            await udb.users.bulk_add([{"first": "Foo", "last": "Bar"}])
    assert await udb.users.count() == 2


async def test_bulk_get(udb):
    """'bulkGet()'."""
    data = [{"id": i, "first": f"Foo{i}", "last": f"Bar{i}"} for i in range(400)]
    await udb.users.bulk_put([dict(d) for d in data])
    assert await udb.users.bulk_get([d["id"] for d in data]) == data
    u1, u2, u3, u4 = await udb.users.bulk_get(["x", "y", 100, "z"])
    assert (u1, u2, u4) == (None, None, None)
    assert u3["first"] == "Foo100"


async def test_bulk_error_by_position(udb):
    """'bulkError by pos'."""
    with pytest.raises(BulkError) as info:
        await udb.users.bulk_add(
            [
                {"first": "foo1", "last": "bar1", "username": "foobar"},
                {"first": "foo2", "last": "bar2", "username": "foobar"},  # unique index
                {"first": "foo3", "last": "bar3", "username": "foobar3"},
            ]
        )
    err = info.value
    assert len(err.failures) == 1
    assert isinstance(err.failures[0], ConstraintError)
    assert list(err.failures_by_pos) == [1]
    assert 0 not in err.failures_by_pos


# ---------------------------------------------------------------- tests-transaction.js


@pytest.fixture
async def tdb(make_db):
    """Dexie's tests-transaction.js database."""
    db = make_db(unique_name("dexie-trans-more"))
    db.version(1).stores(
        {"users": "username", "pets": "++id, kind", "petsPerUser": "++, user, pet"}
    )
    await db.open()
    return db


async def test_db_transaction(tdb):
    """tests-transaction.js 'db.transaction()'."""
    async with tdb.transaction("rw", tdb.users):
        await tdb.users.add({"username": "arne"})
        assert (await tdb.users.get("arne"))["username"] == "arne"
        assert current_transaction.get() is not None
    assert current_transaction.get() is None


async def test_table_not_in_transaction(tdb):
    """tests-transaction.js 'Table not in transaction', 'Table not in transaction 2'
    (Dexie raises NotFoundError, app.db InvalidTableError): the transaction fails."""
    await tdb.pets.add({"kind": "dog"})
    with pytest.raises(DatabaseError):
        async with tdb.transaction("rw", tdb.users):
            await tdb.users.add({"username": "arne"})
            await tdb.pets.get(1)
    assert await tdb.users.count() == 0
    with pytest.raises(DatabaseError):
        async with tdb.transaction("rw", tdb.users):
            await tdb.pets.add({"kind": "dog"})
    assert await tdb.pets.count() == 1


async def test_write_into_a_read_only_transaction(tdb):
    """tests-transaction.js 'Write into readonly transaction'."""
    with pytest.raises(ReadOnlyError):
        async with tdb.transaction("r", tdb.users):
            await tdb.users.add({"username": "arne"})
    assert await tdb.users.count() == 0


async def test_sub_transactions(tdb):
    """tests-transaction.js 'sub-transactions'."""
    db = tdb

    async def add_user(user: dict, pets: list[dict]) -> str:
        async with db.transaction("rw", db.users, db.pets, db.petsPerUser):
            await db.users.add(user)
            for pet in pets:
                pet_id = await db.pets.add(pet)
                await db.petsPerUser.add({"user": user["username"], "pet": pet_id})
        async with db.transaction("rw", db.users):
            await db.users.add({"username": user["username"] + "2"})
            return "hello..."

    async with db.transaction("rw", db.users, db.pets, db.petsPerUser):
        await add_user({"username": "user1"}, [{"kind": "dog"}, {"kind": "cat"}])
        assert await db.users.get("someoneelse") is None
        await db.users.add({"username": "someoneelse"})
        assert (await db.users.get("someoneelse"))["username"] == "someoneelse"
        retval = await add_user({"username": "user2"}, [{"kind": "giraff"}])
    assert retval == "hello..."
    assert current_transaction.get() is None
    assert await db.users.count() == 5
    assert await db.pets.count() == 3
    assert await db.petsPerUser.count() == 3

    inner_failed = False
    with pytest.raises(ConstraintError):  # limited rollback of nested transactions
        async with db.transaction("rw", db.users):
            await db.users.add({"username": "sune"})
            try:
                async with db.transaction("rw", db.users):
                    await db.users.add({"username": "sune"})
            except ConstraintError:
                inner_failed = True
    assert inner_failed
    assert await db.users.get("sune") is None


async def test_table_not_in_the_main_transaction(tdb):
    """tests-transaction.js 'Table not in main transactions'."""
    with pytest.raises(SubTransactionError):
        async with tdb.transaction("rw", tdb.users):
            await tdb.users.add({"username": "bertil"})
            async with tdb.transaction("rw", tdb.users, tdb.pets):
                await tdb.pets.add({"kind": "cat"})
    assert await tdb.users.count() == 0
    assert await tdb.pets.count() == 0


# ---------------------------------------------------------------- tests-exception-handling.js


@pytest.fixture
async def edb(make_db):
    """Dexie's tests-exception-handling.js database."""
    db = make_db(unique_name("dexie-exc-more"))
    db.version(1).stores({"users": "id, first, last, &username, &*email, *pets"})
    await db.users.bulk_add(
        [
            {**DAVID, "id": 1},
            {**KARL, "id": 2, "last": "Cedersköld", "email": ["karl@ceder.what"]},
        ]
    )
    return db


async def test_transaction_aborts_on_a_collection_error(edb):
    """tests-exception-handling.js 'transaction should abort on collection error'
    (awaited, then both calls started together)."""
    foo = {"id": 3, "first": "Foo", "last": "Bar", "username": "foobar"}
    with pytest.raises(DataError):
        async with edb.transaction("rw", edb.users):
            assert await edb.users.add(dict(foo)) == 3
            await edb.users.where("id").equals(None).to_array()
            pytest.fail("must not come here")
    assert await edb.users.where("first").equals("Foo").count() == 0
    with pytest.raises(DataError):
        async with edb.transaction("rw", edb.users):
            await asyncio.gather(
                edb.users.add(dict(foo)), edb.users.where("id").equals(None).to_array()
            )
    assert await edb.users.where("first").equals("Foo").count() == 0


async def test_request_error_not_caught_fails_the_transaction(edb):
    """tests-exception-handling.js 'eventError-transaction-catch'."""
    with pytest.raises(ConstraintError):
        async with edb.transaction("rw", edb.users):
            await edb.users.add({"id": 100, "username": "dfahlander"})
    assert await edb.users.count() == 2


async def test_request_error_caught_lets_the_transaction_go_on(edb):
    """tests-exception-handling.js 'eventError-request-catch'."""
    async with edb.transaction("rw", edb.users):
        with pytest.raises(ConstraintError):
            await edb.users.add({"id": 100, "username": "dfahlander"})
        trazan = {
            "id": 101,
            "first": "Trazan",
            "last": "Apansson",
            "username": "tapan",
            "email": ["trazan@apansson.barnarne"],
            "pets": ["monkey"],
        }
        assert await edb.users.add(trazan) > 2
    assert await edb.users.get(100) is None
    assert (await edb.users.get(101))["first"] == "Trazan"


async def test_exception_thrown_in_the_block(edb):
    """tests-exception-handling.js 'exceptionThrown-transaction-catch',
    'exceptionThrown-request-catch': the block's own error comes out as it is."""
    with pytest.raises(SyntaxError):
        async with edb.transaction("r", edb.users):
            raise SyntaxError("Why not throw an exception for a change?")
    with pytest.raises(KeyError):
        async with edb.transaction("r", edb.users):
            await edb.users.where("username").equals("apa").to_array()
            await edb.users.where("username").equals("kceder").to_array()
            _ = {}["NonExistingSymbol"]


async def test_where_clause_methods_fail_when_run_not_when_built(edb):
    """tests-exception-handling.js 'Issue #67 - Exception can be thrown in WhereClause
    methods' (undefined is None here)."""
    where = edb.users.where
    collections = [
        where("first").equals(False),
        where("first").above(None),
        where("first").above_or_equal(None),
        where("first").below(None),
        where("first").below_or_equal(None),
        where("first").any_of([None, None, False]),
        where("first").between(False, True),
        where("first").equals_ignore_case(None),
        where("first").starts_with(None),
        where("first").starts_with_ignore_case(None),
    ]
    for coll in collections:
        with pytest.raises(DataError):
            await coll.to_array()


@pytest.mark.parametrize("bad", [None, False], ids=["undefined", "other"])
async def test_error_in_a_key_fails_the_transaction(edb, bad):
    """tests-exception-handling.js 'Issue #67 - Regression test - Transaction still fails
    if error in key', '... Regression test 2 - other error in key'."""
    with pytest.raises(DataError):
        async with edb.transaction("rw", edb.users):
            assert await edb.users.where("first").above("").delete() == 2
            await edb.users.where("first").above(bad).delete()
    assert await edb.users.count() == 2


# ---------------------------------------------------------------- tests-misc.js


@pytest.fixture
async def mdb(make_db):
    """Dexie's tests-misc.js database."""
    db = make_db(unique_name("dexie-misc-more"))
    db.version(1).stores(
        {
            "users": "id, first, last, &username, *&email, *pets",
            "keyless": ", name",
            "foo": "id",
            "bars": "++id, text",
            "metrics": "id, [name+time]",
        }
    )
    await db.open()
    return db


async def test_failing_calls_raise(mdb):
    """tests-misc.js 'issue#729': each failing call raises (and nothing else happens)."""
    await mdb.foo.bulk_put([{"id": 1, "foo": "foo"}, {"id": 2, "foo": "bar"}])
    with pytest.raises(ConstraintError):
        await mdb.foo.add({"id": 1, "foo": "bar"})
    with pytest.raises(DataError):
        await mdb.foo.get(False)
    with pytest.raises(BulkError):  # moving the primary key onto an existing one
        await mdb.foo.where({"id": 1}).modify({"id": 2, "foo": "bar"})
    assert await mdb.foo.to_array() == [{"id": 1, "foo": "foo"}, {"id": 2, "foo": "bar"}]


async def test_falsy_keys_on_an_outbound_table(mdb):
    """tests-misc.js 'Adding object with falsy keys' (Dexie's outbound table, add and
    put with an explicit key)."""
    assert await mdb.keyless.add({"name": "foo"}, 1) == 1
    assert await mdb.keyless.add({"name": "bar"}, 0) == 0
    assert await mdb.keyless.add({"name": "foobar"}, "") == ""
    assert await mdb.keyless.put({"name": "bar2"}, 0) == 0
    assert await mdb.keyless.put({"name": "foobar2"}, "") == ""
    assert await mdb.keyless.to_array() == [
        {"name": "bar2"},
        {"name": "foo"},
        {"name": "foobar2"},
    ]


async def test_auto_increment_with_a_none_id(mdb):
    """tests-misc.js 'Issue #1112' (an object whose ``id`` is there but undefined: None)."""

    def bar(text: str) -> dict:
        return {"id": None, "text": text}

    id1 = await mdb.bars.add(bar("hello1"))
    id2 = await mdb.bars.put(bar("hello2"))
    id3 = await mdb.bars.bulk_add([bar("hello3")])
    id4 = await mdb.bars.bulk_put([bar("hello4")])
    assert all(isinstance(k, int) for k in (id1, id2, id3, id4))
    bar3 = await mdb.bars.get(id3)
    assert bar3["text"] == "hello3"
    bar3["text"] = "hello3 modified"
    await mdb.bars.put(bar3)
    assert (await mdb.bars.get(id3))["text"] == "hello3 modified"


async def test_adding_a_function_fails(mdb):
    """tests-misc.js "Issue #1280 - Don't perform deep-clone workaround when adding
    non-POJO to auto-incrementing table": a function cannot be stored (DataCloneError,
    a DataError here), and nothing is written."""
    with pytest.raises(DataError):
        await mdb.bars.add({"text": "hello1", "fooProp": lambda: None})
    with pytest.raises(DataError):
        await mdb.bars.bulk_put([{"text": "hello2"}, {"text": "hello3", "fooProp": print}])
    assert await mdb.bars.count() == 0
