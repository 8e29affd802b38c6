"""The schema history: every version is declared, and opening a database written at any
earlier version runs every upgrade between it and the latest, in order.

In the browser tier the "default" backend is real IndexedDB: each old database is really
written at its version, closed, and reopened by the current code.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import Field

from app.db import Database
from app.domain import (
    EntityType,
    Feature,
    LocalTable,
    Model,
    Ref,
    Registry,
    default_registry,
    new_id,
    open_domain,
)
from app.domain.lorebook import LOREBOOK_ENTRY

RUN_IN_BROWSER = True


def _database(name: str, backend: str) -> Database:
    return Database(name) if backend == "default" else Database(name, backend=backend)


async def _write_at(name: str, backend: str, registry: Registry, version: int) -> None:
    """A database as the app wrote it at `version`: every version up to it declared."""
    old = _database(name, backend)
    for step in registry.schema_versions[:version]:
        declared = old.version(step.number).stores(dict(step.stores))
        if step.upgrades:
            declared.upgrade(step.upgrade)
    await old.open()
    assert old.verno == version
    await old.table("notes").put({"id": "n1", "text": "written", "trail": [version]})
    old.close()


# A throwaway feature whose table changes shape over three later versions, each with a
# migration that leaves a mark, so the test can see which ran and in what order.
class Note(Model):
    id: str
    text: str = ""
    trail: list[Any] = Field(default_factory=list)
    topic: str | None = None


def _mark(version: int) -> Any:
    async def migrate(tx: Any) -> None:
        def step(note: dict[str, Any]) -> None:
            note["trail"] = [*note.get("trail", []), f"up to {version}"]
            if version == 4:
                note["topic"] = note["text"].upper()

        await tx.table("notes").to_collection().modify(step)

    return migrate


NOTE = EntityType(
    kind="note",
    table="notes",
    schema="id, topic",
    since=1,
    history={4: "id"},
    migrations={3: _mark(3), 4: _mark(4), 5: _mark(5)},
    model=Note,
)
NOTES = Feature("notes", (NOTE,), local_tables=(LocalTable("note_log", "++seq", since=5),))
REGISTRY = default_registry().with_features(NOTES)


def test_every_version_is_declared_complete():
    versions = REGISTRY.schema_versions
    assert [v.number for v in versions] == [1, 2, 3, 4, 5]
    assert versions[0].stores["lorebook_entries"] == "id, story_id, name, category, *tags"
    assert versions[1].stores["lorebook_entries"] == LOREBOOK_ENTRY.schema
    assert versions[2].stores["notes"] == "id" and versions[3].stores["notes"] == "id, topic"
    assert "note_log" not in versions[3].stores and versions[4].stores["note_log"] == "++seq"
    assert [len(v.upgrades) for v in versions] == [0, 1, 1, 1, 1]


def test_a_migration_for_any_version_is_kept():
    """A migration declared for an earlier version is part of that version's step."""
    late = EntityType(
        kind="late", table="lates", schema="id", model=Note, migrations={2: _mark(2)}
    )
    registry = default_registry().with_features(Feature("late", (late,)))
    step = registry.schema_versions[1]
    assert len(step.upgrades) == 2  # the lorebook's and this one, in declaration order


@pytest.mark.parametrize("backend", ["default", "memory"])
@pytest.mark.parametrize("written_at", [1, 2, 3, 4])
async def test_opening_runs_every_upgrade_since_the_installed_version(backend, written_at):
    name = f"history-{written_at}-{new_id()}"
    await _write_at(name, backend, REGISTRY, written_at)
    db = _database(name, backend)
    domain = await open_domain(db, registry=REGISTRY)
    try:
        assert db.verno == 5
        note = await db.table("notes").get("n1")
        ran = [f"up to {v}" for v in range(max(written_at + 1, 3), 6)]
        assert note["trail"] == [written_at, *ran]  # each missing step once, in order
        assert note.get("topic") == ("WRITTEN" if written_at < 4 else None)
        assert await db.table("note_log").count() == 0
        assert await domain.repository("note").count() == 1
    finally:
        db.close()
        await db.delete()


@pytest.mark.parametrize("backend", ["default", "memory"])
@pytest.mark.parametrize("written_at", range(1, default_registry().current_version))
async def test_the_apps_own_databases_open_from_every_earlier_version(backend, written_at):
    registry = default_registry()
    name = f"app-history-{written_at}-{new_id()}"
    old = _database(name, backend)
    for step in registry.schema_versions[:written_at]:
        old.version(step.number).stores(dict(step.stores))
    await old.open()
    old.close()
    db = _database(name, backend)
    domain = await open_domain(db)
    try:
        assert db.verno == registry.current_version
        assert {t.name for t in db.tables} == set(registry.tables_at(registry.current_version))
        character = await domain.characters.create({"name": "Ada"})
        assert await domain.characters.require(character.id) == character
    finally:
        db.close()
        await db.delete()


def test_a_reference_to_an_unknown_kind_is_refused():
    bad = EntityType(
        kind="bad", table="bads", schema="id, owner_id", model=_Owned, references=(Ref("owner_id", "ghost"),)
    )
    with pytest.raises(ValueError, match="unknown kind"):
        default_registry().with_features(Feature("bad", (bad,)))


class _Owned(Model):
    id: str
    owner_id: str | None = None
