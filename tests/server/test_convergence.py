"""Convergence, proven by hypothesis: several devices and the real server app, through a
network that drops, duplicates, delays and reorders requests, partitions devices,
restarts the server in the middle of a push and runs device clocks fast or slow (within
the allowed drift). After healing, every device and the server hold the same library,
every value is one that some device wrote, and no acknowledged write is lost."""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.server import ServerConfig
from app.server._schema import records as server_records
from app.sync._api import ApiError, NetworkError
from app.sync._fields import Clocks, LocalRecord, synced_fields
from app.sync._replica import Replica
from app.sync._state import WRITER
from tests.server._faulty import FAULTS, FaultyNetwork, RestartableServer
from tests.sync._library import SCHEMA, make_library

#: Examples per backend; the whole suite must stay well under 15 minutes.
EXAMPLES = int(os.environ.get("LK_SYNC_EXAMPLES", "25"))
DEVICES = 3
IDS = ("r0", "r1", "r2", "r3")
_users = itertools.count(1)

devices = st.integers(0, DEVICES - 1)
values = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text("aé☕", max_size=3),
                   st.lists(st.integers(0, 2), max_size=2))
steps = st.one_of(
    st.tuples(st.just("write"), devices, st.sampled_from(["notes", "keys"]),
              st.sampled_from(IDS),
              st.dictionaries(st.sampled_from(["title", "body", "tags", "secret"]), values,
                              min_size=1, max_size=3)),
    st.tuples(st.just("delete"), devices, st.sampled_from(["notes", "keys"]),
              st.sampled_from(IDS)),
    st.tuples(st.just("sync"), st.lists(devices, min_size=1, max_size=DEVICES, unique=True)),
    st.tuples(st.just("partition"), devices, st.booleans()),
    st.tuples(st.just("skew"), devices, st.integers(-600_000, 240_000)),
    st.tuples(st.just("restart")),
    st.tuples(st.just("replay")),
)
scenarios = st.fixed_dictionaries({
    "initial": st.lists(st.tuples(st.sampled_from(IDS), st.text("xyz", max_size=2)),
                        max_size=3),
    "steps": st.lists(steps, min_size=1, max_size=30),
    "faults": st.lists(st.sampled_from(FAULTS), max_size=40),
    "page": st.sampled_from([1, 2, 1000]),
})


@dataclass
class Device:
    name: str
    db: Any
    replica: Replica
    skew: list[int] = field(default_factory=lambda: [0])


def _now(skew: list[int]) -> Any:
    return lambda: time.time_ns() // 1_000_000 + skew[0]


async def state_of(db: Any) -> dict[tuple[str, str], dict[str, tuple[Any, str]]]:
    """Every synced record and tombstone as field -> (value, HLC)."""
    writer = await db.sync_state.get(WRITER)
    out: dict[tuple[str, str], dict[str, tuple[Any, str]]] = {}
    for table in SCHEMA.tables:
        local = SCHEMA.local_fields(table)
        for record in await db.table(table).to_array():
            meta = await db.sync_meta.get([table, record["id"]])
            clocks = Clocks(meta) if meta else Clocks.new(table, record["id"], writer["baseline"])
            fields = LocalRecord(synced_fields(record, "id", local), False,
                                 clocks).fields_with_clocks()
            out[(table, record["id"])] = {k: (v[0], v[1]) for k, v in fields.items()}
    for meta in await db.sync_meta.to_array():
        if meta.get("deleted"):
            fields = LocalRecord(dict(meta["values"]), True, Clocks(meta)).fields_with_clocks()
            out[(meta["table"], meta["id"])] = {k: (v[0], v[1]) for k, v in fields.items()}
    return out


async def server_state(server: RestartableServer, user_id: str) -> dict[Any, Any]:
    import json

    async with server.app.state.server.db.read() as conn:
        rows = await conn.execute(select(server_records.c.tbl, server_records.c.rid,
                                         server_records.c.fields)
                                  .where(server_records.c.user_id == user_id))
        return {(t, r): {k: (v[0], v[1]) for k, v in json.loads(f).items()} for t, r, f in rows}


async def genuine_writes(device: Device, table: str, rid: str,
                         into: dict[tuple[str, str, str], set[tuple[str, str]]]) -> None:
    """Note the (value, HLC) pairs this device's last write made to ``table/rid``."""
    state = (await state_of(device.db)).get((table, rid), {})
    if not state:
        return
    newest = max(h for _v, h in state.values())
    for name, (value, hlc) in state.items():
        if hlc == newest:
            into.setdefault((table, rid, name), set()).add((repr(value), hlc))


async def run_scenario(config: ServerConfig, scenario: dict[str, Any]) -> None:
    server = RestartableServer(config)
    await server.start()
    network = FaultyNetwork(server, list(scenario["faults"]))
    username = f"user{next(_users)}"
    user_id = await server.app.state.server.accounts.create_user(username, "correct horse")
    fleet: list[Device] = []
    written: dict[tuple[str, str, str], set[tuple[str, str]]] = {}
    try:
        for n in range(DEVICES):
            skew = [0]
            db = make_library(now_ms=_now(skew))
            await db.open()
            replica = Replica(db, SCHEMA, network.transport(f"d{n}"), now_ms=_now(skew),
                              page_size=scenario["page"])
            fleet.append(Device(f"d{n}", db, replica, skew))
        first = fleet[0]
        for rid, title in scenario["initial"]:  # a library that existed before syncing
            await first.db.notes.put({"id": rid, "title": title})
        for device in fleet:
            while True:  # signing in is not what this test is about: retry until it works
                try:
                    await device.replica.sign_in("http://lk.test", username, "correct horse")
                    break
                except (NetworkError, ApiError):
                    continue
        for rid, _title in scenario["initial"]:
            await genuine_writes(first, "notes", rid, written)

        for step in scenario["steps"]:
            kind = step[0]
            if kind == "write":
                _, d, table, rid, fields = step
                device = fleet[d]
                current = await device.db.table(table).get(rid) or {"id": rid}
                await device.db.table(table).put({**current, **fields})
                await genuine_writes(device, table, rid, written)
            elif kind == "delete":
                _, d, table, rid = step
                await fleet[d].db.table(table).delete(rid)
                await genuine_writes(fleet[d], table, rid, written)
            elif kind == "sync":
                async def one(device: Device) -> None:
                    try:
                        await device.replica.sync_once()
                    except (NetworkError, ApiError):
                        pass  # the task would retry later

                await asyncio.gather(*(one(fleet[d]) for d in step[1]))
            elif kind == "partition":
                _, d, cut = step
                (network.partitioned.add if cut else network.partitioned.discard)(f"d{d}")
            elif kind == "skew":
                fleet[step[1]].skew[0] = step[2]
            elif kind == "restart":
                await server.restart()
            elif kind == "replay":
                await network.deliver_replays()

        network.heal()
        await network.deliver_replays()
        for _round in range(2):
            for device in fleet:
                await device.replica.sync_once()

        for device in fleet:  # writes restamped after the server refused their clock
            for pairs in written.values():
                pairs.update({(v, device.replica.restamped[h]) for v, h in list(pairs)
                              if h in device.replica.restamped})
        expected = await server_state(server, user_id)
        for device in fleet:
            assert await device.db.sync_outbox.count() == 0, device.name
            assert await state_of(device.db) == expected, (device.name, network.log)
        for (table, rid), fields in expected.items():
            if table == "keys":
                assert "secret" not in fields, "a device-only field reached the server"
            for name, (value, hlc) in fields.items():
                genuine = written.get((table, rid, name), set())
                assert (repr(value), hlc) in genuine, (table, rid, name, value, hlc)
        restamped = {h for device in fleet for h in device.replica.restamped}
        for (table, rid, name), pairs in written.items():
            final = expected.get((table, rid), {}).get(name)
            newest = max((h for _v, h in pairs if h not in restamped), default="")
            assert final is not None and final[1] >= newest, (
                "a write was lost", table, rid, name)
    finally:
        for device in fleet:
            device.db.close()
            await device.db.delete()
        await server.stop()


@pytest.fixture
def convergence_config(db_url: str) -> ServerConfig:
    return ServerConfig(database_url=db_url, purge_interval_s=0,
                        requests_per_second=1e6, request_burst=10**6)


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(scenario=scenarios)
async def test_every_device_and_the_server_converge(convergence_config: ServerConfig,
                                                    scenario: dict[str, Any]) -> None:
    await run_scenario(convergence_config, scenario)


async def test_a_scripted_storm_converges(convergence_config: ServerConfig) -> None:
    """One hand-written run through every fault, so each is exercised on every run."""
    write = [("write", d, "notes", rid, {"title": f"{d}{rid}", "tags": [d]})
             for d in range(DEVICES) for rid in IDS[:2]]
    await run_scenario(convergence_config, {
        "initial": [("r3", "old")],
        "steps": [*write, ("skew", 1, 200_000), ("skew", 2, -500_000),
                  ("sync", [0, 1, 2]), ("delete", 0, "notes", "r0"), ("partition", 2, True),
                  ("write", 2, "notes", "r0", {"body": "offline edit"}), ("sync", [0, 1, 2]),
                  ("restart",), ("write", 1, "keys", "r1", {"title": "k", "secret": "s"}),
                  ("sync", [1, 0]), ("replay",), ("partition", 2, False), ("sync", [2, 1, 0]),
                  ("write", 0, "notes", "r0", {"title": "back"}), ("sync", [0, 1, 2])],
        "faults": ["ok", "duplicate", "delay", "drop_response", "crash_before_commit", "ok",
                   "drop_request", "crash_after_commit", "duplicate", "delay", "ok",
                   "crash_before_commit", "drop_response"] * 3,
        "page": 1,
    })
