"""Table methods: add/put/get/update/upsert/delete/bulk_*."""

import datetime as dt

import pytest

from app.db import DELETE
from app.db.errors import BulkError, ConstraintError, DatabaseError, DataError

RUN_IN_BROWSER = True


async def test_add_returns_generated_key_and_writes_it_back(db):
    obj = {"name": "x"}
    key = await db.friends.add(obj)
    assert key == 1 and obj["id"] == 1
    assert await db.friends.get(1) == {"name": "x", "id": 1}


async def test_auto_increment_continues(db):
    k1 = await db.friends.add({"name": "a"})
    k2 = await db.friends.add({"name": "b"})
    assert k2 == k1 + 1


async def test_explicit_key_bumps_generator(db):
    await db.friends.add({"id": 100, "name": "a"})
    assert await db.friends.add({"name": "b"}) == 101


async def test_add_existing_key_raises_constraint_error(db):
    await db.items.add({"id": "i1", "code": "c1"})
    with pytest.raises(ConstraintError):
        await db.items.add({"id": "i1", "code": "c2"})


async def test_put_replaces(db):
    await db.items.put({"id": "i1", "code": "c1", "x": 1})
    await db.items.put({"id": "i1", "code": "c1"})
    assert await db.items.get("i1") == {"id": "i1", "code": "c1"}


async def test_put_returns_key(db):
    assert await db.items.put({"id": "k", "code": "c"}) == "k"


async def test_get_missing_returns_none(db):
    assert await db.items.get("nope") is None


async def test_get_by_criteria(friends):
    f = await friends.friends.get({"name": "bob"})
    assert f["age"] == 25
    assert await friends.friends.get({"name": "nobody"}) is None


async def test_get_by_criteria_compound(friends):
    f = await friends.friends.get({"age": 25, "name": "dave"})
    assert f["id"] == 4


async def test_stored_value_is_a_copy(db):
    obj = {"id": "a", "code": "c", "nested": {"x": 1}}
    await db.items.put(obj)
    obj["nested"]["x"] = 2
    got = await db.items.get("a")
    assert got["nested"]["x"] == 1
    got["nested"]["x"] = 3
    assert (await db.items.get("a"))["nested"]["x"] == 1


async def test_outbound_keys(db):
    await db.kv.put("hello", "greeting")
    await db.kv.put({"n": 1}, "obj")
    assert await db.kv.get("greeting") == "hello"
    assert await db.kv.get("obj") == {"n": 1}


async def test_outbound_without_key_raises(db):
    with pytest.raises(DataError):
        await db.kv.put("value")


async def test_outbound_auto_increment(db):
    k1 = await db.logs.add({"msg": "a"})
    k2 = await db.logs.add({"msg": "b"})
    assert (k1, k2) == (1, 2)
    assert await db.logs.get(2) == {"msg": "b"}


async def test_key_argument_on_inbound_table_raises(db):
    with pytest.raises(DataError):
        await db.items.put({"id": "a", "code": "c"}, "a")


async def test_missing_inbound_key_raises(db):
    with pytest.raises(DataError):
        await db.items.put({"code": "c"})


async def test_invalid_key_values_raise_data_error(db):
    for bad in (None, True, float("nan"), {"a": 1}):
        with pytest.raises(DataError):
            await db.kv.put("v", bad)


async def test_delete(db):
    await db.items.put({"id": "a", "code": "c"})
    await db.items.delete("a")
    assert await db.items.get("a") is None
    await db.items.delete("a")  # deleting a missing key is fine


async def test_clear(friends):
    await friends.friends.clear()
    assert await friends.friends.count() == 0


async def test_count(friends):
    assert await friends.friends.count() == 6


async def test_to_array_in_key_order(friends):
    assert [f["id"] for f in await friends.friends.to_array()] == [1, 2, 3, 4, 5, 6]


async def test_bulk_add_returns_last_key(db):
    assert await db.friends.bulk_add([{"name": "a"}, {"name": "b"}]) == 2


async def test_bulk_add_all_keys(db):
    objs = [{"name": "a"}, {"name": "b"}, {"name": "c"}]
    assert await db.friends.bulk_add(objs, all_keys=True) == [1, 2, 3]
    assert [o["id"] for o in objs] == [1, 2, 3]


async def test_bulk_put_outbound_with_keys(db):
    await db.kv.bulk_put(["x", "y"], ["k1", "k2"])
    assert await db.kv.bulk_get(["k1", "k2", "k3"]) == ["x", "y", None]


async def test_bulk_add_failures_by_position(db):
    await db.items.add({"id": "b", "code": "cb"})
    with pytest.raises(BulkError) as info:
        await db.items.bulk_add(
            [{"id": "a", "code": "ca"}, {"id": "b", "code": "x"}, {"id": "c", "code": "cc"}]
        )
    err = info.value
    assert list(err.failures_by_pos) == [1]
    assert isinstance(err.failures_by_pos[1], ConstraintError)
    # the successful ones stay written (no surrounding transaction aborted)
    assert sorted(i["id"] for i in await db.items.to_array()) == ["a", "b", "c"]


async def test_unique_violation_mid_bulk(db):
    with pytest.raises(BulkError) as info:
        await db.items.bulk_put(
            [
                {"id": 1, "code": "same"},
                {"id": 2, "code": "other"},
                {"id": 3, "code": "same"},
                {"id": 4, "code": "fine"},
            ]
        )
    assert list(info.value.failures_by_pos) == [2]
    assert await db.items.count() == 3


async def test_bulk_error_in_transaction_keeps_others_when_caught(db):
    async with db.transaction("rw", db.items):
        await db.items.add({"id": "x", "code": "1"})
        with pytest.raises(BulkError):
            await db.items.bulk_add([{"id": "x", "code": "2"}, {"id": "y", "code": "3"}])
    assert sorted(i["id"] for i in await db.items.to_array()) == ["x", "y"]


async def test_bulk_get_order(friends):
    got = await friends.friends.bulk_get([3, 99, 1])
    assert got[0]["name"] == "Carol" and got[1] is None and got[2]["name"] == "Alice"


async def test_bulk_delete(friends):
    await friends.friends.bulk_delete([1, 2, 99])
    assert await friends.friends.count() == 4


async def test_update_returns_one_and_applies(friends):
    assert await friends.friends.update(1, {"age": 32, "address.city": "Trondheim"}) == 1
    f = await friends.friends.get(1)
    assert f["age"] == 32 and f["address"]["city"] == "Trondheim"


async def test_update_missing_returns_zero(friends):
    assert await friends.friends.update(99, {"age": 1}) == 0


async def test_update_delete_property(friends):
    await friends.friends.update(1, {"tags": DELETE})
    assert "tags" not in await friends.friends.get(1)


async def test_update_updates_indexes(friends):
    await friends.friends.update(2, {"name": "Zed"})
    assert await friends.friends.where("name").equals("bob").count() == 0
    assert (await friends.friends.where("name").equals("Zed").first())["id"] == 2


async def test_update_with_function(friends):
    def bump(f):
        f["age"] += 1

    assert await friends.friends.update(5, bump) == 1
    assert (await friends.friends.get(5))["age"] == 20


async def test_upsert_creates_then_updates(db):
    assert await db.items.upsert("u1", {"code": "c", "n": 1}) is False  # created
    assert await db.items.get("u1") == {"id": "u1", "code": "c", "n": 1}
    assert await db.items.upsert("u1", {"n": 2}) is True  # was there: updated
    assert (await db.items.get("u1"))["n"] == 2


async def test_bulk_update(friends):
    n = await friends.friends.bulk_update(
        [
            {"key": 1, "changes": {"age": 1}},
            {"key": 2, "changes": {"age": 2}},
            {"key": 99, "changes": {"age": 3}},
        ]
    )
    assert n == 2
    assert [f["age"] for f in await friends.friends.bulk_get([1, 2])] == [1, 2]


async def test_bulk_update_failure_by_position(db):
    await db.items.bulk_add([{"id": 1, "code": "a"}, {"id": 2, "code": "b"}])
    with pytest.raises(BulkError) as info:
        await db.items.bulk_update(
            [{"key": 1, "changes": {"x": 1}}, {"key": 2, "changes": {"code": "a"}}]
        )
    assert list(info.value.failures_by_pos) == [1]
    assert (await db.items.get(1))["x"] == 1


async def test_dates_round_trip(db):
    when = dt.datetime(2024, 5, 1, 12, 30, 15, 123000, tzinfo=dt.UTC)
    await db.items.put({"id": "d", "code": "c", "when": when})
    got = await db.items.get("d")
    assert got["when"] == when


async def test_binary_round_trip(db):
    await db.items.put({"id": "b", "code": "c", "blob": b"\x00\x01\xff"})
    assert bytes((await db.items.get("b"))["blob"]) == b"\x00\x01\xff"


async def test_nested_values_round_trip(db):
    value = {"id": "n", "code": "c", "a": [1, 2.5, "x", {"b": [True, False, None]}], "s": "ünï😀"}
    await db.items.put(value)
    assert await db.items.get("n") == value


async def test_array_as_key(db):
    await db.kv.put("v", [1, "a"])
    assert await db.kv.get([1, "a"]) == "v"


async def test_missing_index_field_not_indexed(friends):
    # Eve (id 5) has no tags and no address
    assert 5 not in await friends.friends.where("address.city").above("").primary_keys()
    assert await friends.friends.where("address.city").equals("Oslo").primary_keys() == [1, 3]


async def test_invalid_index_value_not_indexed(db):
    await db.friends.bulk_add(
        [{"name": None, "age": 1}, {"name": {"x": 1}, "age": 2}, {"name": "ok", "age": 3}]
    )
    assert await db.friends.order_by("name").primary_keys() == [3]
    assert await db.friends.count() == 3


def _filler(i: int) -> dict:
    return {"id": f"f{i:04d}", "code": f"c{i:04d}", "category": "fill", "text": "x" * 40}


@pytest.mark.parametrize(
    "special",
    [
        dt.datetime(2024, 5, 1, 12, 30, 15, 123000, tzinfo=dt.UTC),
        b"\x00\x01\xff",
        b"",
        float("inf"),
        -float("inf"),
        None,
        {},
        "2024-05-01T12:30:15.123Z",
        "2024-05-01T12:30:15.123456Z",
        {"0": 1},
        "null",
        # what a many-record answer carries in marshal's format, exactly as JSON would
        True,
        False,
        "",
        "a" * 300,
        "é",
        "日本語 " * 100,
        "😀 and 𝄞",
        "lone \ud800 and \udfff surrogates",
        {"ключ": "значение", "": 0},
        [1, [2.5, [None, "x"]], []],
        2**31 - 1,
        2**31,
        -(2**31),
        -(2**31) - 1,
        2**53,
        -(10**20),
        1e21,
        -1e300,
        0.1,
        b"\x80" * 5000,
    ],
    ids=lambda v: repr(v)[:40],
)
async def test_values_round_trip_in_big_results(db, special):
    """A read of many records (a big answer) keeps every kind of value exactly, one odd
    value among plain ones, and values whose text only looks like a tagged one."""
    records = [_filler(i) for i in range(400)]
    records[217] = {**records[217], "odd": special, "nested": [{"deep": special}]}
    await db.items.bulk_put(records)
    got = await db.items.where("category").equals("fill").to_array()
    odd = got[217]
    assert odd["odd"] == special and type(odd["odd"]) is type(special)
    assert odd["nested"] == [{"deep": special}]
    assert got[:217] + got[218:] == records[:217] + records[218:]


async def test_nan_round_trips_in_a_big_result(db):
    records = [_filler(i) for i in range(400)]
    records[5] = {**records[5], "odd": float("nan")}
    await db.items.bulk_put(records)
    got = await db.items.where("category").equals("fill").to_array()
    assert got[5]["odd"] != got[5]["odd"]
    assert len(got) == 400


async def test_every_many_record_read_keeps_values(db):
    """Gets by many keys, keys, primary keys, cursors and sorted or reversed reads of
    many records (answers that cross in marshal's format) give what was written."""
    records = [
        {
            "id": f"r{i:03d}",
            "code": f"c{i:03d}" + "é" * (i % 3),
            "category": "many",
            "price": i * 1.5 if i % 2 else i,
            "tags": [i, str(i), None, i % 3 == 0, {"k": [b"\x01" * (i % 4)]}],
        }
        for i in range(60)
    ]
    await db.items.bulk_put(records)
    ids = [r["id"] for r in records]
    assert await db.items.bulk_get(ids[::-1]) == records[::-1]
    assert await db.items.where("category").equals("many").to_array() == records
    assert await db.items.where("category").equals("many").reverse().to_array() == records[::-1]
    assert await db.items.where("category").equals("many").primary_keys() == ids
    assert await db.items.order_by("code").keys() == sorted(r["code"] for r in records)
    assert await db.items.where("[category+price]").above(["many", -1]).keys() == sorted(
        (["many", r["price"]] for r in records), key=lambda k: k[1]
    )
    seen = []
    await db.items.where("category").equals("many").each(seen.append)
    assert seen == records
    assert await db.items.where("category").equals("many").offset(50).to_array() == records[50:]



_SHARED = {"same": "object"}


@pytest.mark.parametrize(
    "odd",
    [
        {1: "a", 2.5: "b", None: "d"},
        (1, (2, "x"), ()),
        [_SHARED, _SHARED],
        {"__proto__": 1, "b": 2, "1": 3},
        2**64 + 1,
        -(2**70),
        2**53 + 1,
        float("-inf"),
        -0.0,
        "\ud83d\ude00",
        "lone \udc00",
        bytearray(b"\x01\x02"),
        dt.datetime(2001, 2, 3, tzinfo=dt.UTC),
        {1, 2},
    ],
    ids=lambda v: repr(v)[:30],
)
async def test_many_record_writes_and_reads_keep_what_one_record_does(db, odd):
    """Writes and reads of many records (whose values cross in marshal's format when
    they can) give what a write and a read of one record give (JSON's way), or fail
    as it does."""
    one = {**_filler(999), "odd": odd}
    try:
        await db.items.put(one)
    except DatabaseError as err:
        refused: type[DatabaseError] | None = type(err)
    else:
        refused = None
    records = [_filler(i) for i in range(40)]
    records[7] = {**records[7], "odd": odd}
    if refused is not None:
        with pytest.raises(refused):
            await db.items.bulk_put(records)
        assert await db.items.count() == 0
        return
    await db.items.bulk_put(records)
    single = (await db.items.get(one["id"]))["odd"]
    many = await db.items.where("category").equals("fill").to_array()
    assert many[7]["odd"] == single and type(many[7]["odd"]) is type(single)
    assert repr(many[7]["odd"]) == repr(single)
    assert (await db.items.get(records[7]["id"]))["odd"] == single
    assert many[:7] + many[8:40] == records[:7] + records[8:]
