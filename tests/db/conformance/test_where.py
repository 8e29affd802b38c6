"""WhereClause: all 15 operators, compound and multi-entry indexes, where({...})."""

import datetime as dt

import pytest

from app.db.errors import DataError, SchemaError

RUN_IN_BROWSER = True


async def ids(coll):
    return await coll.primary_keys()


async def test_equals(friends):
    assert await ids(friends.friends.where("name").equals("bob")) == [2]


async def test_equals_on_primary_key(friends):
    assert await ids(friends.friends.where("id").equals(3)) == [3]
    assert await ids(friends.friends.where(":id").equals(4)) == [4]


async def test_equals_no_match(friends):
    assert await friends.friends.where("name").equals("zz").to_array() == []


async def test_above(friends):
    assert await ids(friends.friends.where("age").above(30)) == [1, 3, 6]


async def test_above_or_equal(friends):
    assert await ids(friends.friends.where("age").above_or_equal(31)) == [1, 3, 6]


async def test_below(friends):
    assert await ids(friends.friends.where("age").below(25)) == [5]


async def test_below_or_equal(friends):
    assert await ids(friends.friends.where("age").below_or_equal(25)) == [5, 2, 4]


async def test_between_default_bounds(friends):
    assert await ids(friends.friends.where("age").between(25, 42)) == [2, 4, 1]


async def test_between_inclusive(friends):
    assert await ids(friends.friends.where("age").between(25, 42, True, True)) == [2, 4, 1, 3]


async def test_between_exclusive(friends):
    assert await ids(friends.friends.where("age").between(25, 42, False, False)) == [1]


async def test_between_inverted_is_empty(friends):
    assert await ids(friends.friends.where("age").between(42, 25)) == []


async def test_between_equal_bounds(friends):
    assert await ids(friends.friends.where("age").between(25, 25)) == []
    assert await ids(friends.friends.where("age").between(25, 25, True, True)) == [2, 4]


async def test_any_of(friends):
    assert await ids(friends.friends.where("age").any_of(50, 19, 99)) == [5, 6]
    assert await ids(friends.friends.where("age").any_of([19, 19])) == [5]


async def test_any_of_empty(friends):
    assert await ids(friends.friends.where("age").any_of([])) == []


async def test_none_of(friends):
    assert await ids(friends.friends.where("age").none_of(25, 31)) == [5, 3, 6]


async def test_none_of_empty_is_everything_indexed(friends):
    assert len(await ids(friends.friends.where("age").none_of([]))) == 6


async def test_not_equal(friends):
    assert await ids(friends.friends.where("age").not_equal(25)) == [5, 1, 3, 6]


async def test_starts_with(friends):
    assert await ids(friends.friends.where("name").starts_with("b")) == [2]
    assert await ids(friends.friends.where("name").starts_with("B")) == []


async def test_starts_with_empty_matches_all_strings(friends):
    assert len(await ids(friends.friends.where("name").starts_with(""))) == 6


async def test_starts_with_ignore_case(friends):
    assert await ids(friends.friends.where("name").starts_with_ignore_case("A")) == [1]
    assert await ids(friends.friends.where("name").starts_with_ignore_case("ä")) == [6]


async def test_equals_ignore_case(friends):
    assert await ids(friends.friends.where("name").equals_ignore_case("ALICE")) == [1]
    assert await ids(friends.friends.where("name").equals_ignore_case("ärger")) == [6]
    assert await ids(friends.friends.where("name").equals_ignore_case("alic")) == []


async def test_any_of_ignore_case(friends):
    assert await ids(friends.friends.where("name").any_of_ignore_case("BOB", "carol")) == [3, 2]


async def test_starts_with_any_of(friends):
    assert await ids(friends.friends.where("name").starts_with_any_of("A", "b")) == [1, 2]
    assert await ids(friends.friends.where("name").starts_with_any_of([])) == []


async def test_starts_with_any_of_ignore_case(friends):
    assert await ids(
        friends.friends.where("name").starts_with_any_of_ignore_case("a", "B", "e")
    ) == [1, 5, 2]


async def test_ignore_case_mixed_case_variants(db):
    await db.friends.bulk_add([{"name": n} for n in ["aBc", "ABC", "abc", "abd", "AB", "xabc"]])
    assert sorted(await ids(db.friends.where("name").equals_ignore_case("abc"))) == [1, 2, 3]
    assert sorted(await ids(db.friends.where("name").starts_with_ignore_case("ab"))) == [
        1,
        2,
        3,
        4,
        5,
    ]


async def test_in_any_range(friends):
    assert await ids(friends.friends.where("age").in_any_range([[19, 20], [40, 51]])) == [5, 3, 6]


async def test_in_any_range_bounds_flags(friends):
    coll = friends.friends.where("age").in_any_range(
        [[19, 25]], include_lowers=False, include_uppers=True
    )
    assert await ids(coll) == [2, 4]


async def test_in_any_range_overlapping_ranges_no_duplicates(friends):
    assert await ids(friends.friends.where("age").in_any_range([[20, 40], [30, 45]])) == [
        2,
        4,
        1,
        3,
    ]


async def test_multi_entry_equals(friends):
    assert await ids(friends.friends.where("tags").equals("a")) == [1, 4]


async def test_multi_entry_any_of_duplicates_and_distinct(friends):
    assert await ids(friends.friends.where("tags").any_of("a", "b")) == [1, 4, 1, 2]
    assert await ids(friends.friends.where("tags").any_of("a", "b").distinct()) == [1, 4, 2]


async def test_multi_entry_keys(friends):
    assert await friends.friends.where("tags").above("").keys() == ["a", "a", "b", "b", "c", "ä"]
    assert await friends.friends.order_by("tags").unique_keys() == ["a", "b", "c", "ä"]


async def test_compound_equals(friends):
    assert await ids(friends.friends.where("[name+age]").equals(["bob", 25])) == [2]


async def test_compound_list_form(friends):
    assert await ids(friends.friends.where(["name", "age"]).equals(["dave", 25])) == [4]


async def test_compound_range(friends):
    coll = friends.friends.where("[name+age]").between(["Alice", 0], ["Carol", 100])
    assert await ids(coll) == [1, 3]


async def test_compound_prefix_as_virtual_index(make_db):
    db = make_db()
    db.version(1).stores({"t": "id, [a+b+c]"})
    await db.t.bulk_put([{"id": i, "a": i % 3, "b": i % 2, "c": i} for i in range(12)])
    assert await db.t.where("a").equals(1).primary_keys() == [4, 10, 1, 7]
    assert await db.t.where("[a+b]").equals([1, 0]).primary_keys() == [4, 10]
    assert await db.t.where("a").above(1).count() == 4
    assert await db.t.where("a").below_or_equal(0).count() == 4
    assert await db.t.where("a").between(0, 1).count() == 4
    assert await db.t.where("a").any_of(0, 2).count() == 8
    assert await db.t.where("a").equals(2).keys() == [2, 2, 2, 2]


async def test_where_dict_uses_compound(friends):
    assert await ids(friends.friends.where({"age": 25, "name": "bob"})) == [2]


async def test_where_dict_simple_index_plus_filter(friends):
    assert await ids(friends.friends.where({"age": 25, "address.city": "Bergen"})) == [2]


async def test_where_dict_unindexed_raises(friends):
    with pytest.raises(SchemaError):
        friends.friends.where({"nope": 1})


async def test_where_unindexed_fails_when_run(friends):
    coll = friends.friends.where("nope").equals(1)
    with pytest.raises(SchemaError):
        await coll.to_array()


async def test_invalid_key_fails_when_run(friends):
    coll = friends.friends.where("age").equals(None)
    with pytest.raises(DataError):
        await coll.to_array()


async def test_or(friends):
    coll = friends.friends.where("name").equals("bob").or_("age").above(40)
    assert sorted(await ids(coll)) == [2, 3, 6]


async def test_or_dedupes(friends):
    coll = friends.friends.where("age").equals(25).or_("name").equals("bob")
    assert sorted(await ids(coll)) == [2, 4]


async def test_key_type_ordering(db):
    keys = [
        [1],
        b"\x01",
        "a",
        dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        5,
        -1.5,
        [],
        "",
        b"",
        float("inf"),
        float("-inf"),
    ]
    await db.kv.bulk_put(list(range(len(keys))), keys)
    got = await db.kv.to_collection().primary_keys()
    expected_order = [10, 5, 4, 9, 3, 7, 2, 8, 1, 6, 0]
    assert [keys.index(k) if k in keys else None for k in got] == expected_order


async def test_string_order_is_utf16_code_units(db):
    keys = ["\uffff", "😀", "a", "Z", "é"]
    await db.kv.bulk_put(keys, keys)
    assert await db.kv.to_collection().primary_keys() == ["Z", "a", "é", "😀", "\uffff"]


async def test_array_key_order(db):
    keys = [["a"], [2], [1, 0], [1], [[]], [1, "a"]]
    await db.kv.bulk_put(list(range(6)), keys)
    assert await db.kv.to_collection().primary_keys() == [[1], [1, 0], [1, "a"], [2], ["a"], [[]]]


async def test_date_index_range(db):
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    await db.items.bulk_put(
        [{"id": i, "code": str(i), "category": base + dt.timedelta(days=i)} for i in range(5)]
    )
    coll = db.items.where("category").between(
        base + dt.timedelta(days=1), base + dt.timedelta(days=3)
    )
    assert await coll.primary_keys() == [1, 2]


async def test_numbers_ints_and_floats_mix(db):
    await db.kv.bulk_put(["a", "b", "c"], [2, 1.5, -3])
    assert await db.kv.to_collection().primary_keys() == [-3, 1.5, 2]
    assert await db.kv.get(2.0) == "a"


async def test_reverse_where(friends):
    assert await ids(friends.friends.where("age").above(20).reverse()) == [6, 3, 1, 4, 2]


async def test_order_by(friends):
    assert await ids(friends.friends.order_by("age")) == [5, 2, 4, 1, 3, 6]


async def test_order_by_unindexed_fails(friends):
    with pytest.raises(SchemaError):
        await friends.friends.order_by("nope").to_array()


async def test_multi_entry_starts_with(friends):
    assert await ids(friends.friends.where("tags").starts_with("a").distinct()) == [1, 4]


async def test_compound_with_dates(db):
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    await db.items.bulk_put(
        [
            {
                "id": i,
                "code": str(i),
                "category": "c" if i % 2 else "d",
                "price": base + dt.timedelta(hours=i),
            }
            for i in range(6)
        ]
    )
    coll = db.items.where("[category+price]").between(
        ["c", base], ["c", base + dt.timedelta(hours=4)]
    )
    assert await coll.primary_keys() == [1, 3]
    assert (await coll.first())["price"] == base + dt.timedelta(hours=1)


async def test_prefix_of_compound_where_dict(db):
    await db.items.bulk_put(
        [{"id": i, "code": str(i), "category": i % 2, "price": i} for i in range(6)]
    )
    assert await db.items.where({"category": 1}).primary_keys() == [1, 3, 5]


async def test_nested_key_path_range(friends):
    assert await ids(friends.friends.where("address.city").starts_with("O")) == [1, 3]
