"""The outbox layer: every change to a synced table, recorded in the same transaction."""

from __future__ import annotations

from typing import Any

import pytest

from app.sync._hlc import parse_hlc
from app.sync._outbox import MAX_BATCH_CHANGES, UnsyncableValueError, applying_pulled_changes
from app.sync._state import WRITER
from tests.sync._library import start_recording

RUN_IN_BROWSER = True


async def outbox(db: Any) -> list[dict[str, Any]]:
    return await db.table("sync_outbox").to_array()


async def changes(db: Any) -> list[dict[str, Any]]:
    return [c for row in await outbox(db) for c in row["changes"]]


@pytest.fixture
async def lib(make_library: Any) -> Any:
    db = make_library()
    await db.open()
    await start_recording(db)
    return db


async def test_nothing_is_recorded_before_a_sync_target_exists(make_library: Any) -> None:
    db = make_library()
    await db.open()
    await db.notes.put({"id": "n1", "title": "Hi"})
    await db.notes.delete("n1")
    assert await outbox(db) == []
    assert await db.sync_meta.count() == 0
    assert await db.sync_state.get(WRITER) is None


async def test_a_new_record_is_recorded_with_one_clock(lib: Any) -> None:
    await lib.notes.put({"id": "n1", "title": "Hi", "body": "text"})
    rows = await outbox(lib)
    assert len(rows) == 1
    (change,) = rows[0]["changes"]
    assert change["table"] == "notes" and change["id"] == "n1"
    assert set(change["fields"]) == {"title", "body"}
    (hlc,) = {h for _v, h in change["fields"].values()}
    writer = await lib.sync_state.get(WRITER)
    assert parse_hlc(hlc)[2] == writer["client_id"]
    assert writer["clock"] == hlc
    meta = await lib.sync_meta.get(["notes", "n1"])
    assert meta == {"table": "notes", "id": "n1", "base": hlc, "f": {}}


async def test_an_update_records_only_the_fields_it_changed(lib: Any) -> None:
    await lib.notes.put({"id": "n1", "title": "Hi", "body": "text", "tags": ["a"]})
    await lib.notes.put({"id": "n1", "title": "Hi", "body": "new text", "tags": ["a"]})
    await lib.notes.put({"id": "n1", "title": "Hi", "body": "new text", "tags": ["a"]})
    await lib.notes.update("n1", {"tags": ["a", "b"]})
    recorded = await changes(lib)
    assert [sorted(c["fields"]) for c in recorded] == [["body", "tags", "title"], ["body"],
                                                       ["tags"]]
    first, second, third = (c["fields"] for c in recorded)
    assert first["title"][1] < second["body"][1] < third["tags"][1]
    meta = await lib.sync_meta.get(["notes", "n1"])
    assert meta["base"] == first["title"][1]
    assert meta["f"] == {"body": second["body"][1], "tags": third["tags"][1]}


async def test_one_and_true_are_different_values(lib: Any) -> None:
    await lib.notes.put({"id": "n1", "flag": 1})
    await lib.notes.put({"id": "n1", "flag": True})
    assert [c["fields"]["flag"][0] for c in await changes(lib)] == [1, True]


async def test_device_only_fields_never_reach_the_outbox(lib: Any) -> None:
    await lib.keys.put({"id": "k1", "name": "OpenAI", "secret": "sk-123"})
    await lib.keys.put({"id": "k1", "name": "OpenAI", "secret": "sk-456"})
    recorded = await changes(lib)
    assert [c["fields"] for c in recorded] == [{"name": ["OpenAI", recorded[0]["fields"]["name"][1]]}]
    assert "sk-" not in repr(await lib.sync_meta.to_array())
    assert (await lib.keys.get("k1"))["secret"] == "sk-456"


async def test_a_delete_leaves_a_tombstone_out_of_sight(lib: Any) -> None:
    await lib.notes.put({"id": "n1", "title": "Hi"})
    await lib.notes.delete("n1")
    await lib.notes.delete("never-there")
    assert await lib.notes.get("n1") is None
    recorded = await changes(lib)
    assert recorded[-1]["fields"]["_deleted"][0] is True
    assert len(recorded) == 2
    meta = await lib.sync_meta.get(["notes", "n1"])
    assert meta["deleted"] is True and meta["values"] == {"title": "Hi"}
    assert meta["f"]["_deleted"] == recorded[-1]["fields"]["_deleted"][1]


async def test_writing_a_deleted_id_again_undeletes_it(lib: Any) -> None:
    await lib.notes.put({"id": "n1", "title": "Hi", "body": "b"})
    await lib.notes.delete("n1")
    await lib.notes.put({"id": "n1", "title": "Hi", "body": "changed"})
    last = (await changes(lib))[-1]["fields"]
    assert {k: v[0] for k, v in last.items()} == {"_deleted": False, "body": "changed"}
    meta = await lib.sync_meta.get(["notes", "n1"])
    assert "deleted" not in meta and "values" not in meta


async def test_a_removed_field_syncs_as_null(lib: Any) -> None:
    await lib.notes.put({"id": "n1", "title": "Hi", "body": "b"})
    await lib.notes.put({"id": "n1", "title": "Hi"})
    assert (await changes(lib))[-1]["fields"]["body"][0] is None
    assert await lib.notes.get("n1") == {"id": "n1", "title": "Hi", "body": None}


async def test_clearing_a_table_records_every_delete(lib: Any) -> None:
    await lib.notes.bulk_put([{"id": f"n{i}", "title": str(i)} for i in range(5)])
    await lib.notes.clear()
    deleted = [c["id"] for c in await changes(lib) if "_deleted" in c["fields"]]
    assert sorted(deleted) == [f"n{i}" for i in range(5)]
    assert await lib.sync_meta.where("[table+id]").between(["notes"], ["notes", []]).count() == 5


async def test_the_outbox_rolls_back_with_the_transaction(lib: Any) -> None:
    await lib.notes.put({"id": "n0"})
    writer = await lib.sync_state.get(WRITER)
    with pytest.raises(RuntimeError):
        async with lib.transaction("rw", lib.notes):
            await lib.notes.put({"id": "n1", "title": "lost"})
            await lib.notes.delete("n0")
            raise RuntimeError("abort")
    assert len(await outbox(lib)) == 1
    assert await lib.sync_meta.get(["notes", "n1"]) is None
    assert await lib.sync_state.get(WRITER) == writer
    assert await lib.notes.get("n0") is not None


async def test_one_transaction_is_one_batch_and_batches_count_without_gaps(lib: Any) -> None:
    async with lib.transaction("rw", lib.notes, lib.keys):
        await lib.notes.put({"id": "a", "title": "A"})
        await lib.keys.put({"id": "k", "name": "K", "secret": "s"})
        await lib.notes.put({"id": "a", "title": "A2"})
    await lib.notes.put({"id": "b"})
    with pytest.raises(RuntimeError):
        async with lib.transaction("rw", lib.notes):
            await lib.notes.put({"id": "c"})
            raise RuntimeError
    await lib.notes.put({"id": "d"})
    rows = await outbox(lib)
    assert [(r["seq"], [c["id"] for c in r["changes"]]) for r in rows] == [
        (1, ["a"]), (1, ["k"]), (1, ["a"]), (2, ["b"]), (3, ["d"])]
    assert (await lib.sync_state.get(WRITER))["next_seq"] == 4


async def test_a_huge_transaction_is_split_into_batches(lib: Any) -> None:
    count = MAX_BATCH_CHANGES * 2 + 10
    await lib.notes.bulk_put([{"id": f"n{i:05d}", "title": "t"} for i in range(count)])
    rows = await outbox(lib)
    sizes: dict[int, int] = {}
    for row in rows:
        sizes[row["seq"]] = sizes.get(row["seq"], 0) + row["n"]
    assert sizes == {1: MAX_BATCH_CHANGES, 2: MAX_BATCH_CHANGES, 3: 10}


async def test_a_big_record_starts_a_new_batch(lib: Any) -> None:
    big = "x" * 600_000
    async with lib.transaction("rw", lib.notes):
        await lib.notes.put({"id": "a", "body": big})
        await lib.notes.put({"id": "b", "body": big})
        await lib.notes.put({"id": "c", "body": "small"})
    assert [(r["seq"], r["changes"][0]["id"]) for r in await outbox(lib)] == [
        (1, "a"), (2, "b"), (2, "c")]


async def test_applying_pulled_changes_records_nothing(lib: Any) -> None:
    with applying_pulled_changes():
        await lib.notes.put({"id": "n1", "title": "from the server"})
        await lib.notes.delete("n1")
    assert await outbox(lib) == []


async def test_tables_that_do_not_sync_are_left_alone(lib: Any) -> None:
    await lib.plain.put({"id": "p", "x": 1})
    assert await outbox(lib) == []
    assert await lib.sync_meta.count() == 0


async def test_a_value_json_cannot_carry_is_refused_and_nothing_is_written(lib: Any) -> None:
    with pytest.raises(UnsyncableValueError, match="notes/n1"):
        await lib.notes.put({"id": "n1", "blob": b"\x00\x01"})
    with pytest.raises(UnsyncableValueError):
        await lib.notes.put({"id": "n2", "x": float("nan")})
    assert await lib.notes.count() == 0
    assert await outbox(lib) == []


async def test_a_synced_record_needs_a_string_id(lib: Any) -> None:
    with pytest.raises(UnsyncableValueError):
        await lib.notes.put({"id": 5, "title": "numbered"})
    assert await lib.notes.count() == 0


async def test_the_clock_never_goes_back_even_if_the_wall_clock_does(make_library: Any) -> None:
    now = [2_000_000_000_000]
    db = make_library(now_ms=lambda: now[0])
    await db.open()
    await start_recording(db)
    await db.notes.put({"id": "a", "t": 1})
    now[0] -= 3_600_000  # the device clock jumps an hour back
    await db.notes.put({"id": "a", "t": 2})
    first, second = (c["fields"]["t"][1] for c in await changes(db))
    assert second > first
    assert parse_hlc(second)[0] == 2_000_000_000_000


async def test_other_tabs_hear_of_new_outbox_rows_only_after_commit(make_library: Any) -> None:
    heard: list[int] = []
    db = make_library(on_outbox=lambda: heard.append(1))
    await db.open()
    await start_recording(db)
    async with db.transaction("rw", db.notes):
        await db.notes.put({"id": "a"})
        await db.notes.put({"id": "b"})
        assert heard == []
    assert heard == [1]
    with pytest.raises(RuntimeError):
        async with db.transaction("rw", db.notes):
            await db.notes.put({"id": "c"})
            raise RuntimeError
    await db.plain.put({"id": "p"})
    assert heard == [1]
