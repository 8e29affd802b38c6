"""Server-sent pokes: a push pokes the user's open streams (only theirs), across
processes through PostgreSQL LISTEN/NOTIFY."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from app.server import ServerConfig
from tests._wait import eventually
from tests.server._support import Api, hlc, running_app, serving

NOW = time.time_ns() // 1_000_000


def note(seq: int, rid: str) -> list[dict[str, Any]]:
    return [{"seq": seq, "changes": [{"table": "notes", "id": rid,
                                      "fields": {"t": [rid, hlc(NOW)]}}]}]


async def _next_event(lines: Any) -> str:
    """The name of the next SSE event (comments and keep-alives skipped)."""
    name = "message"
    async for line in lines:
        if line.startswith("event:"):
            name = line[6:].strip()
        elif line == "" and name != "message":
            return name
    raise AssertionError("the stream ended")


async def test_a_push_pokes_the_users_event_stream_and_not_others(sqlite_url: str) -> None:
    config = ServerConfig(database_url=sqlite_url, purge_interval_s=0, heartbeat_s=0.2)
    async with serving(config) as (app, origin):
        ana, bob = await Api(app).signup(), await Api(app).signup()
        hub = app.state.server.pokes
        async with httpx.AsyncClient(base_url=origin, timeout=10) as http:
            async with http.stream("GET", "/api/v1/sync/events", headers=ana.headers()) as ana_s, \
                    http.stream("GET", "/api/v1/sync/events", headers=bob.headers()) as bob_s:
                assert ana_s.status_code == 200
                assert ana_s.headers["content-type"].startswith("text/event-stream")
                assert hub.subscribers(ana.user_id) == 1
                ana_lines, bob_lines = ana_s.aiter_lines(), bob_s.aiter_lines()
                assert (await ana.push(note(1, "a"))).status_code == 200
                assert await asyncio.wait_for(_next_event(ana_lines), 10) == "poke"
                # bob hears only keep-alives until his own push
                bob_next = asyncio.ensure_future(_next_event(bob_lines))
                assert (await bob.push(note(1, "b"), client_id="bob-1")).status_code == 200
                assert await asyncio.wait_for(bob_next, 10) == "poke"
        await ana.close()
        await bob.close()


async def test_a_push_that_changes_nothing_pokes_nobody(make_api: Any, app: Any,
                                                        monkeypatch: Any) -> None:
    poked: list[str] = []
    monkeypatch.setattr(app.state.server.pokes, "poke", poked.append)
    api, marker = await make_api(), await make_api()
    await api.push(note(1, "a"))
    await eventually(lambda: poked == [api.user_id], "the first poke")
    await api.push(note(2, "a"))  # the same write again
    await api.push(note(1, "a"), client_id="other-device")  # a retried request
    await marker.push(note(1, "m"), client_id="marker")  # pokes after the two above
    await eventually(lambda: len(poked) >= 2, "the marker's poke")
    assert poked == [api.user_id, marker.user_id]


async def test_processes_sharing_postgresql_poke_each_others_streams(postgres: Any,
                                                                      tmp_path: Any) -> None:
    from app.server import database_url

    url = database_url(tmp_path, env={"LK_DATABASE_URL": postgres.create_database("pokes")})
    config = ServerConfig(database_url=url, purge_interval_s=0)
    async with running_app(config) as first, running_app(config) as second:
        writer = await Api(first).signup()
        hub = second.state.server.pokes
        with hub.subscribe(writer.user_id) as sub, hub.subscribe("someone-else") as other:
            assert (await writer.push(note(1, "x"))).status_code == 200
            assert await sub.wait(10)
            # the other user's stream stays quiet (checked after a later poke arrived)
            assert (await writer.push(note(2, "y"))).status_code == 200
            assert await sub.wait(10)
            assert not await other.wait(0)
        await writer.close()
