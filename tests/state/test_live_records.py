"""LiveRecords: a filtered store of records that follows every commit, here and in other tabs."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.db import Database
from app.domain import open_domain
from app.reactive import get
from app.state import LiveRecords
from tests._wait import eventually
from tests.domain._support import memory_db

RUN_IN_BROWSER = True


class Counting:
    """Wraps a repository to count (and optionally hold) its ``find`` calls."""

    def __init__(self, repo: Any) -> None:
        self._repo = repo
        self.finds = 0
        self.gate: asyncio.Event | None = None
        self.arrived = asyncio.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._repo, name)

    async def find(self, where: Any) -> Any:
        self.finds += 1
        found = await self._repo.find(where)
        self.arrived.set()
        if self.gate is not None:
            await self.gate.wait()
        return found


@pytest.fixture
async def domain():
    db = memory_db()
    d = await open_domain(db)
    yield d
    d.store.close()
    await db.delete()


def titles(value: Any) -> Any:
    return None if value is None else [c.title for c in value]


def live_chapters(domain: Any, story_id: str) -> tuple[LiveRecords[Any], Counting]:
    repo = Counting(domain.stories.chapters)
    live = LiveRecords(domain.store, repo, {"story_id": story_id}, repo.sort_key)  # type: ignore[arg-type]
    return live, repo


async def test_loads_with_the_first_subscriber_and_follows_this_tabs_writes_in_place(domain):
    story = await domain.stories.stories.create({"title": "S"})
    other = await domain.stories.stories.create({"title": "Other"})
    one = await domain.stories.chapters.create({"story_id": story.id, "title": "One"})
    live, repo = live_chapters(domain, story.id)
    assert repo.finds == 0  # nothing read before anyone looks
    seen: list[Any] = []
    stop = live.items.subscribe(lambda v: seen.append(titles(v)))
    assert seen == [None]  # loading
    await live.settle()
    assert seen[-1] == ["One"]

    two = await domain.stories.chapters.create({"story_id": story.id, "title": "Two"})
    await domain.stories.chapters.create({"story_id": other.id, "title": "Elsewhere"})
    assert titles(get(live.items)) == ["One", "Two"]
    await domain.stories.chapters.move_by(two.id, -1)
    assert titles(get(live.items)) == ["Two", "One"]
    await domain.stories.chapters.update(one.id, {"story_id": other.id})  # moves out
    assert titles(get(live.items)) == ["Two"]
    await domain.stories.chapters.delete(two.id)
    assert titles(get(live.items)) == []
    assert repo.finds == 1  # every change was applied in place
    stop()


async def test_a_write_landing_during_the_load_is_not_lost(domain):
    story = await domain.stories.stories.create({"title": "S"})
    live, repo = live_chapters(domain, story.id)
    repo.gate = asyncio.Event()
    stop = live.items.subscribe(lambda v: None)
    await repo.arrived.wait()  # the load has read (an empty story) and is held
    await domain.stories.chapters.create({"story_id": story.id, "title": "Late"})
    repo.gate.set()
    await live.settle()
    assert titles(get(live.items)) == ["Late"]
    stop()


async def test_stops_listening_without_subscribers_and_reloads_on_return(domain):
    story = await domain.stories.stories.create({"title": "S"})
    live, repo = live_chapters(domain, story.id)
    stop = live.items.subscribe(lambda v: None)
    await live.settle()
    stop()
    await domain.stories.chapters.create({"story_id": story.id, "title": "Meanwhile"})
    stop = live.items.subscribe(lambda v: None)
    await live.settle()
    assert titles(get(live.items)) == ["Meanwhile"]
    assert repo.finds == 2
    stop()


async def test_follows_another_tabs_commits(domain):
    story = await domain.stories.stories.create({"title": "S"})
    live, _ = live_chapters(domain, story.id)
    stop = live.items.subscribe(lambda v: None)
    await live.settle()
    other_tab = await open_domain(Database(domain.store.db.name, backend=domain.store.db.backend))
    try:
        made = await other_tab.stories.chapters.create({"story_id": story.id, "title": "There"})
        await eventually(lambda: titles(get(live.items)) == ["There"], "the other tab's chapter")
        await other_tab.stories.chapters.delete(made.id)
        await eventually(lambda: titles(get(live.items)) == [], "the other tab's delete")
    finally:
        other_tab.store.close()
        stop()


async def test_a_failed_load_says_so(domain):
    class Broken(Counting):
        async def find(self, where: Any) -> Any:
            raise RuntimeError("the disk is on fire")

    repo = Broken(domain.stories.chapters)
    live = LiveRecords(domain.store, repo, {"story_id": "x"}, repo.sort_key)  # type: ignore[arg-type]
    stop = live.items.subscribe(lambda v: None)
    await live.settle()
    assert get(live.items) == []
    assert get(live.error) == "the disk is on fire"
    stop()
