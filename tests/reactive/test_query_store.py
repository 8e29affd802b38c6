"""Stores fed by ``app.db.live_query``: memory backend in CPython, IndexedDB in the browser."""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import sys
from typing import Any

import pytest

from app.db import Database
from app.reactive import Readable, derived, from_observable, get, query_store

RUN_IN_BROWSER = True

_names = itertools.count()
_RUN = f"{os.getpid()}-{random.randrange(1 << 30)}"


class Seen:
    """A store subscriber that records every value; ``await seen.at_least(n)``."""

    def __init__(self, store: Readable[Any]) -> None:
        self.values: list[Any] = []
        self._changed = asyncio.Event()
        self.off = store.subscribe(self._run)

    def _run(self, value: Any) -> None:
        self.values.append(value)
        self._changed.set()

    async def at_least(self, n: int, timeout: float = 10) -> list[Any]:
        async def wait() -> None:
            while len(self.values) < n:
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(wait(), timeout)
        return self.values


@pytest.fixture
async def db() -> Any:
    name = f"query-store-{_RUN}-{next(_names)}"
    database = Database(name)  # IndexedDB in the browser, memory in CPython
    database.version(1).stores({"characters": "id, name"})
    await database.open()
    await database.characters.bulk_put([{"id": "a", "name": "Alice"}, {"id": "b", "name": "Bob"}])
    yield database
    database.close()
    await Database(name).delete()


class Counted:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.runs = 0

    async def __call__(self) -> list[str]:
        self.runs += 1
        rows = await self.db.characters.order_by("name").to_array()
        return [row["name"] for row in rows]


async def test_runs_on_the_platforms_database(db: Database) -> None:
    assert db.backend == ("indexeddb" if sys.platform == "emscripten" else "memory")


async def test_holds_the_query_result_and_updates_after_a_commit(db: Database) -> None:
    seen = Seen(query_store(Counted(db), []))
    assert await seen.at_least(2) == [[], ["Alice", "Bob"]]
    await db.characters.add({"id": "c", "name": "Carol"})
    assert (await seen.at_least(3))[-1] == ["Alice", "Bob", "Carol"]
    seen.off()


async def test_updates_after_a_commit_made_through_another_connection(db: Database) -> None:
    seen = Seen(query_store(Counted(db), []))
    await seen.at_least(2)
    other = Database(db.name)  # another connection to the same database, as another tab has
    other.version(1).stores({"characters": "id, name"})
    await other.open()
    await other.characters.put({"id": "d", "name": "Dora"})
    assert (await seen.at_least(3))[-1] == ["Alice", "Bob", "Dora"]
    other.close()
    seen.off()


async def test_stops_its_query_when_the_last_subscriber_leaves(db: Database) -> None:
    querier = Counted(db)
    store = query_store(querier, [])
    seen_a, seen_b = Seen(store), Seen(store)
    await seen_a.at_least(2)
    await seen_b.at_least(2)
    assert querier.runs == 1  # one query for both subscribers
    seen_a.off()
    await db.characters.put({"id": "e", "name": "Eve"})
    await seen_b.at_least(3)
    seen_b.off()
    runs = querier.runs
    witness = Seen(query_store(Counted(db), []))  # the same reads, subscribed
    await witness.at_least(2)
    await db.characters.put({"id": "f", "name": "Fay"})
    await witness.at_least(3)  # its re-run came: the stopped query's would have too
    assert querier.runs == runs  # no query runs without subscribers
    assert len(seen_b.values) == 3
    witness.off()


async def test_restarts_with_the_last_value_and_refreshes(db: Database) -> None:
    querier = Counted(db)
    store = query_store(querier, [])
    first = Seen(store)
    await first.at_least(2)
    first.off()
    await db.characters.delete("a")
    seen = Seen(store)
    assert seen.values == [["Alice", "Bob"]]  # last value at once, then the fresh one
    assert (await seen.at_least(2))[-1] == ["Bob"]
    seen.off()


async def test_loaded_flag_follows_the_subscription(db: Database) -> None:
    store = query_store(Counted(db), [])
    assert get(store.loaded) is False
    loaded = Seen(store.loaded)
    unsubscribe = store.subscribe(lambda _: None)
    assert await loaded.at_least(2) == [False, True]
    unsubscribe()
    assert get(store.loaded) is False
    loaded.off()


async def test_errors_go_to_the_error_store_and_clear_on_the_next_value(db: Database) -> None:
    fail = {"now": True}

    async def querier() -> int:
        count = await db.characters.count()
        if fail["now"]:
            raise ValueError("query failed")
        return count

    store = query_store(querier, 0)
    errors = Seen(store.error)
    values = Seen(store)
    assert isinstance((await errors.at_least(2))[-1], ValueError)
    fail["now"] = False
    await db.characters.put({"id": "g", "name": "Gus"})
    assert (await values.at_least(2))[-1] == 3
    assert get(store.error) is None
    errors.off()
    values.off()


async def test_derived_from_query_stores_is_glitch_free(db: Database) -> None:
    names = query_store(Counted(db), [])
    count = derived(names, len)
    summary = derived([names, count], lambda v: f"{v[1]}: {', '.join(v[0])}")
    seen = Seen(summary)
    await seen.at_least(2)
    await db.characters.add({"id": "h", "name": "Hal"})
    assert await seen.at_least(3) == ["0: ", "2: Alice, Bob", "3: Alice, Bob, Hal"]
    seen.off()


def test_from_observable_with_an_rxjs_style_subscription() -> None:
    events: list[str] = []

    class Observable:
        def subscribe(self, on_next: Any, on_error: Any) -> Any:
            events.append("subscribe")
            on_next(1)

            class Subscription:
                def unsubscribe(self) -> None:
                    events.append("unsubscribe")

            return Subscription()

    store = from_observable(Observable(), 0)
    assert get(store) == 1
    assert events == ["subscribe", "unsubscribe"]
