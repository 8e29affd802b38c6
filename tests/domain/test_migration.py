"""Schema 1 (lorebook entries belong to stories via `story_id`) upgrades to levels.

In the browser tier the "default" case runs on real IndexedDB: the old database is
really written with the version-1 schema, closed, and reopened by the current code.
"""

import pytest

from app.db import Database
from app.domain import LorebookEntry, default_registry, new_id, open_domain

CURRENT_VERSION = default_registry().current_version

RUN_IN_BROWSER = True

OLD_STORIES = [
    {
        "id": "story-1",
        "title": "Dune",
        "created_at": "2025-01-01T00:00:00.000000Z",
        "updated_at": "2025-01-02T00:00:00.000000Z",
    },
    {
        "id": "story-2",
        "title": "Emma",
        "created_at": "2025-01-01T00:00:00.000000Z",
        "updated_at": "2025-01-01T00:00:00.000000Z",
    },
]
OLD_ENTRIES = [
    {
        "id": "e1",
        "story_id": "story-1",
        "name": "Paul",
        "category": "character",
        "tags": ["hero"],
        "content": "The duke's son",
        "keys": ["Paul"],
        "created_at": "2025-01-01T00:00:00.000000Z",
        "updated_at": "2025-01-03T00:00:00.000000Z",
    },
    {
        "id": "e2",
        "story_id": "story-1",
        "name": "Arrakis",
        "category": "location",
        "tags": [],
        "content": "Desert planet",
        "isDemo": True,
        "created_at": "2025-01-01T00:00:00.000000Z",
        "updated_at": "2025-01-01T00:00:00.000000Z",
    },
    {
        "id": "e3",
        "story_id": "story-2",
        "name": "Emma",
        "category": "character",
        "tags": ["lead"],
        "created_at": "2025-01-01T00:00:00.000000Z",
        "updated_at": "2025-01-01T00:00:00.000000Z",
    },
]
OLD_CHARACTERS = [
    {
        "id": "c1",
        "name": "Ada",
        "tags": ["x"],
        "created_at": "2025-01-01T00:00:00.000000Z",
        "updated_at": "2025-01-01T00:00:00.000000Z",
    },
]


def _database(name, backend):
    return Database(name) if backend == "default" else Database(name, backend=backend)


async def _write_old_database(name, backend):
    old = _database(name, backend)
    old.version(1).stores(default_registry().tables_at(1))
    await old.open()
    await old.table("stories").bulk_add([dict(s) for s in OLD_STORIES])
    await old.table("lorebook_entries").bulk_add([dict(e) for e in OLD_ENTRIES])
    await old.table("characters").bulk_add([dict(c) for c in OLD_CHARACTERS])
    assert old.verno == 1
    old.close()


@pytest.mark.parametrize("backend", ["default", "memory"])
async def test_story_entries_upgrade_to_levels_and_nothing_else_changes(backend):
    name = f"migration-{new_id()}"
    await _write_old_database(name, backend)

    db = _database(name, backend)
    domain = await open_domain(db)
    try:
        assert db.verno == CURRENT_VERSION
        stored = {r["id"]: r for r in await db.table("lorebook_entries").to_array()}
        assert set(stored) == {"e1", "e2", "e3"}
        for old in OLD_ENTRIES:
            expected = {k: v for k, v in old.items() if k != "story_id"}
            expected.update(level="story", scope_id=old["story_id"])
            assert stored[old["id"]] == expected  # exactly: level + scope_id, story_id gone
        assert await db.table("stories").to_array() == OLD_STORIES
        assert await db.table("characters").to_array() == OLD_CHARACTERS

        # the new indexes work on migrated rows, and the domain reads them
        story_entries = await domain.lorebook.by_level("story", "story-1")
        assert [e.id for e in story_entries] == ["e1", "e2"]
        assert all(isinstance(e, LorebookEntry) for e in story_entries)
        seen = await domain.lorebook.for_story("story-2")
        assert [(e.id, e.level, e.scope_id) for e in seen] == [("e3", "story", "story-2")]
        assert story_entries[1].extensions == {"isDemo": True}  # unknown fields round-trip
        assert [e.id for e in await domain.lorebook.by_tag("hero")] == ["e1"]

        # and the upgraded database is fully usable: series are new in version 2
        saga = await domain.series.create({"name": "Saga"})
        await domain.stories.stories.assign_series("story-1", saga.id)
        promoted = await domain.lorebook.promote_to_series("e1", saga.id)
        assert promoted.level == "series"
    finally:
        db.close()
        await db.delete()


@pytest.mark.parametrize("backend", ["default", "memory"])
async def test_a_fresh_database_starts_at_the_current_version(backend):
    db = _database(f"fresh-{new_id()}", backend)
    domain = await open_domain(db)
    try:
        assert db.verno == CURRENT_VERSION
        entry = await domain.lorebook.create({"level": "global", "name": "g"})
        assert (await domain.lorebook.require(entry.id)).level == "global"
    finally:
        db.close()
        await db.delete()


@pytest.mark.parametrize("backend", ["default", "memory"])
async def test_reopening_a_current_database_does_not_migrate_again(backend):
    name = f"reopen-{new_id()}"
    first = _database(name, backend)
    domain = await open_domain(first)
    story = await domain.stories.stories.create({"title": "T"})
    entry = await domain.lorebook.create({"level": "story", "scope_id": story.id})
    first.close()
    second = _database(name, backend)
    again = await open_domain(second)
    try:
        assert await again.lorebook.require(entry.id) == entry
    finally:
        second.close()
        await second.delete()
