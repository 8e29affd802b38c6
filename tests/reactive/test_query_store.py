"""Stores fed by ``app.db.live_query`` (memory backend here; IndexedDB in the browser)."""

from __future__ import annotations

import asyncio
import importlib.util
import itertools
import os
import random
from collections.abc import Callable
from typing import Any

import pytest

from app.db import Database
from app.reactive import derived, from_observable, get, query_store

RUN_IN_BROWSER = True

_names = itertools.count()
# The database's default backend (IndexedDB in the browser) once app.db ships it; memory until then.
_BACKEND = {} if importlib.util.find_spec("app.db._idb") else {"backend": "memory"}
_RUN = f"{os.getpid()}-{random.randrange(1 << 30)}"


async def wait_for(cond: Callable[[], bool], what: str = "condition") -> None:
    for _ in range(400):
        if cond():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"timed out waiting for {what}")


async def settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0.002)


@pytest.fixture
async def db() -> Any:
    name = f"query-store-{_RUN}-{next(_names)}"
    database = Database(name, **_BACKEND)
    database.version(1).stores({"characters": "id, name"})
    await database.open()
    await database.characters.bulk_put([{"id": "a", "name": "Alice"}, {"id": "b", "name": "Bob"}])
    yield database
    database.close()
    await Database(name, **_BACKEND).delete()


class Counted:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.runs = 0

    async def __call__(self) -> list[str]:
        self.runs += 1
        rows = await self.db.characters.order_by("name").to_array()
        return [row["name"] for row in rows]


async def test_holds_the_query_result_and_updates_after_a_commit(db: Database) -> None:
    store = query_store(Counted(db), [])
    seen: list[list[str]] = []
    unsubscribe = store.subscribe(seen.append)
    await wait_for(lambda: len(seen) == 2, "first result")
    assert seen == [[], ["Alice", "Bob"]]
    await db.characters.add({"id": "c", "name": "Carol"})
    await wait_for(lambda: len(seen) == 3, "update after commit")
    assert seen[-1] == ["Alice", "Bob", "Carol"]
    unsubscribe()


async def test_updates_after_a_commit_made_through_another_connection(db: Database) -> None:
    store = query_store(Counted(db), [])
    seen: list[list[str]] = []
    unsubscribe = store.subscribe(seen.append)
    await wait_for(lambda: len(seen) == 2)
    other = Database(
        db.name, **_BACKEND
    )  # another connection to the same database, as another tab has
    other.version(1).stores({"characters": "id, name"})
    await other.open()
    await other.characters.put({"id": "d", "name": "Dora"})
    await wait_for(lambda: len(seen) == 3, "update after the other connection's commit")
    assert seen[-1] == ["Alice", "Bob", "Dora"]
    other.close()
    unsubscribe()


async def test_stops_its_query_when_the_last_subscriber_leaves(db: Database) -> None:
    querier = Counted(db)
    store = query_store(querier, [])
    seen_a: list[Any] = []
    seen_b: list[Any] = []
    unsub_a = store.subscribe(seen_a.append)
    unsub_b = store.subscribe(seen_b.append)
    await wait_for(lambda: len(seen_a) == 2 and len(seen_b) == 2)
    assert querier.runs == 1  # one query for both subscribers
    unsub_a()
    await db.characters.put({"id": "e", "name": "Eve"})
    await wait_for(lambda: len(seen_b) == 3)
    unsub_b()
    runs = querier.runs
    await db.characters.put({"id": "f", "name": "Fay"})
    await settle()
    assert querier.runs == runs  # no query runs without subscribers
    assert len(seen_b) == 3


async def test_restarts_with_the_last_value_and_refreshes(db: Database) -> None:
    querier = Counted(db)
    store = query_store(querier, [])
    unsubscribe = store.subscribe(lambda _: None)
    await wait_for(lambda: get(store) == ["Alice", "Bob"])
    unsubscribe()
    await db.characters.delete("a")
    seen: list[Any] = []
    unsubscribe = store.subscribe(seen.append)
    assert seen == [["Alice", "Bob"]]  # last value at once, then the fresh one
    await wait_for(lambda: len(seen) == 2)
    assert seen[-1] == ["Bob"]
    unsubscribe()


async def test_loaded_flag_follows_the_subscription(db: Database) -> None:
    store = query_store(Counted(db), [])
    assert get(store.loaded) is False
    unsubscribe = store.subscribe(lambda _: None)
    await wait_for(lambda: get(store.loaded), "loaded")
    unsubscribe()
    assert get(store.loaded) is False


async def test_errors_go_to_the_error_store_and_clear_on_the_next_value(db: Database) -> None:
    fail = {"now": True}

    async def querier() -> int:
        count = await db.characters.count()
        if fail["now"]:
            raise ValueError("query failed")
        return count

    store = query_store(querier, 0)
    unsubscribe = store.subscribe(lambda _: None)
    await wait_for(lambda: get(store.error) is not None, "error")
    assert isinstance(get(store.error), ValueError)
    fail["now"] = False
    await db.characters.put({"id": "g", "name": "Gus"})
    await wait_for(lambda: get(store) == 3, "value after error")
    assert get(store.error) is None
    unsubscribe()


async def test_derived_from_query_stores_is_glitch_free(db: Database) -> None:
    names = query_store(Counted(db), [])
    count = derived(names, len)
    summary = derived([names, count], lambda v: f"{v[1]}: {', '.join(v[0])}")
    seen: list[str] = []
    unsubscribe = summary.subscribe(seen.append)
    await wait_for(lambda: len(seen) == 2)
    await db.characters.add({"id": "h", "name": "Hal"})
    await wait_for(lambda: len(seen) == 3)
    assert seen == ["0: ", "2: Alice, Bob", "3: Alice, Bob, Hal"]
    unsubscribe()


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
