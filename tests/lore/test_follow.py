"""A long-lived LayerCache follows committed lorebook edits in the library."""

from __future__ import annotations

import itertools

import pytest

from app.db import Database
from app.domain import open_domain
from app.lore import LayerCache, Matcher, follow_changes

RUN_IN_BROWSER = True
_names = itertools.count()


@pytest.fixture
async def domain():
    db = Database(f"lore-follow-{next(_names)}")
    domain = await open_domain(db)
    yield domain
    db.close()
    await db.delete()


async def _matcher(domain, cache: LayerCache) -> Matcher:
    entries = await domain.lorebook.by_level("global")
    return Matcher(entries, cache=cache)


async def test_a_key_edit_rebuilds_only_that_layer(domain) -> None:
    cache = LayerCache()
    stop = follow_changes(cache, domain.store)
    series = await domain.series.create({"name": "Saga"})
    ann = await domain.lorebook.create({"level": "global", "name": "Ann", "keys": ["Ann"]})
    await domain.lorebook.create(
        {"level": "series", "scope_id": series.id, "name": "Bob", "keys": ["Bob"]})
    everything = [*await domain.lorebook.by_level("global"),
                  *await domain.lorebook.by_level("series")]
    Matcher(everything, cache=cache)
    built = cache.builds
    await domain.lorebook.update(ann.id, {"keys": ["Annabel"]})
    everything = [*await domain.lorebook.by_level("global"),
                  *await domain.lorebook.by_level("series")]
    matcher = Matcher(everything, cache=cache)
    assert cache.builds == built + 1  # the global layer only; the series layer is reused
    assert [e.name for e in matcher.scan("Annabel met Bob").entries] == ["Ann", "Bob"]
    assert matcher.scan("Ann alone").entries == []
    stop()


async def test_without_following_a_stale_index_would_be_reused(domain) -> None:
    cache = LayerCache()
    ann = await domain.lorebook.create({"level": "global", "name": "Ann", "keys": ["Ann"]})
    await _matcher(domain, cache)
    await domain.lorebook.update(ann.id, {"keys": ["Annabel"]})
    stale = await _matcher(domain, cache)
    assert [e.name for e in stale.scan("Ann").entries] == ["Ann"]  # why follow_changes exists
    follow_changes(cache, domain.store)
    await domain.lorebook.update(ann.id, {"keys": ["Annabelle"]})
    fresh = await _matcher(domain, cache)
    assert [e.name for e in fresh.scan("Annabelle").entries] == ["Ann"]
