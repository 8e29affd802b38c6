"""Transactions: joining, nesting, abort, read-only, premature commit."""

import asyncio

import pytest

from app.db.errors import (
    AbortError,
    ConstraintError,
    InvalidTableError,
    PrematureCommitError,
    ReadOnlyError,
    SubTransactionError,
)

RUN_IN_BROWSER = True


async def test_plain_awaits_join_transaction(db):
    async with db.transaction("rw", db.friends, db.items) as tx:
        fid = await db.friends.add({"name": "a"})
        await db.items.add({"id": "x", "code": "c", "friend": fid})
        assert await db.friends.count() == 1
        assert tx.active
    assert await db.items.get("x") == {"id": "x", "code": "c", "friend": 1}


async def test_exception_aborts_everything(db):
    with pytest.raises(RuntimeError):
        async with db.transaction("rw", db.friends, db.items):
            await db.friends.add({"name": "a"})
            await db.items.add({"id": "x", "code": "c"})
            raise RuntimeError("boom")
    assert await db.friends.count() == 0
    assert await db.items.count() == 0


async def test_abort_restores_previous_values(friends):
    with pytest.raises(ValueError):
        async with friends.transaction("rw", friends.friends):
            await friends.friends.update(1, {"name": "changed"})
            await friends.friends.delete(2)
            await friends.friends.clear()
            raise ValueError
    assert (await friends.friends.get(1))["name"] == "Alice"
    assert await friends.friends.count() == 6
    assert await friends.friends.where("name").equals("bob").count() == 1


async def test_abort_reverts_auto_increment(db):
    with pytest.raises(ValueError):
        async with db.transaction("rw", db.friends):
            await db.friends.add({"name": "a"})
            raise ValueError
    assert await db.friends.add({"name": "b"}) == 1


async def test_explicit_abort(db):
    with pytest.raises(AbortError):
        async with db.transaction("rw", db.friends) as tx:
            await db.friends.add({"name": "a"})
            tx.abort()
            await db.friends.add({"name": "b"})
    assert await db.friends.count() == 0


async def test_uncaught_constraint_error_aborts(db):
    await db.items.add({"id": 1, "code": "a"})
    with pytest.raises(ConstraintError):
        async with db.transaction("rw", db.items):
            await db.items.add({"id": 2, "code": "b"})
            await db.items.add({"id": 1, "code": "c"})
    assert await db.items.count() == 1


async def test_caught_error_does_not_abort(db):
    await db.items.add({"id": 1, "code": "a"})
    async with db.transaction("rw", db.items):
        await db.items.add({"id": 2, "code": "b"})
        with pytest.raises(ConstraintError):
            await db.items.add({"id": 1, "code": "c"})
        await db.items.add({"id": 3, "code": "d"})
    assert await db.items.count() == 3


async def test_read_only_rejects_writes(db):
    with pytest.raises(ReadOnlyError):
        async with db.transaction("r", db.friends):
            await db.friends.add({"name": "a"})
    assert await db.friends.count() == 0


async def test_read_only_reads(friends):
    async with friends.transaction("r", friends.friends):
        assert await friends.friends.count() == 6
        assert (await friends.friends.get(1))["name"] == "Alice"


async def test_table_outside_scope_raises(db):
    with pytest.raises(InvalidTableError):
        async with db.transaction("rw", db.friends):
            await db.items.count()


async def test_nested_subset_reuses_parent(db):
    async with db.transaction("rw", db.friends, db.items) as outer:
        async with db.transaction("r", db.friends) as inner:
            assert inner is outer
            await db.friends.count()
        async with db.transaction("rw", db.items):
            await db.items.add({"id": 1, "code": "a"})
    assert await db.items.count() == 1


async def test_nested_wider_scope_raises(db):
    with pytest.raises(SubTransactionError):
        async with db.transaction("rw", db.friends):
            async with db.transaction("rw", db.friends, db.items):
                pass


async def test_nested_stronger_mode_raises(db):
    with pytest.raises(SubTransactionError):
        async with db.transaction("r", db.friends):
            async with db.transaction("rw", db.friends):
                pass


async def test_nested_exception_aborts_outer(db):
    with pytest.raises(KeyError):
        async with db.transaction("rw", db.friends):
            await db.friends.add({"name": "a"})
            async with db.transaction("rw", db.friends):
                await db.friends.add({"name": "b"})
                raise KeyError("x")
    assert await db.friends.count() == 0


async def test_helper_coroutines_join(db):
    async def add_two():
        await db.friends.add({"name": "a"})
        await db.friends.add({"name": "b"})

    with pytest.raises(RuntimeError):
        async with db.transaction("rw", db.friends):
            await add_two()
            raise RuntimeError
    assert await db.friends.count() == 0


async def test_premature_commit_on_sleep(db):
    with pytest.raises(PrematureCommitError):
        async with db.transaction("rw", db.friends):
            await db.friends.add({"name": "a"})
            await asyncio.sleep(0)
            await db.friends.add({"name": "b"})
    # IndexedDB committed what was done before the foreign await
    assert await db.friends.count() == 1


async def test_premature_commit_detected_at_end(db):
    with pytest.raises(PrematureCommitError):
        async with db.transaction("rw", db.friends):
            await db.friends.add({"name": "a"})
            await asyncio.sleep(0.001)


async def test_premature_commit_on_future(db):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_soon(fut.set_result, 1)
    with pytest.raises(PrematureCommitError):
        async with db.transaction("rw", db.friends):
            await fut
            await db.friends.add({"name": "a"})


async def test_transaction_with_body_function(db):
    async def body():
        await db.friends.add({"name": "a"})
        return await db.friends.count()

    assert await db.transaction("rw", db.friends, body) == 1


async def test_transaction_table_names_as_strings(db):
    async with db.transaction("rw", "friends", "items") as tx:
        await tx.friends.add({"name": "x"})
        await tx.table("items").add({"id": 1, "code": "c"})
    assert await db.items.count() == 1


async def test_readwrite_alias_modes(db):
    async with db.transaction("readwrite", db.friends):
        await db.friends.add({"name": "a"})
    async with db.transaction("readonly", db.friends):
        assert await db.friends.count() == 1


async def test_bad_mode_rejected(db):
    with pytest.raises(ValueError):
        db.transaction("x", db.friends)


async def test_concurrent_implicit_operations(db):
    await asyncio.gather(*(db.items.add({"id": i, "code": str(i)}) for i in range(10)))
    assert await db.items.count() == 10


async def test_task_started_outside_does_not_join(db):
    async with db.transaction("rw", db.friends):
        await db.friends.add({"name": "a"})
    await db.items.add({"id": "o", "code": "o"})
    assert await db.items.count() == 1


async def test_many_operations_in_one_transaction(db):
    async with db.transaction("rw", db.items):
        for i in range(200):
            await db.items.put({"id": i, "code": str(i)})
            assert (await db.items.get(i))["id"] == i
    assert await db.items.count() == 200


async def test_upsert_and_bulk_update_inside_transaction(db):
    async with db.transaction("rw", db.items):
        await db.items.upsert(1, {"code": "a"})
        await db.items.bulk_update([{"key": 1, "changes": {"x": 2}}])
    assert await db.items.get(1) == {"id": 1, "code": "a", "x": 2}


async def test_collection_ops_join_transaction(friends):
    with pytest.raises(RuntimeError):
        async with friends.transaction("rw", friends.friends):
            await friends.friends.where("age").below(30).modify({"age": 0})
            await friends.friends.where("name").equals("Alice").delete()
            raise RuntimeError
    assert await friends.friends.where("age").equals(0).count() == 0
    assert await friends.friends.count() == 6


async def test_gather_of_database_operations_inside_transaction(db):
    async with db.transaction("rw", db.items):
        keys = await asyncio.gather(*(db.items.add({"id": i, "code": str(i)}) for i in range(5)))
        assert keys == [0, 1, 2, 3, 4]
        assert await db.items.count() == 5
        got = await asyncio.gather(db.items.get(1), db.items.get(2))
        assert [g["id"] for g in got] == [1, 2]
        await db.items.put({"id": 9, "code": "9"})
    assert await db.items.count() == 6


async def test_gather_rolls_back_together(db):
    with pytest.raises(RuntimeError):
        async with db.transaction("rw", db.items):
            await asyncio.gather(
                db.items.add({"id": 1, "code": "a"}), db.items.add({"id": 2, "code": "b"})
            )
            raise RuntimeError
    assert await db.items.count() == 0


def _kept() -> int | None:
    """IndexedDB transactions the JavaScript helper holds for Python (None in CPython)."""
    import sys

    if sys.platform != "emscripten":
        return None
    from app.db._idb.bridge import helper

    return int(helper().kept())


async def test_finished_transactions_are_let_go(friends):
    """Every kind of transaction ends without leaving its IndexedDB transaction held:
    single gets (found, missing, in a failed implicit read), explicit read and write
    transactions, a cursor read, an aborted and a prematurely committed one."""
    db = friends
    await db.friends.get(1)
    before = _kept()
    assert (await db.friends.get(1))["name"] == "Alice"
    assert await db.friends.get(999) is None
    async with db.transaction("r", db.friends):
        assert await db.friends.get(2) is not None
        assert await db.friends.where("age").above(30).count() == 3
    names: list[str] = []
    await db.friends.to_collection().each(lambda f: names.append(f["name"]))
    assert len(names) == 6
    async with db.transaction("rw", db.friends):
        await db.friends.put({"id": 1, "name": "Alicia", "age": 31, "tags": []})
    with pytest.raises(ValueError):
        async with db.transaction("r", db.friends):
            await db.friends.get(1)
            raise ValueError("boom")
    with pytest.raises(PrematureCommitError):
        async with db.transaction("r", db.friends):
            await db.friends.get(1)
            await asyncio.sleep(0.001)
            await db.friends.get(2)
    with pytest.raises(InvalidTableError):
        await db.table("nope").get(1)
    assert (await db.friends.get(1))["name"] == "Alicia"
    assert _kept() == before
