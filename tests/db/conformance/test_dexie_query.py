"""Counterparts of Dexie's ``test/tests-collection.js``, ``tests-whereclause.js``,
``tests-binarykeys.js`` and ``tests-cmp.js`` (queries and keys).

Each test names the Dexie test it follows.
"""

import datetime as dt

import pytest

from app.db import cmp
from app.db.errors import DataError

from .conftest import DEXIE_USERS, DEXIE_USERS_SCHEMA, unique_name

RUN_IN_BROWSER = True


@pytest.fixture
async def udb(make_db):
    db = make_db(unique_name("dexie-query"))
    db.version(1).stores(
        {
            "users": DEXIE_USERS_SCHEMA,
            "people": "[first+last], age",
            "chaps": "++id, [name+number], age",
        }
    )
    await db.users.bulk_add([dict(u) for u in DEXIE_USERS])
    return db


# ---------------------------------------------------------------- tests-collection.js


async def test_and_with_values(udb):
    """'and with values'."""
    found = (
        await udb.users.where("last")
        .in_any_range([["a", "g"], ["A", "G"]])
        .and_(lambda u: u["username"] == "dfahlander")
        .to_array()
    )
    assert [u["first"] for u in found] == ["David"]


async def test_offset_and_limit_combinations(udb):
    """'offset().limit() with advanced combinations': with an algorithm (ignore case)
    and with a plain key range, through count() and to_array()."""
    await udb.users.bulk_add(
        [
            {
                "id": 3 + i,
                "first": f"First{i}",
                "last": f"Last{i}",
                "username": f"user{i}",
                "email": [f"user{i}@abc.se"],
            }
            for i in range(10)
        ]
    )
    for where in (
        lambda: udb.users.where("first").starts_with_ignore_case("first"),
        lambda: udb.users.where("first").starts_with("First"),
    ):
        assert await where().count() == 10
        for offset, limit, want in [(0, 5, 5), (7, None, 3), (6, 4, 4), (7, 4, 3), (17, 4, 0)]:
            coll = where().offset(offset)
            if limit is not None:
                coll = coll.limit(limit)
            assert await coll.count() == want, (offset, limit)
            coll = where().offset(offset)
            if limit is not None:
                coll = coll.limit(limit)
            assert len(await coll.to_array()) == want, (offset, limit)


async def test_distinct_on_a_multi_entry_index(udb):
    """'distinct'."""
    matches = await udb.users.where("email").starts_with_ignore_case("d").to_array()
    assert [u["first"] for u in matches] == ["Karl", "David", "David"]  # by email key
    distinct = await udb.users.where("email").starts_with_ignore_case("d").distinct().to_array()
    assert sorted(u["first"] for u in distinct) == ["David", "Karl"]


async def test_modify_sets_a_date_on_every_record(udb):
    """'modify'."""
    now = dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=dt.UTC)
    async with udb.transaction("rw", udb.users):
        assert await udb.users.to_collection().modify({"last_updated": now}) == 2
        users = await udb.users.to_array()
    assert [u["last_updated"] for u in users] == [now, now]


async def test_delete_combined_with_or(udb):
    """'delete(3, combine with OR)'."""
    await udb.users.add({"first": "dAvid", "last": "Helenius", "username": "dahel"})
    n = (
        await udb.users.where("first")
        .equals_ignore_case("david")
        .or_("username")
        .equals("kceder")
        .delete()
    )
    assert n == 3
    assert await udb.users.count() == 0


async def test_or_with_ignore_case_and_a_range(make_db):
    """'or-issue#15-test'."""
    db = make_db()
    db.version(1).stores({"phones": "++id, name"})
    await db.phones.bulk_add([{"id": 3 + i, "name": f"Name{i:03d}"} for i in range(100)])
    for _ in range(3):
        found = (
            await db.phones.where("name")
            .starts_with_ignore_case("name")
            .or_("id")
            .below(50)
            .to_array()
        )
        assert len(found) == 100


async def test_filter_then_primary_keys_on_a_virtual_index(udb):
    """'Issue 1381: Collection.filter().primaryKeys() on virtual index'."""
    await udb.chaps.bulk_add(
        [{"name": "David", "number": 2, "age": 29}, {"name": "David", "number": 3, "age": 39}]
    )
    keys = (
        await udb.chaps.where("name").equals("David").filter(lambda c: c["age"] > 30).primary_keys()
    )
    assert keys == [2]


# ---------------------------------------------------------------- tests-whereclause.js


async def test_compound_index_with_any_of(udb):
    """'Issue#31 Compound Index with anyOf'."""
    await udb.people.bulk_add(
        [
            {"first": "Foo", "last": "Bar", "age": 1},
            {"first": "Foo", "last": "Baz", "age": 2},
            {"first": "Qux", "last": "Bar", "age": 3},
        ]
    )
    found = (
        await udb.people.where("[first+last]").any_of([["Foo", "Baz"], ["Qux", "Bar"]]).to_array()
    )
    assert [p["age"] for p in found] == [2, 3]


async def test_any_of_integers(make_db):
    """'anyOf(integerArray)'."""
    db = make_db()
    db.version(1).stores({"t": "id"})
    await db.t.bulk_add([{"id": i} for i in range(10)])
    assert await db.t.where("id").any_of([7, 1, 3, 3]).primary_keys() == [1, 3, 7]


async def test_equals_ignore_case_descending_and_short_keys(make_db):
    """'equalsIgnoreCase() 2 descending', 'equalsIgnoreCase() 3 (first key shorter
    than needle)'."""
    db = make_db()
    db.version(1).stores({"t": "++id, name"})
    await db.t.bulk_add([{"name": n} for n in ["a", "AB", "aB", "Ab", "abc", "ab", "b"]])
    names = await db.t.where("name").equals_ignore_case("ab").reverse().to_array()
    assert [x["name"] for x in names] == ["ab", "aB", "Ab", "AB"]
    assert await db.t.where("name").equals_ignore_case("abcd").to_array() == []


async def test_querying_a_key_nothing_has(udb):
    """'queryingNonExistingObj'."""
    assert await udb.users.where("first").equals("nonexisting").to_array() == []
    assert await udb.users.where("first").equals("nonexisting").first() is None


async def test_compound_primary_key(udb):
    """'compound-primkey (Issue #37)'."""
    await udb.people.bulk_put(
        [
            {"first": "Santa", "last": "Claus", "age": 1000},
            {"first": "Taylor", "last": "Swift", "age": 30},
        ]
    )
    assert (await udb.people.get(["Santa", "Claus"]))["age"] == 1000
    assert await udb.people.where(":id").equals(["Taylor", "Swift"]).count() == 1
    assert await udb.people.where("[first+last]").above(["Santa", "Claus"]).primary_keys() == [
        ["Taylor", "Swift"]
    ]


async def test_between_on_a_compound_index(make_db):
    """'Erratic behavior of between #190'."""
    db = make_db()
    db.version(1).stores({"t": "++id, [a+b]"})
    await db.t.bulk_add([{"a": a, "b": b} for a in range(3) for b in range(3)])
    keys = await db.t.where("[a+b]").between([1, 0], [2, 0], True, False).keys()
    assert keys == [[1, 0], [1, 1], [1, 2]]
    assert await db.t.where("[a+b]").between([1, 1], [1, 1], True, True).count() == 1
    assert await db.t.where("[a+b]").between([2, 0], [1, 0]).count() == 0


async def test_none_of_over_a_multi_entry_index(udb):
    """'noneOf keys'."""
    keys = await udb.users.where("email").none_of(["david@awarica.com", "karl@ceder.what"]).keys()
    assert keys == ["dadda@ceder.what", "daw@thridi.com"]


async def test_order_by_a_list_of_fields(make_db):
    """ "orderBy(['idx1','idx2'])"."""
    db = make_db()
    db.version(1).stores({"files": "++id, [filename+extension]"})
    await db.files.bulk_add(
        [
            {"filename": "world", "extension": ".js"},
            {"filename": "README", "extension": ".TXT"},
            {"filename": "hello", "extension": ".exe"},
            {"filename": "hello", "extension": ".bat"},
            {"filename": "hello-there", "extension": ".exe"},
            {"filename": "nothing"},
        ]
    )
    files = await db.files.order_by(["filename", "extension"]).to_array()
    assert [f["filename"] + f["extension"] for f in files] == [
        "README.TXT",
        "hello.bat",
        "hello.exe",
        "hello-there.exe",
        "world.js",
    ]


async def test_virtual_index_of_a_compound_index(udb):
    """'Virtual Index'."""
    await udb.chaps.bulk_add(
        [
            {"name": "David", "number": 2, "age": 29},
            {"name": "David", "number": 3, "age": 39},
            {"name": "Ylva", "number": 4, "age": 8},
        ]
    )
    assert await udb.chaps.where("name").equals("David").count() == 2
    assert await udb.chaps.where("name").starts_with("Y").count() == 1
    assert await udb.chaps.where("name").above("David").primary_keys() == [3]
    assert await udb.chaps.where({"name": "David", "number": 3}).primary_keys() == [2]


async def test_equals_an_invalid_key_fails_when_run(udb):
    """'WhereClause.equals(invalid key)', tests-exception-handling.js 'Issue #67'."""
    coll = udb.users.where("first").equals({"not": "a key"})  # no error yet
    with pytest.raises(DataError):
        await coll.to_array()


# ---------------------------------------------------------------- tests-binarykeys.js


async def test_binary_primary_keys_and_indexes(make_db):
    """'Binary Primary Key', 'Binary Index', 'OR-query'."""
    db = make_db()
    db.version(1).stores({"blobs": "id, tag", "tagged": "++id, bin"})
    await db.blobs.bulk_add(
        [
            {"id": bytes([1, 2, 3]), "tag": "a"},
            {"id": bytes([1, 2]), "tag": "b"},
            {"id": b"\x00", "tag": "c"},
        ]
    )
    assert (await db.blobs.get(bytes([1, 2, 3])))["tag"] == "a"
    assert await db.blobs.to_collection().primary_keys() == [b"\x00", b"\x01\x02", b"\x01\x02\x03"]
    await db.tagged.bulk_add([{"bin": bytes([9])}, {"bin": bytes([8, 8])}])
    assert await db.tagged.where("bin").equals(bytes([8, 8])).primary_keys() == [2]
    found = await db.blobs.where("id").equals(b"\x00").or_("tag").equals("a").to_array()
    assert sorted(b["tag"] for b in found) == ["a", "c"]


# ---------------------------------------------------------------- tests-cmp.js


def test_cmp_orders_every_key_type():
    """'it should support indexable types', 'it should respect IndexedDB'."""
    ordered = [
        -float("inf"),
        -1,
        0,
        0.5,
        float("inf"),
        dt.datetime(1970, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        "",
        "A",
        "a",
        "ä",
        b"",
        b"\x00",
        b"\x01",
        [],
        [0],
        [0, 0],
        [1],
        ["a"],
        [[]],
    ]
    for i, a in enumerate(ordered):
        assert cmp(a, a) == 0
        for b in ordered[i + 1 :]:
            assert cmp(a, b) == -1 and cmp(b, a) == 1, (a, b)


def test_cmp_binary_types_compare_by_content():
    """'it should treat different binary types as if they were equal'."""
    assert cmp(b"\x01\x02", bytearray(b"\x01\x02")) == 0
    assert cmp(memoryview(b"\x01\x02"), b"\x01\x02") == 0


@pytest.mark.parametrize("bad", [None, True, {"a": 1}, float("nan"), [1, None], [[{}]]])
def test_cmp_rejects_what_is_not_a_key(bad):
    """'it should return NaN on invalid types', '... arrays where any item ... includes
    an invalid key' (Dexie returns NaN; app.db raises DataError)."""
    with pytest.raises(DataError):
        cmp(bad, 1)
