"""Building a large index does not block: `await Matcher.build(...)` indexes a slice of
entries at a time and gives the event loop a turn between slices."""

from __future__ import annotations

import asyncio

from app.lore import LayerCache, LoreEntry, Matcher, MatchOptions
from app.lore._index import BUILD_SLICE

RUN_IN_BROWSER = True


def many(n: int) -> list[LoreEntry]:
    return [
        LoreEntry(id=f"e{i}", keys=[f"name{i}", f"the name{i} title"], content=f"Entry {i}.")
        for i in range(n)
    ]


async def test_cooperative_build_yields_and_matches_the_same():
    entries = many(BUILD_SLICE * 4)
    turns = 0
    building = True

    async def other_work():
        nonlocal turns
        while building:
            turns += 1
            await asyncio.sleep(0)

    task = asyncio.ensure_future(other_work())
    cache = LayerCache()
    matcher = await Matcher.build(entries, MatchOptions(recursive=False), cache=cache)
    building = False
    await task
    assert turns >= 4  # the event loop ran between slices
    text = "name7 and the name2000 title and name2399"
    direct = Matcher(entries, MatchOptions(recursive=False), cache=LayerCache())
    assert matcher.scan(text).ids == direct.scan(text).ids
    assert sorted(matcher.scan(text).ids) == ["e2000", "e2399", "e7"]
    # the index it built is the cache's: a synchronous matcher reuses it
    builds = cache.builds
    Matcher(entries, MatchOptions(recursive=False), cache=cache)
    assert cache.builds == builds


async def test_cooperative_build_of_several_layers():
    entries = [
        *many(50),
        LoreEntry(id="s", level="story", scope_id="st1", keys=["dragon"]),
        LoreEntry(id="c", level="chat", scope_id="c1", keys=["dragon"], constant=True),
    ]
    matcher = await Matcher.build(entries)
    assert matcher.layers == [("global", None), ("story", "st1"), ("chat", "c1")]
    assert sorted(matcher.scan("a dragon and name3").ids) == ["c", "e3", "s"]
