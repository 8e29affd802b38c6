"""Adding an entity is one module: a throwaway `location` entity, declared here and in no
other file, gets CRUD, reference checks, delete cascades, import/export, a place in the
schema history and a place in the app state."""

from __future__ import annotations

import pytest
from pydantic import Field

from app.db import Database
from app.domain import (
    CONTEXT,
    Entity,
    EntityType,
    Feature,
    InvalidDataError,
    ParsedFile,
    Ref,
    Repository,
    Shown,
    default_registry,
    new_id,
    open_domain,
)
from app.reactive import get
from app.state import AppState, DomainBackend

RUN_IN_BROWSER = True


class Location(Entity):
    name: str = Field(min_length=1)
    character_id: str | None = None
    folder_id: str | None = None
    secret_door: str = ""


class LocationRepository(Repository[Location]):
    async def named(self, name: str) -> list[Location]:
        return [loc for loc in await self.list() if loc.name == name]


LOCATION = EntityType(
    kind="location",
    table="locations",
    schema="id, name, character_id, folder_id",
    since=3,
    model=Location,
    repository=LocationRepository,
    references=(
        Ref("character_id", "character", on_delete="cascade"),
        Ref("folder_id", "folder"),
    ),
    device_only=frozenset({"secret_door"}),
    shown=(
        Shown("locations", "lists"),
        Shown("character_locations", "character", where={"character_id": CONTEXT}),
    ),
)
REGISTRY = default_registry().with_features(Feature("locations", (LOCATION,)))


@pytest.fixture
async def domain():
    db = Database(f"locations-{new_id()}")
    domain = await open_domain(db, registry=REGISTRY)
    yield domain
    domain.store.close()
    await db.delete()


async def test_crud_through_the_generic_repository(domain):
    locations = domain.feature("locations")
    assert isinstance(locations, LocationRepository) and domain.repository("location") is locations
    inn = await locations.create({"name": "The Inn"})
    assert (await locations.require(inn.id)).name == "The Inn"
    moved = await locations.update(inn.id, {"name": "The Old Inn"})
    assert moved.updated_at >= inn.updated_at
    assert [loc.id for loc in await locations.named("The Old Inn")] == [inn.id]
    await locations.delete(inn.id)
    assert await locations.count() == 0


async def test_references_are_checked_and_deletes_cascade(domain):
    locations = domain.repository("location")
    with pytest.raises(InvalidDataError, match="character_id: no character with id 'ghost'"):
        await locations.create({"name": "Nowhere", "character_id": "ghost"})
    ada = await domain.characters.create({"name": "Ada"})
    await locations.create({"name": "Ada's room", "character_id": ada.id})
    await locations.create({"name": "Town square"})
    await domain.characters.delete(ada.id)  # the registry says her locations go with her
    assert [loc.name for loc in await locations.list()] == ["Town square"]


async def test_export_and_import_carry_the_entity_but_not_its_secrets(domain):
    ada = await domain.characters.create({"name": "Ada"})
    room = await domain.repository("location").create(
        {"name": "Ada's room", "character_id": ada.id, "secret_door": "behind the shelf"}
    )
    exported = await domain.transfer.export_full()
    assert [r["name"] for r in exported["locations"]] == ["Ada's room"]
    assert "secret_door" not in exported["locations"][0]  # device-only: left out
    with_secrets = await domain.transfer.export_full(include_secrets=True)
    assert with_secrets["locations"][0]["secret_door"] == "behind the shelf"

    parsed = domain.transfer.parse(with_secrets)
    assert isinstance(parsed, ParsedFile) and len(parsed.records("locations")) == 1
    fresh_db = Database(f"locations-fresh-{new_id()}")
    fresh = await open_domain(fresh_db, registry=REGISTRY)
    try:
        report = await fresh.transfer.import_file(with_secrets)
        assert report.written["locations"] == 1
        assert await fresh.repository("location").require(room.id) == room

        bad = {**with_secrets, "locations": [{**with_secrets["locations"][0], "id": new_id(),
                                              "character_id": "missing"}]}
        report = await fresh.transfer.import_file(bad)  # an optional reference: cleared
        assert any("character_id" in line for line in report.orphaned)
    finally:
        fresh.store.close()
        await fresh_db.delete()


async def test_the_schema_history_gains_a_version(domain):
    assert REGISTRY.current_version == 3
    assert "locations" not in REGISTRY.tables_at(2) and "locations" in REGISTRY.tables_at(3)
    assert domain.store.db.verno == 3


async def test_the_app_state_shows_it_where_it_declares(domain):
    state = AppState(DomainBackend(domain))
    try:
        await state.load_global()
        await state.load_lists()
        ada = await state.create("character", {"name": "Ada"})
        room = await state.create("location", {"name": "Ada's room", "character_id": ada.id})
        square = await state.create("location", {"name": "Town square"})
        assert [loc.id for loc in get(state.views.locations)] == [room.id, square.id]
        await state.open_character(ada.id)
        assert [loc.id for loc in get(state.views.character_locations)] == [room.id]
        await state.update("location", square.id, {"character_id": ada.id})  # it moves in
        assert [loc.id for loc in get(state.views.character_locations)] == [room.id, square.id]
        await state.delete("location", room.id)
        assert [loc.id for loc in get(state.views.character_locations)] == [square.id]
        state.close_character()
        assert get(state.views.character_locations) == []
    finally:
        state.close()
