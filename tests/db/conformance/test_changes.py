"""db.on("changes"): once per committed transaction, never before commit or for aborts."""

import pytest

RUN_IN_BROWSER = True


@pytest.fixture
async def feed(db):
    batches = []
    db.on("changes", lambda changes: batches.append(changes))
    return db, batches


async def test_create_change(feed):
    db, batches = feed
    await db.friends.add({"name": "a"})
    assert len(batches) == 1
    (c,) = batches[0]
    assert (c.table, c.key, c.type, c.old, c.new) == (
        "friends",
        1,
        "create",
        None,
        {"name": "a", "id": 1},
    )


async def test_update_change_has_old_and_new(feed):
    db, batches = feed
    await db.items.put({"id": 1, "code": "a"})
    await db.items.put({"id": 1, "code": "b"})
    c = batches[1][0]
    assert (
        c.type == "update" and c.old == {"id": 1, "code": "a"} and c.new == {"id": 1, "code": "b"}
    )


async def test_delete_change(feed):
    db, batches = feed
    await db.items.put({"id": 1, "code": "a"})
    await db.items.delete(1)
    c = batches[1][0]
    assert (c.type, c.key, c.old, c.new) == ("delete", 1, {"id": 1, "code": "a"}, None)


async def test_delete_of_missing_key_emits_nothing(feed):
    db, batches = feed
    await db.items.delete(42)
    assert batches == [] or batches == [[]]


async def test_one_call_per_transaction(feed):
    db, batches = feed
    async with db.transaction("rw", db.friends, db.items):
        await db.friends.add({"name": "a"})
        await db.items.add({"id": 1, "code": "c"})
        assert batches == []  # never before commit
    assert len(batches) == 1
    assert [(c.table, c.type) for c in batches[0]] == [("friends", "create"), ("items", "create")]


async def test_aborted_transaction_emits_nothing(feed):
    db, batches = feed
    with pytest.raises(RuntimeError):
        async with db.transaction("rw", db.friends):
            await db.friends.add({"name": "a"})
            raise RuntimeError
    assert batches == []


async def test_bulk_and_clear_changes(feed):
    db, batches = feed
    await db.items.bulk_put([{"id": i, "code": str(i)} for i in range(3)])
    await db.items.clear()
    assert [c.type for c in batches[0]] == ["create"] * 3
    assert sorted(c.key for c in batches[1]) == [0, 1, 2]
    assert {c.type for c in batches[1]} == {"delete"}


async def test_modify_changes(feed):
    db, batches = feed
    await db.items.bulk_put([{"id": i, "code": str(i), "category": 1} for i in range(3)])
    await db.items.where("category").equals(1).modify({"category": 2})
    assert [(c.key, c.type, c.old["category"], c.new["category"]) for c in batches[1]] == [
        (0, "update", 1, 2),
        (1, "update", 1, 2),
        (2, "update", 1, 2),
    ]


async def test_failed_bulk_items_not_reported(feed):
    db, batches = feed
    await db.items.add({"id": 1, "code": "a"})
    with pytest.raises(Exception):  # noqa: B017
        await db.items.bulk_add([{"id": 1, "code": "x"}, {"id": 2, "code": "y"}])
    assert [(c.key, c.type) for c in batches[1]] == [(2, "create")]


async def test_unsubscribe(db):
    batches = []
    off = db.on("changes", batches.append)
    await db.items.add({"id": 1, "code": "a"})
    off()
    await db.items.add({"id": 2, "code": "b"})
    assert len(batches) == 1


async def test_outbound_changes(feed):
    db, batches = feed
    await db.kv.put("v1", "k")
    await db.kv.put("v2", "k")
    assert [(c.key, c.type, c.old, c.new) for b in batches for c in b] == [
        ("k", "create", None, "v1"),
        ("k", "update", "v1", "v2"),
    ]


async def test_a_write_of_more_rows_than_a_batch_has_every_change(feed):
    from app.db._observe import BATCH_KEYS

    db, batches = feed
    await db.friends.bulk_add([{"name": f"n{i}"} for i in range(BATCH_KEYS + 1)])
    await db.friends.bulk_put([{"id": 1, "name": "again"}, {"id": BATCH_KEYS + 2, "name": "new"}])
    first, second = batches
    assert [c.type for c in first] == ["create"] * (BATCH_KEYS + 1)
    assert [(c.type, c.old, c.new) for c in second] == [
        ("update", {"id": 1, "name": "n0"}, {"id": 1, "name": "again"}),
        ("create", None, {"id": BATCH_KEYS + 2, "name": "new"}),
    ]
