"""The replica against the real server app: first sync, merge, sessions, recovery."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import update

from app.server._schema import clients, users
from app.server._schema import records as server_records
from app.sync._api import ApiError
from app.sync._protocol import MAX_DRIFT_MS
from app.sync._replica import Progress, SignedOutError, UpgradeRequiredError
from app.sync._state import LINK, WRITER
from tests.sync._server import Device, records_of, server_app


@pytest.fixture
async def app(tmp_path: Any) -> AsyncIterator[Any]:
    async with server_app(tmp_path, "ana", "bob", open_registration=True) as running:
        yield running


@pytest.fixture
async def device(app: Any) -> AsyncIterator[Any]:
    made: list[Device] = []

    async def make(**kwargs: Any) -> Device:
        made.append(await Device(app, **kwargs).open())
        return made[-1]

    yield make
    for d in made:
        await d.close()


async def test_the_first_sync_pushes_the_library_and_never_replaces_it(device: Any) -> None:
    laptop, phone = await device(), await device()
    await laptop.db.notes.bulk_put([{"id": f"l{i}", "title": f"laptop {i}"} for i in range(2500)])
    await laptop.db.keys.put({"id": "k1", "name": "OpenAI", "secret": "sk-laptop"})
    await laptop.db.notes.put({"id": "gone", "title": "deleted before syncing"})
    await laptop.db.notes.delete("gone")
    await phone.db.notes.put({"id": "p1", "title": "phone's own"})
    await laptop.sign_in("ana")
    await laptop.sync()
    await phone.sign_in("ana")
    await phone.sync()
    await laptop.sync()
    laptop_notes, phone_notes = await records_of(laptop.db), await records_of(phone.db)
    assert len(phone_notes) == 2501 and phone_notes == laptop_notes
    assert phone_notes["p1"]["title"] == "phone's own"
    assert "gone" not in phone_notes
    assert await phone.db.keys.get("k1") == {"id": "k1", "name": "OpenAI"}
    assert await laptop.replica.pending() == 0 and await phone.replica.pending() == 0


async def test_concurrent_edits_of_different_fields_both_survive(device: Any) -> None:
    a, b = await device(), await device()
    await a.db.notes.put({"id": "n", "title": "Aria", "body": "A bard."})
    await a.sign_in("ana")
    await a.sync()
    await b.sign_in("ana")
    await b.sync()
    await a.db.notes.update("n", {"title": "Aria the Bold"})
    await b.db.notes.update("n", {"body": "A bard from the north."})
    await a.sync()
    await b.sync()
    await a.sync()
    expected = {"id": "n", "title": "Aria the Bold", "body": "A bard from the north."}
    assert await a.db.notes.get("n") == await b.db.notes.get("n") == expected


async def test_the_later_write_of_one_field_wins_everywhere(device: Any) -> None:
    now = [time.time_ns() // 1_000_000]
    a, b = await device(now_ms=lambda: now[0]), await device(now_ms=lambda: now[0])
    for d in (a, b):
        await d.sign_in("ana")
    await a.db.notes.put({"id": "n", "title": "first"})
    now[0] += 10
    await b.db.notes.put({"id": "n", "title": "second"})
    for d in (b, a, b):
        await d.sync()
    assert (await a.db.notes.get("n"))["title"] == (await b.db.notes.get("n"))["title"] == "second"


async def test_deletes_and_undeletes_reach_other_devices(device: Any) -> None:
    a, b = await device(), await device()
    for d in (a, b):
        await d.sign_in("ana")
    await a.db.notes.put({"id": "n", "title": "t", "body": "b"})
    await a.sync()
    await b.sync()
    assert await b.db.notes.get("n") is not None
    await b.db.notes.delete("n")
    await b.sync()
    await a.sync()
    assert await a.db.notes.get("n") is None
    assert (await a.db.sync_meta.get(["notes", "n"]))["deleted"] is True
    await a.db.notes.put({"id": "n", "title": "back"})
    await a.sync()
    await b.sync()
    # the put replaced the whole record: its missing field is null everywhere
    assert await b.db.notes.get("n") == await a.db.notes.get("n") == {
        "id": "n", "title": "back", "body": None}


async def test_an_edit_of_a_record_deleted_elsewhere_stays_in_its_tombstone(device: Any) -> None:
    a, b = await device(), await device()
    for d in (a, b):
        await d.sign_in("ana")
    await a.db.notes.put({"id": "n", "title": "t"})
    await a.sync()
    await b.sync()
    await a.db.notes.delete("n")
    await b.db.notes.update("n", {"title": "edited offline"})  # after the delete
    await a.sync()
    await b.sync()
    await a.sync()
    # the delete's field and the edit's field are different fields: both survive, and
    # the record stays deleted on both (its tombstone holds the newer title)
    for d in (a, b):
        assert await d.db.notes.get("n") is None
        meta = await d.db.sync_meta.get(["notes", "n"])
        assert meta["values"]["title"] == "edited offline"


async def test_device_only_fields_stay_when_the_record_changes_elsewhere(device: Any) -> None:
    a, b = await device(), await device()
    for d in (a, b):
        await d.sign_in("ana")
    await a.db.keys.put({"id": "k", "name": "OpenAI", "secret": "sk-a"})
    await a.sync()
    await b.sync()
    await b.db.keys.put({"id": "k", "name": "OpenAI (work)", "secret": "sk-b"})
    await b.sync()
    await a.sync()
    assert await a.db.keys.get("k") == {"id": "k", "name": "OpenAI (work)", "secret": "sk-a"}
    assert await b.db.keys.get("k") == {"id": "k", "name": "OpenAI (work)", "secret": "sk-b"}


async def test_signing_out_keeps_the_library_and_what_was_written_meanwhile(device: Any) -> None:
    a, b = await device(), await device()
    for d in (a, b):
        await d.sign_in("ana")
    await a.db.notes.put({"id": "n1", "title": "before"})
    await a.sync()
    await a.replica.sign_out()
    with pytest.raises(SignedOutError):
        await a.sync()
    await a.db.notes.put({"id": "n2", "title": "while signed out"})
    assert await a.db.notes.count() == 2
    assert await a.replica.pending() == 1
    link = await a.db.sync_state.get(LINK)
    assert link["token"] is None and link["cursor"] > 0
    await a.sign_in("ana")
    await a.sync()
    await b.sync()
    assert set(await records_of(b.db)) == {"n1", "n2"}


async def test_a_session_the_server_ended_signs_the_device_out(device: Any, app: Any) -> None:
    a = await device()
    await a.sign_in("ana")
    link = await a.db.sync_state.get(LINK)
    await app.state.server.accounts.close_session(link["token"])
    await a.db.notes.put({"id": "n", "title": "kept"})
    with pytest.raises(SignedOutError):
        await a.sync()
    assert (await a.db.sync_state.get(LINK))["token"] is None
    assert await a.replica.pending() == 1


async def test_another_account_gets_a_new_client_id_and_the_whole_library(device: Any) -> None:
    a, reader = await device(), await device()
    await a.db.notes.put({"id": "n1", "title": "mine"})
    await a.sign_in("ana")
    await a.sync()
    first_client = (await a.db.sync_state.get(WRITER))["client_id"]
    await a.replica.sign_out()
    await a.sign_in("bob")
    assert (await a.db.sync_state.get(WRITER))["client_id"] != first_client
    await a.sync()
    await reader.sign_in("bob")
    await reader.sync()
    assert set(await records_of(reader.db)) == {"n1"}


async def test_a_rejected_change_is_shown_and_the_queue_moves_on(device: Any) -> None:
    a, b = await device(), await device()
    for d in (a, b):
        await d.sign_in("ana")
    await a.db.notes.put({"id": "huge", "body": "x" * (5 * 1024 * 1024 + 10)})
    await a.db.notes.put({"id": "after", "title": "still synced"})
    await a.sync()
    rejected = await a.replica.rejected()
    assert [(r["table"], r["id"]) for r in rejected] == [("notes", "huge")]
    assert "5242880 bytes" in rejected[0]["reason"]
    assert await a.replica.pending() == 0
    await b.sync()
    assert set(await records_of(b.db)) == {"after"}
    assert (await a.db.notes.get("huge")) is not None  # kept locally
    await a.replica.dismiss_rejected()
    assert await a.replica.rejected() == []


async def test_a_server_restored_from_a_backup_gets_everything_again(device: Any,
                                                                    app: Any) -> None:
    a, b = await device(), await device()
    for d in (a, b):
        await d.sign_in("ana")
    await a.db.notes.bulk_put([{"id": f"n{i}", "title": "t"} for i in range(3)])
    await a.sync()
    await a.db.notes.put({"id": "n9", "title": "t"})
    await a.sync()
    async with app.state.server.db.write() as conn:  # the backup predates the last push
        await conn.execute(update(clients).values(last_seq=1))
        await conn.execute(update(users).values(change_seq=3))
        await conn.execute(server_records.delete().where(server_records.c.rid == "n9"))
    await a.db.notes.put({"id": "n10", "title": "t"})
    await a.sync()  # a sequence gap: fill it and push the library again
    await a.sync()
    await b.sync()
    assert set(await records_of(b.db)) == {"n0", "n1", "n2", "n9", "n10"}


async def test_a_purged_tombstone_resets_the_cursor_without_losing_local_data(
        device: Any, app: Any) -> None:
    a, b = await device(), await device()
    for d in (a, b):
        await d.sign_in("ana")
    await a.db.notes.bulk_put([{"id": "keep", "title": "k"}, {"id": "gone", "title": "g"}])
    await a.sync()
    await b.sync()
    await a.db.notes.delete("gone")
    await a.sync()
    await b.db.notes.put({"id": "offline", "title": "written while behind"})
    await app.state.server.records.purge_tombstones(time.time_ns() // 1_000_000 + 1)
    await b.sync()  # its cursor is older than the purge: reset, pull from 0, push all
    assert set(await records_of(b.db)) == {"keep", "gone", "offline"}
    await a.sync()
    assert set(await records_of(a.db)) == {"keep", "offline"}


async def test_a_clock_far_ahead_is_repaired_and_the_edit_still_syncs(device: Any) -> None:
    ahead = [3_600_000]  # this device's clock runs an hour fast

    def skewed() -> int:
        return time.time_ns() // 1_000_000 + ahead[0]

    fast, other = await device(now_ms=skewed), await device()
    for d in (fast, other):
        await d.sign_in("ana")
    await fast.db.notes.put({"id": "n", "title": "from the future"})
    await fast.sync()
    await other.sync()
    assert (await other.db.notes.get("n"))["title"] == "from the future"
    writer = await fast.db.sync_state.get(WRITER)
    assert abs(writer["offset_ms"] + ahead[0]) < 60_000
    meta = await fast.db.sync_meta.get(["notes", "n"])
    assert int(meta["base"][:15]) < time.time_ns() // 1_000_000 + MAX_DRIFT_MS
    await fast.db.notes.put({"id": "n", "title": "later"})  # new writes use the corrected clock
    await fast.sync()
    await other.sync()
    assert (await other.db.notes.get("n"))["title"] == "later"


async def test_upgrade_required_stops_syncing_and_keeps_the_outbox(device: Any) -> None:
    a = await device()
    await a.sign_in("ana")
    await a.db.notes.put({"id": "n"})
    original = a.replica.api

    async def old_client() -> Any:
        api = await original()
        api.schema_version = 99
        return api

    a.replica.api = old_client  # type: ignore[method-assign]
    with pytest.raises(UpgradeRequiredError):
        await a.sync()
    assert await a.replica.pending() == 1


async def test_progress_is_reported_for_a_large_first_sync(device: Any) -> None:
    seen: list[Progress] = []
    a = await device()
    await a.db.notes.bulk_put([{"id": f"n{i:05d}", "title": "t"} for i in range(3200)])
    a.replica.on_progress = seen.append
    await a.sign_in("ana")
    await a.sync()
    pushes = [p for p in seen if p.phase == "push"]
    assert pushes[-1].done == pushes[-1].total == 3200
    assert [p.done for p in pushes] == sorted(p.done for p in pushes)
    seen.clear()
    b = await device()
    b.replica.page_size = 1000
    b.replica.on_progress = seen.append
    await b.sign_in("ana")
    await b.sync()
    pulls = [p for p in seen if p.phase == "pull"]
    assert [p.done for p in pulls] == [1000, 2000, 3000, 3200]
    assert {p.total for p in pulls} == {3200}


async def test_wrong_password_is_an_error_and_links_nothing(device: Any) -> None:
    a = await device()
    with pytest.raises(ApiError) as caught:
        await a.sign_in("ana", "wrong password")
    assert caught.value.status == 401
    assert await a.db.sync_state.get(LINK) is None
    await a.db.notes.put({"id": "n"})
    assert await a.db.sync_outbox.count() == 0
