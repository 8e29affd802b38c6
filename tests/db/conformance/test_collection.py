"""Collection: limit/offset/reverse combinations, filter, until, terminals, modify, delete."""

import pytest

from app.db.errors import BulkError, DataError

RUN_IN_BROWSER = True


@pytest.fixture
async def numbers(db):
    await db.items.bulk_put([{"id": i, "code": f"c{i}", "category": i % 4} for i in range(20)])
    return db


async def pks(coll):
    return await coll.primary_keys()


async def test_limit(numbers):
    assert await pks(numbers.items.to_collection().limit(3)) == [0, 1, 2]


async def test_offset(numbers):
    assert await pks(numbers.items.to_collection().offset(17)) == [17, 18, 19]


async def test_limit_offset(numbers):
    assert await pks(numbers.items.to_collection().offset(5).limit(2)) == [5, 6]


async def test_reverse_limit(numbers):
    assert await pks(numbers.items.to_collection().reverse().limit(3)) == [19, 18, 17]


async def test_reverse_offset_limit(numbers):
    assert await pks(numbers.items.to_collection().reverse().offset(2).limit(2)) == [17, 16]


async def test_limit_then_reverse_same_as_reverse_then_limit(numbers):
    a = await pks(numbers.items.to_collection().limit(2).reverse())
    b = await pks(numbers.items.to_collection().reverse().limit(2))
    assert a == b == [19, 18]


async def test_limit_zero(numbers):
    assert await numbers.items.to_collection().limit(0).to_array() == []


async def test_offset_past_end(numbers):
    assert await numbers.items.to_collection().offset(100).to_array() == []


async def test_index_limit_offset(numbers):
    coll = numbers.items.where("category").equals(2).offset(1).limit(2)
    assert await pks(coll) == [6, 10]


async def test_index_reverse_offset(numbers):
    coll = numbers.items.where("category").equals(2).reverse().offset(1)
    assert await pks(coll) == [14, 10, 6, 2]


async def test_filter_with_limit_offset(numbers):
    coll = numbers.items.filter(lambda v: v["id"] % 2 == 1).offset(1).limit(3)
    assert await pks(coll) == [3, 5, 7]


async def test_and_alias(numbers):
    coll = numbers.items.where("category").equals(1).and_(lambda v: v["id"] > 10)
    assert await pks(coll) == [13, 17]


async def test_multiple_filters(numbers):
    coll = numbers.items.filter(lambda v: v["id"] > 3).filter(lambda v: v["id"] < 6)
    assert await pks(coll) == [4, 5]


async def test_until(numbers):
    assert await pks(numbers.items.to_collection().until(lambda v: v["id"] == 3)) == [0, 1, 2]


async def test_until_include_stop_entry(numbers):
    coll = numbers.items.to_collection().until(lambda v: v["id"] == 3, include_stop_entry=True)
    assert await pks(coll) == [0, 1, 2, 3]


async def test_first_and_last(numbers):
    assert (await numbers.items.to_collection().first())["id"] == 0
    assert (await numbers.items.to_collection().last())["id"] == 19
    assert (await numbers.items.where("category").equals(3).last())["id"] == 19


async def test_first_of_empty_is_none(numbers):
    assert await numbers.items.where("id").above(100).first() is None


async def test_count_plain_and_filtered(numbers):
    assert await numbers.items.where("category").equals(0).count() == 5
    assert await numbers.items.where("category").any_of(0, 1).count() == 10
    assert await numbers.items.filter(lambda v: v["id"] < 4).count() == 4
    assert await numbers.items.to_collection().offset(15).count() == 5
    assert await numbers.items.to_collection().limit(4).count() == 4


async def test_keys_and_unique_keys(numbers):
    coll = numbers.items.where("category").below(2)
    assert await coll.keys() == [0] * 5 + [1] * 5
    assert await numbers.items.where("category").below(2).unique_keys() == [0, 1]


async def test_primary_keys(numbers):
    assert await numbers.items.where("category").equals(3).primary_keys() == [3, 7, 11, 15, 19]


async def test_sort_by(numbers):
    got = await numbers.items.where("category").equals(1).sort_by("code")
    assert [v["code"] for v in got] == ["c1", "c13", "c17", "c5", "c9"]


async def test_sort_by_reverse(numbers):
    got = await numbers.items.where("category").equals(1).reverse().sort_by("code")
    assert [v["code"] for v in got] == ["c9", "c5", "c17", "c13", "c1"]


async def test_each_visits_in_order(numbers):
    seen = []
    await numbers.items.where("category").equals(2).each(lambda v: seen.append(v["id"]))
    assert seen == [2, 6, 10, 14, 18]


async def test_each_with_cursor(numbers):
    seen = []
    await (
        numbers.items.where("category")
        .equals(1)
        .limit(2)
        .each(lambda v, c: seen.append((c.key, c.primary_key)))
    )
    assert seen == [(1, 1), (1, 5)]


async def test_each_async_callback(numbers):
    seen = []

    async def cb(v):
        seen.append(v["id"])

    await numbers.items.to_collection().offset(18).each(cb)
    assert seen == [18, 19]


async def test_each_streams_large_table(db):
    await db.items.bulk_put([{"id": i, "code": str(i)} for i in range(1000)])
    total = 0

    def add(v):
        nonlocal total
        total += v["id"]

    await db.items.each(add)
    assert total == sum(range(1000))


async def test_modify_with_dict(numbers):
    n = await numbers.items.where("category").equals(0).modify({"flag": True})
    assert n == 5
    assert await numbers.items.filter(lambda v: v.get("flag")).count() == 5


async def test_modify_with_function(numbers):
    def fn(v):
        v["code"] = v["code"].upper()

    assert await numbers.items.where("id").below(3).modify(fn) == 3
    assert [v["code"] for v in await numbers.items.limit(3).to_array()] == ["C0", "C1", "C2"]


async def test_modify_function_can_delete(numbers):
    def fn(v, ctx):
        if v["id"] % 2:
            ctx.value = None

    await numbers.items.where("id").below(4).modify(fn)
    assert await numbers.items.where("id").below(4).primary_keys() == [0, 2]


async def test_modify_function_can_replace(numbers):
    def fn(v, ctx):
        ctx.value = {"id": v["id"], "code": "new" + str(v["id"])}

    await numbers.items.where("id").equals(1).modify(fn)
    assert await numbers.items.get(1) == {"id": 1, "code": "new1"}


async def test_modify_unchanged_not_counted(numbers):
    assert await numbers.items.where("id").below(3).modify({"category": 0}) == 2


async def test_modify_updates_index(numbers):
    await numbers.items.where("category").equals(3).modify({"category": 9})
    assert await numbers.items.where("category").equals(3).count() == 0
    assert await numbers.items.where("category").equals(9).count() == 5


async def test_modify_primary_key_onto_taken_keys_fails_and_keeps_the_records(numbers):
    before = await numbers.items.to_array()
    with pytest.raises(BulkError):
        async with numbers.transaction("rw", numbers.items):
            await numbers.items.where("id").below(3).modify({"id": 5})
    assert await numbers.items.to_array() == before


async def test_modify_cannot_leave_a_record_without_a_key(numbers):
    from app.db import DELETE

    with pytest.raises(DataError):
        await numbers.items.where("id").equals(1).modify({"id": DELETE})
    assert await numbers.items.get(1) is not None


async def test_modify_unique_violation(numbers):
    with pytest.raises(BulkError):
        await numbers.items.where("id").below(2).modify({"code": "same"})


async def test_modify_nested_keypath(db):
    await db.friends.add({"name": "a", "address": {"city": "X"}})
    await db.friends.to_collection().modify({"address.city": "Y", "address.zip": "1"})
    assert (await db.friends.get(1))["address"] == {"city": "Y", "zip": "1"}
    assert await db.friends.where("address.city").equals("Y").count() == 1


async def test_collection_delete(numbers):
    assert await numbers.items.where("category").equals(1).delete() == 5
    assert await numbers.items.count() == 15


async def test_collection_delete_range_on_primary_key(numbers):
    assert await numbers.items.where("id").between(5, 10).delete() == 5
    assert await numbers.items.where("id").between(0, 20).count() == 15


async def test_collection_delete_with_filter(numbers):
    assert await numbers.items.filter(lambda v: v["id"] > 15).delete() == 4


async def test_table_delete_all_via_collection(numbers):
    assert await numbers.items.to_collection().delete() == 20
    assert await numbers.items.count() == 0


async def test_clone_is_independent(numbers):
    base = numbers.items.where("category").equals(0)
    limited = base.clone().limit(1)
    assert len(await base.to_array()) == 5
    assert len(await limited.to_array()) == 1


async def test_await_collection_directly(numbers):
    assert len(await numbers.items.where("category").equals(0)) == 5


async def test_table_shortcuts(numbers):
    assert await pks(numbers.items.reverse().limit(1)) == [19]
    assert await pks(numbers.items.offset(19)) == [19]
    assert await pks(numbers.items.filter(lambda v: v["id"] == 7)) == [7]


async def test_desc_alias(numbers):
    assert await pks(numbers.items.order_by("code").desc().limit(1)) == [9]
