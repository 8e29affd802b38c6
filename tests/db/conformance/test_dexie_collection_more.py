"""More counterparts of Dexie's ``test/tests-collection.js`` (Collection API).

Each test names the Dexie test it follows. The fixture is Dexie's: a ``users`` table with
``id, first, last, [foo+bar], &username, *&email, *pets, parentPath`` and two users
(David with two emails, Karl "Cedersköld" with one).
"""

import asyncio
import datetime as dt

import pytest

from app.db.errors import BulkError

from .conftest import unique_name

RUN_IN_BROWSER = True

DAVID = {
    "id": 1,
    "first": "David",
    "last": "Fahlander",
    "username": "dfahlander",
    "email": ["david@awarica.com", "daw@thridi.com"],
    "pets": ["dog"],
}
KARL = {
    "id": 2,
    "first": "Karl",
    "last": "Cedersköld",
    "username": "kceder",
    "email": ["karl@ceder.what"],
    "pets": [],
}


@pytest.fixture
async def udb(make_db):
    db = make_db(unique_name("dexie-collection-more"))
    db.version(1).stores(
        {"users": "id, first, last, [foo+bar], &username, *&email, *pets, parentPath"}
    )
    await db.users.bulk_add([dict(DAVID), dict(KARL)])
    return db


def _firsts(users: list[dict]) -> list[str]:
    return [u["first"] for u in users]


async def test_and_with_keys(udb):
    """'and with keys'."""
    keys = (
        await udb.users.where("last")
        .in_any_range([["a", "g"], ["A", "G"]])
        .and_(lambda u: u["username"] == "dfahlander")
        .keys()
    )
    assert keys == ["Fahlander"]


async def test_and_with_delete(udb):
    """'and with delete': the filter sees each user; a filter that returns nothing
    deletes nothing."""
    seen: list[dict] = []
    assert await udb.users.order_by("username").and_(seen.append).delete() == 0
    assert _firsts(seen) == ["David", "Karl"]
    assert await udb.users.count() == 2


async def test_each(udb):
    """'each'."""
    users: list[dict] = []
    await udb.users.order_by("id").each(users.append)
    assert _firsts(users) == ["David", "Karl"]


async def test_to_array(udb):
    """'toArray'."""
    assert _firsts(await udb.users.order_by("last").to_array()) == ["Karl", "David"]


async def test_limit(udb):
    """'limit' (a negative limit gives nothing)."""
    async with udb.transaction("r", udb.users):
        assert _firsts(await udb.users.order_by("last").limit(1).to_array()) == ["Karl"]
        assert len(await udb.users.order_by("last").limit(10).to_array()) == 2
        assert await udb.users.order_by("last").limit(0).to_array() == []
        assert await udb.users.order_by("last").limit(-1).to_array() == []
        assert await udb.users.order_by("id").limit(-1).to_array() == []


async def test_first_and_last(udb):
    """'first', 'last'."""
    assert (await udb.users.order_by("last").first())["first"] == "Karl"
    assert (await udb.users.order_by("last").last())["first"] == "David"


async def test_and(udb):
    """'and'."""
    async with udb.transaction("r", udb.users):
        none = (
            await udb.users.where("first")
            .equals_ignore_case("david")
            .and_(lambda u: "apa" in u["email"])
            .first()
        )
        assert none is None
        david = (
            await udb.users.where("first")
            .equals_ignore_case("david")
            .and_(lambda u: "daw@thridi.com" in u["email"])
            .first()
        )
        assert david["first"] == "David"


async def test_reverse(udb):
    """'reverse'."""
    async with udb.transaction("r", udb.users):
        assert (await udb.users.order_by("first").reverse().first())["first"] == "Karl"


async def test_modify_using_function(udb):
    """'modify-using-function'."""
    now = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)

    def change(user: dict) -> None:
        user["fullName"] = user["first"] + " " + user["last"]
        user["lastUpdated"] = now

    async with udb.transaction("rw", udb.users):
        await udb.users.to_collection().modify(change)
        a = await udb.users.to_array()
    assert len(a) == 2
    assert a[0]["first"] == "David"
    assert a[0]["fullName"] == "David Fahlander"
    assert [u["lastUpdated"] for u in a] == [now, now]


async def test_modify_causing_error(udb):
    """'modify-causing-error': setting every primary key to 1 fails for the second user
    (Dexie's ModifyError is app.db's BulkError) and the transaction is aborted."""

    def change(user: dict) -> None:
        user["id"] = 1
        user["fullName"] = user["first"] + " " + user["last"]

    with pytest.raises(BulkError) as info:
        async with udb.transaction("rw", udb.users):
            await udb.users.to_collection().modify(change)
            await udb.users.to_array()
            pytest.fail("must not come here")
    assert len(info.value.failures) == 1
    assert [u.get("fullName") for u in await udb.users.to_array()] == [None, None]


async def test_modify_primary_key(udb):
    """'modify-primary-key'."""
    await udb.users.add({"id": 87, "first": "Olle"})

    def move(user: dict) -> None:
        user["id"] = 88

    assert await udb.users.where({"id": 87}).modify(move)
    assert (await udb.users.get(88))["first"] == "Olle"


async def test_modify_with_where(udb):
    """'modify-with-where(issue-594)'."""
    await udb.users.add(
        {
            "id": 3,
            "first": "David",
            "last": "Fahlander2",
            "username": "dfahlander2",
            "email": ["david2@awarica.com"],
            "pets": [],
        }
    )
    await udb.users.add(
        {
            "id": 4,
            "first": "David",
            "last": "Fahlander3",
            "username": "dfahlander3",
            "email": ["david3@awarica.com"],
            "pets": [],
        }
    )
    assert len(await udb.users.where("first").equals("David").to_array()) == 3

    def mark(obj: dict) -> None:
        obj["anotherProperty"] = "test"

    assert await udb.users.where("first").equals("David").modify(mark) == 3
    davids = await udb.users.where({"first": "David"}).to_array()
    assert [d["anotherProperty"] for d in davids] == ["test"] * 3


async def test_delete(udb):
    """'delete'."""
    assert await udb.users.order_by("id").delete() == 2
    assert await udb.users.count() == 0


async def test_delete_ignoring_case(udb):
    """'delete(2)'."""
    async with udb.transaction("rw", udb.users):
        await udb.users.add({"id": 3, "first": "dAvid", "last": "Helenius", "username": "dahel"})
        assert await udb.users.where("first").equals_ignore_case("david").delete() == 2
        assert _firsts(await udb.users.to_array()) == ["Karl"]


async def test_keys(udb):
    """'keys'."""
    assert await udb.users.order_by("first").keys() == ["David", "Karl"]


async def test_unique_keys(udb):
    """'uniqueKeys'."""
    async with udb.transaction("rw", udb.users):
        await udb.users.add({"id": 3, "first": "David", "last": "Helenius", "username": "dahel"})
        assert await udb.users.order_by("first").keys() == ["David", "David", "Karl"]
        assert await udb.users.order_by("first").unique_keys() == ["David", "Karl"]


async def test_primary_keys(udb):
    """'primaryKeys', 'primaryKeys2'."""
    assert await udb.users.order_by("last").primary_keys() == [2, 1]
    assert await udb.users.order_by("first").primary_keys() == [1, 2]


async def test_or(udb):
    """'or'."""
    async with udb.transaction("rw", udb.users):
        await udb.users.add({"id": 3, "first": "Apan", "last": "Japan", "username": "apanjapan"})
        a = (
            await udb.users.where("first")
            .equals_ignore_case("david")
            .or_("last")
            .equals("Japan")
            .sort_by("first")
        )
        assert _firsts(a) == ["Apan", "David"]
        a = (
            await udb.users.where("first")
            .equals_ignore_case("david")
            .or_("last")
            .equals("Japan")
            .or_("id")
            .equals(2)
            .sort_by("id")
        )
        assert _firsts(a) == ["David", "Karl", "Apan"]
        found: list[dict] = []
        await (
            udb.users.where("id")
            .any_of(1, 2, 3, 4)
            .or_("username")
            .any_of("dfahlander", "kceder", "apanjapan")
            .each(found.append)
        )
        assert sorted(_firsts(found)) == ["Apan", "David", "Karl"]


async def test_until(udb):
    """'until'."""
    async with udb.transaction("rw", udb.users):
        await udb.users.add({"id": 3, "first": "Apa1", "username": "apa1"})
        await udb.users.add({"id": 4, "first": "Apa2", "username": "apa2"})
        await udb.users.add({"id": 5, "first": "Apa3", "username": "apa3"})

        def is_david(u: dict) -> bool:
            return u["first"] == "David"

        assert await udb.users.order_by(":id").until(is_david).to_array() == []
        a = await udb.users.order_by(":id").until(is_david, True).to_array()
        assert _firsts(a) == ["David"]
        a = await udb.users.order_by("first").until(is_david).to_array()
        assert [u["username"] for u in a] == ["apa1", "apa2", "apa3"]
        a = (
            await udb.users.order_by("first")
            .reverse()
            .until(lambda u: u["username"] == "apa2")
            .to_array()
        )
        assert _firsts(a) == ["Karl", "David", "Apa3"]


async def test_queries_from_within_each(udb):
    """'Promise chain from within each() operation': each() awaiting further queries of
    the same transaction."""
    checked: list[int] = []
    async with udb.transaction("r", udb.users):

        async def check(user: dict) -> None:
            usr = await udb.users.where("id").equals(user["id"]).first()
            u2 = await udb.users.where("id").equals(usr["id"]).first()
            assert u2["id"] == user["id"]
            checked.append(u2["id"])

        await udb.users.each(check)
    assert checked == [1, 2]


async def test_many_modifies_started_together_in_one_transaction(make_db):
    """tests-misc.js '#360 DB unresponsive after multiple Table.update() or
    Collection.modify()': 2000 modifies started at once in one transaction each see
    the previous one's write (Dexie locks the transaction for each), none is lost."""
    db = make_db(unique_name("dexie-360"))
    db.version(1).stores({"foo": "id"})
    await db.open()

    def bump(item):
        item["value"] += 1

    async with db.transaction("rw", db.foo):
        await db.foo.put({"id": 1, "value": 0})
        await asyncio.gather(*(db.foo.where("id").equals(1).modify(bump) for _ in range(2000)))
        result = await db.foo.get(1)
    assert result["value"] == 2000


async def test_updates_and_deletes_started_together_keep_every_change(make_db):
    """The same lock for Table.update (a modify) and Collection.delete: concurrent
    updates of one record and a delete started between them apply in order."""
    db = make_db(unique_name("dexie-360b"))
    db.version(1).stores({"foo": "id"})
    await db.open()
    await db.foo.bulk_put([{"id": i, "value": 0} for i in range(1, 4)])

    async def bump(key):
        return await db.foo.update(key, lambda item: item.update(value=item["value"] + 1))

    async with db.transaction("rw", db.foo):
        counts = await asyncio.gather(
            *(bump(1) for _ in range(50)),
            db.foo.where("id").equals(3).delete(),
            *(bump(2) for _ in range(50)),
        )
    assert counts == [1] * 50 + [1] + [1] * 50
    assert await db.foo.to_array() == [{"id": 1, "value": 50}, {"id": 2, "value": 50}]
