"""Push and pull as SYNC.md fixes them, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from app.sync._protocol import MAX_DRIFT_MS
from tests.server._support import hlc

NOW = time.time_ns() // 1_000_000


def change(table: str, rid: str, **fields: tuple[Any, str]) -> dict[str, Any]:
    return {"table": table, "id": rid, "fields": {k: list(v) for k, v in fields.items()}}


def batch(seq: int, *changes: dict[str, Any]) -> dict[str, Any]:
    return {"seq": seq, "changes": list(changes)}


async def test_push_then_pull_returns_fields_with_their_clocks(make_api: Any) -> None:
    api = await make_api()
    response = await api.push([batch(1, change("characters", "c1", name=("Aria", hlc(NOW)),
                                                description=("A bard", hlc(NOW))))])
    assert response.status_code == 200
    body = response.json()
    assert body["last_seq"] == 1
    assert abs(body["server_time_ms"] - time.time_ns() // 1_000_000) < 60_000
    pulled = (await api.pull()).json()
    assert pulled["changes"] == [{"table": "characters", "id": "c1", "fields": {
        "name": ["Aria", hlc(NOW)], "description": ["A bard", hlc(NOW)]}}]
    assert pulled["has_more"] is False
    assert pulled["cursor"] > 0


async def test_each_field_keeps_the_value_with_the_greater_clock(make_api: Any) -> None:
    api = await make_api()
    await api.push([batch(1, change("characters", "c1", name=("Old", hlc(NOW, 0, "b")),
                                    mood=("calm", hlc(NOW, 5, "a"))))], client_id="a")
    # a concurrent edit from another device: a later name, an older mood, a new field
    await api.push([batch(1, change("characters", "c1", name=("New", hlc(NOW, 1, "a")),
                                    mood=("angry", hlc(NOW, 4, "b")),
                                    scenario=("tavern", hlc(NOW, 0, "b"))))], client_id="b")
    records, _ = await api.pull_all()
    assert records[("characters", "c1")] == {
        "name": ["New", hlc(NOW, 1, "a")], "mood": ["calm", hlc(NOW, 5, "a")],
        "scenario": ["tavern", hlc(NOW, 0, "b")]}


async def test_equal_clocks_are_one_write(make_api: Any) -> None:
    api = await make_api()
    await api.push([batch(1, change("notes", "n", text=("first", hlc(NOW))))])
    _, cursor = await api.pull_all()
    await api.push([batch(2, change("notes", "n", text=("first", hlc(NOW))))])
    assert (await api.pull(cursor)).json()["changes"] == []


async def test_a_batch_pushed_twice_is_acknowledged_and_applied_once(make_api: Any) -> None:
    api = await make_api()
    first = batch(1, change("notes", "n", text=("one", hlc(NOW))))
    assert (await api.push([first])).json()["last_seq"] == 1
    _, cursor = await api.pull_all()
    # a later write from elsewhere, then the old batch again (a retried request)
    await api.push([batch(1, change("notes", "n", text=("two", hlc(NOW + 1))))], client_id="x")
    again = await api.push([first, batch(2, change("notes", "m", text=("new", hlc(NOW))))])
    assert again.status_code == 200
    assert again.json()["last_seq"] == 2
    records, _ = await api.pull_all()
    assert records[("notes", "n")]["text"][0] == "two"
    assert ("notes", "m") in records
    assert (await api.push([first])).json()["last_seq"] == 2  # nothing new: still acknowledged
    assert cursor > 0


async def test_a_batch_after_a_gap_is_refused_with_the_expected_seq(make_api: Any) -> None:
    api = await make_api()
    await api.push([batch(1, change("notes", "a", text=("a", hlc(NOW))))])
    response = await api.push([batch(2, change("notes", "b", text=("b", hlc(NOW)))),
                               batch(4, change("notes", "d", text=("d", hlc(NOW))))])
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "sequence_gap"
    assert error["expected_seq"] == 3
    records, _ = await api.pull_all()
    assert set(records) == {("notes", "a")}  # nothing of the refused push was applied


async def test_a_client_id_belongs_to_the_first_user_that_pushed_it(make_api: Any) -> None:
    ana, bob = await make_api(), await make_api()
    await ana.push([batch(1, change("notes", "a", text=("ana's", hlc(NOW))))], client_id="dev1")
    response = await bob.push([batch(2, change("notes", "a", text=("bob's", hlc(NOW + 1))))],
                              client_id="dev1")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert (await bob.pull()).json()["changes"] == []
    records, _ = await ana.pull_all()
    assert records[("notes", "a")]["text"][0] == "ana's"


async def test_a_clock_too_far_ahead_refuses_the_whole_push(make_api: Any) -> None:
    api = await make_api()
    ahead = time.time_ns() // 1_000_000 + MAX_DRIFT_MS + 60_000
    response = await api.push([
        batch(1, change("notes", "fine", text=("ok", hlc(NOW)))),
        batch(2, change("notes", "skewed", text=("ok", hlc(NOW)), title=("late", hlc(ahead))))])
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["table"], error["id"], error["field"]) == (
        "clock_drift", "notes", "skewed", "title")
    assert (await api.pull()).json()["changes"] == []
    # within the allowed drift is fine; the seq was not used up by the refused push
    within = time.time_ns() // 1_000_000 + MAX_DRIFT_MS - 60_000
    ok = await api.push([batch(1, change("notes", "near", text=("ok", hlc(within))))])
    assert ok.status_code == 200 and ok.json()["last_seq"] == 1


async def test_schema_versions_other_than_this_and_the_one_before_need_an_upgrade(
        make_api: Any) -> None:
    api = await make_api()
    for version, status in ((2, 426), (-1, 426), (1, 200), (0, 200)):
        response = await api.push([], schema_version=version)
        assert response.status_code == status, version
        if status == 426:
            assert response.json()["error"]["code"] == "upgrade_required"
    pulled = await api.http.get("/api/v1/sync/pull", headers=api.headers(),
                                params={"cursor": "0", "schema_version": "7"})
    assert pulled.status_code == 426


async def test_too_many_batches_or_bytes_are_payload_too_large(make_api: Any) -> None:
    api = await make_api()
    many = [batch(n, change("notes", f"n{n}", t=(1, hlc(NOW)))) for n in range(1, 1002)]
    response = await api.push(many)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    exactly = await api.push(many[:1000])
    assert exactly.status_code == 200 and exactly.json()["last_seq"] == 1000
    big = "x" * (5 * 1024 * 1024)
    response = await api.push([batch(1001, change("notes", "big", text=(big, hlc(NOW))))])
    assert response.status_code == 413
    async def parts() -> Any:
        for part in [b'{"client_id": "client-1", "batches": [], "x": "',
                     b"y" * (5 * 1024 * 1024), b'"}']:
            yield part

    chunked = await api.http.post(  # no Content-Length: counted while reading
        "/api/v1/sync/push", headers=api.headers(), content=parts())
    assert chunked.status_code == 413


async def test_malformed_pushes_are_invalid_requests(make_api: Any) -> None:
    api = await make_api()
    cases = [
        [batch(1, {"table": "notes", "id": "n", "fields": {"t": ["v", "yesterday"]}})],
        [batch(1, {"table": "Bad Table", "id": "n", "fields": {"t": ["v", hlc(NOW)]}})],
        [batch(1, {"table": "notes", "id": "n", "fields": {}})],
        [batch(1, {"table": "notes", "id": "n", "fields": {"_deleted": ["yes", hlc(NOW)]}})],
        [batch(0, change("notes", "n", t=(1, hlc(NOW))))],
    ]
    for batches in cases:
        response = await api.push(batches)
        assert response.status_code == 422, batches
        assert response.json()["error"]["code"] == "invalid_request"
    not_json = await api.http.post("/api/v1/sync/push", headers=api.headers(), content=b"{")
    assert not_json.status_code == 400
    bad_cursor = await api.http.get("/api/v1/sync/pull", headers=api.headers(),
                                    params={"cursor": "soon"})
    assert bad_cursor.status_code == 400


async def test_pull_pages_in_commit_order_with_limits(make_api: Any) -> None:
    api = await make_api()
    batches = [batch(n, *[change("notes", f"n{n}-{k}", t=(k, hlc(NOW))) for k in range(10)])
               for n in range(1, 601)]
    assert (await api.push(batches[:300])).status_code == 200
    assert (await api.push(batches[300:])).status_code == 200
    default = (await api.pull()).json()
    assert len(default["changes"]) == 1000 and default["has_more"] is True
    capped = (await api.pull(limit=99_999)).json()
    assert len(capped["changes"]) == 5000 and capped["has_more"] is True
    ids = [c["id"] for c in capped["changes"]]
    assert ids[:3] == ["n1-0", "n1-1", "n1-2"]
    records, cursor = await api.pull_all()
    assert len(records) == 6000
    assert (await api.pull(cursor)).json() | {"server_time_ms": 0} == {
        "changes": [], "cursor": cursor, "has_more": False, "server_time_ms": 0}


async def test_a_record_changed_again_comes_after_the_cursor_once(make_api: Any) -> None:
    api = await make_api()
    await api.push([batch(1, change("notes", "a", t=(1, hlc(NOW))),
                          change("notes", "b", t=(1, hlc(NOW))))])
    _, cursor = await api.pull_all()
    await api.push([batch(2, change("notes", "a", t=(2, hlc(NOW + 1)))),
                    batch(3, change("notes", "a", t=(3, hlc(NOW + 2))))])
    later = (await api.pull(cursor)).json()
    assert [(c["id"], c["fields"]["t"][0]) for c in later["changes"]] == [("a", 3)]


async def test_tombstones_are_kept_and_a_later_write_undeletes(make_api: Any) -> None:
    api = await make_api()
    await api.push([batch(1, change("notes", "a", t=("x", hlc(NOW))))])
    await api.push([batch(2, change("notes", "a", _deleted=(True, hlc(NOW + 1))))])
    records, _ = await api.pull_all()
    assert records[("notes", "a")] == {"t": ["x", hlc(NOW)], "_deleted": [True, hlc(NOW + 1)]}
    await api.push([batch(3, change("notes", "a", _deleted=(False, hlc(NOW)))),])  # older
    assert (await api.pull_all())[0][("notes", "a")]["_deleted"][0] is True
    await api.push([batch(4, change("notes", "a", _deleted=(False, hlc(NOW + 2))))])
    assert (await api.pull_all())[0][("notes", "a")]["_deleted"] == [False, hlc(NOW + 2)]


async def test_purged_tombstones_send_older_cursors_to_a_reset(make_api: Any, app: Any) -> None:
    api = await make_api()
    await api.push([batch(1, change("notes", "gone", t=("x", hlc(NOW))),
                          change("notes", "kept", t=("y", hlc(NOW))))])
    _, early = await api.pull_all()
    await api.push([batch(2, change("notes", "gone", _deleted=(True, hlc(NOW + 1))))])
    _, late = await api.pull_all()
    store = app.state.server.records
    assert await store.purge_tombstones(older_than_ms=0) == 0  # nothing that old yet
    assert await store.purge_tombstones(older_than_ms=time.time_ns() // 1_000_000 + 1) == 1
    response = await api.pull(early)
    assert response.status_code == 410
    assert response.json()["error"]["code"] == "reset_required"
    assert (await api.pull(late)).status_code == 200
    fresh, _ = await api.pull_all(0)
    assert set(fresh) == {("notes", "kept")}


async def test_a_cursor_the_server_never_gave_needs_a_reset(make_api: Any) -> None:
    api = await make_api()
    await api.push([batch(1, change("notes", "a", t=(1, hlc(NOW))))])
    _, cursor = await api.pull_all()
    response = await api.pull(cursor + 10)
    assert response.status_code == 410
    assert response.json()["error"]["code"] == "reset_required"


async def test_a_late_commit_is_never_skipped_by_the_cursor(make_api: Any, app: Any,
                                                              monkeypatch: Any) -> None:
    """A push that numbers its change and then commits late holds back every later
    writer of that user, so a pull in between cannot pass it."""
    api = await make_api()
    store = app.state.server.records
    original = store._apply
    entered, release = asyncio.Event(), asyncio.Event()

    async def slow_apply(conn: Any, user_id: str, changes: list[Any], seq: int, now: int) -> int:
        result = await original(conn, user_id, changes, seq, now)
        if changes[0].id == "slow":
            entered.set()
            await release.wait()  # numbered, not yet committed
        return result

    monkeypatch.setattr(store, "_apply", slow_apply)
    slow = asyncio.ensure_future(api.push([batch(1, change("notes", "slow", t=(1, hlc(NOW))))],
                                          client_id="slow-device"))
    await entered.wait()
    fast = asyncio.ensure_future(api.push([batch(1, change("notes", "fast", t=(1, hlc(NOW))))],
                                          client_id="fast-device"))
    # the fast writer cannot commit (or even number its change) before the slow one
    seen = (await api.pull()).json()
    assert seen["changes"] == [] and not fast.done()
    release.set()
    assert (await slow).status_code == 200 and (await fast).status_code == 200
    pulled = (await api.pull(seen["cursor"])).json()
    assert [c["id"] for c in pulled["changes"]] == ["slow", "fast"]


async def test_pull_answers_records_byte_for_byte_as_json(make_api: Any) -> None:
    api = await make_api()
    awkward = {"quote": 'say "hi"', "unicode": "Élodie ☕", "nested": {"a": [1, None, True]}}
    await api.push([batch(1, change("notes", 'id "q"', **{k: (v, hlc(NOW))
                                                        for k, v in awkward.items()}))])
    response = await api.pull()
    assert response.headers["content-type"] == "application/json"
    body = json.loads(response.content)
    assert body["changes"][0]["id"] == 'id "q"'
    assert {k: v[0] for k, v in body["changes"][0]["fields"].items()} == awkward
