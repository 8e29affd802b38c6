"""One user can never read or change another user's data, by any id, client id or cursor;
and the server logs no library content."""

from __future__ import annotations

import logging
import time
from typing import Any

from tests.server._support import hlc

NOW = time.time_ns() // 1_000_000
SECRET = "the dragon hides under Mirewood bridge"


def push_note(rid: str, text: str, seq: int, wall: int = NOW) -> list[dict[str, Any]]:
    return [{"seq": seq, "changes": [{"table": "notes", "id": rid,
                                      "fields": {"text": [text, hlc(wall)]}}]}]


async def test_no_cursor_shows_another_users_records(make_api: Any) -> None:
    ana, bob = await make_api(), await make_api()
    for n in range(1, 6):
        assert (await ana.push(push_note(f"ana-{n}", SECRET, n))).status_code == 200
    assert (await bob.push(push_note("bob-1", "mine", 1), client_id="bob-phone")).status_code == 200
    _, ana_end = await ana.pull_all()
    for cursor in range(0, ana_end + 3):
        response = await bob.pull(cursor)
        if response.status_code == 200:
            assert all(c["id"].startswith("bob-") for c in response.json()["changes"])
        else:
            assert response.json()["error"]["code"] == "reset_required"
    records, _ = await bob.pull_all()
    assert set(records) == {("notes", "bob-1")}


async def test_writing_another_users_record_id_makes_your_own_copy(make_api: Any) -> None:
    ana, bob = await make_api(), await make_api()
    await ana.push(push_note("shared-id", SECRET, 1), client_id="ana-laptop")
    later = push_note("shared-id", "overwritten?", 1, wall=NOW + 10_000)
    assert (await bob.push(later, client_id="bob-laptop")).status_code == 200
    ana_records, _ = await ana.pull_all()
    bob_records, _ = await bob.pull_all()
    assert ana_records[("notes", "shared-id")]["text"][0] == SECRET
    assert bob_records[("notes", "shared-id")]["text"][0] == "overwritten?"


async def test_another_users_client_id_is_forbidden_and_changes_nothing(make_api: Any) -> None:
    ana, bob = await make_api(), await make_api()
    await ana.push(push_note("a", SECRET, 1), client_id="ana-phone")
    # bob tries to push as ana's device, with a seq it would accept, and to replay it
    for seq in (1, 2):
        response = await bob.push(push_note("a", "hijacked", seq, wall=NOW + 1),
                                  client_id="ana-phone")
        assert response.status_code == 403
    assert (await ana.push(push_note("b", "next", 2), client_id="ana-phone")).json()[
        "last_seq"] == 2
    records, _ = await ana.pull_all()
    assert records[("notes", "a")]["text"][0] == SECRET
    assert (await bob.pull_all())[0] == {}


async def test_the_user_comes_from_the_token_never_the_body(make_api: Any) -> None:
    ana, bob = await make_api(), await make_api()
    body = {"client_id": "c", "schema_version": 1, "user_id": ana.user_id,
            "batches": push_note("x", "y", 1)}
    response = await bob.http.post("/api/v1/sync/push", headers=bob.headers(), json=body)
    assert response.status_code == 422  # unknown fields are refused, not trusted
    pull = await bob.http.get("/api/v1/sync/pull", headers=bob.headers(),
                              params={"cursor": "0", "user_id": ana.user_id})
    assert pull.json()["changes"] == []


async def test_events_need_a_token(app: Any) -> None:
    from tests.server._support import Api

    api = Api(app)
    response = await api.http.get("/api/v1/sync/events")
    assert response.status_code == 401
    await api.close()


async def test_the_server_logs_no_library_content(make_api: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    api = await make_api()
    await api.push(push_note("n1", SECRET, 1))
    await api.pull()
    # refused pushes too: drift, a gap, a malformed field, a value the schema refuses
    await api.push(push_note("n2", SECRET, 2, wall=NOW + 3_600_000))
    await api.push(push_note("n3", SECRET, 9))
    bad = await api.push([{"seq": 2, "changes": [{"table": "notes", "id": "n4",
                                                   "fields": {"text": [SECRET, SECRET]}}]}])
    assert SECRET not in bad.text  # errors say where, never what
    tombstone = await api.push([{"seq": 2, "changes": [{"table": "notes", "id": "n5",
                                                         "fields": {"_deleted": [SECRET, hlc(NOW)]}}]}])
    assert tombstone.status_code == 422 and SECRET not in tombstone.text
    assert caplog.records  # something was logged (e.g. the migration), just not that
    assert SECRET not in caplog.text
    assert "Mirewood" not in caplog.text
