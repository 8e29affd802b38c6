"""The store: features declared by the registry, events after commit, caller transactions."""

import asyncio
import importlib

import pytest

from app.db import Database
from app.domain import (
    FEATURES,
    Change,
    Domain,
    Feature,
    InvalidDataError,
    Store,
    chats,
    default_registry,
    open_domain,
)
from tests.domain._support import FakeClock, memory_db

RUN_IN_BROWSER = True


FEATURE_MODULES = [
    "characters",
    "chats",
    "folders",
    "lorebook",
    "messages",
    "modules",
    "personas",
    "plugins",
    "prompt_reports",
    "presets",
    "providers",
    "rules",
    "scripts",
    "series",
    "settings",
    "stories",
    "sync_targets",
]


def test_importing_a_module_has_no_side_effects():
    db = memory_db()
    for name in FEATURE_MODULES:
        module = importlib.import_module(f"app.domain.{name}")
        held = [v for v in vars(module).values() if isinstance(v, (Store, Database))]
        assert held == [], name  # no module-level store or database
        assert isinstance(module.FEATURE, Feature)
    entity_features = {f.name for f in FEATURES if f.entities}  # (not the sync's bookkeeping)
    assert entity_features == {m.FEATURE.name for m in map(_module, FEATURE_MODULES)}
    assert db.declared_versions() == []


def _module(name):
    return importlib.import_module(f"app.domain.{name}")


async def test_a_store_declares_the_registry_and_repositories_are_bound():
    db = memory_db()
    store = Store(db, default_registry(), clock=FakeClock())
    domain = Domain(store)
    assert store.has_table("characters")
    assert domain.repository("character") is domain.characters
    await store.open()
    created = await domain.characters.create({"name": "Ada"})
    assert (await domain.characters.require(created.id)).name == "Ada"
    await db.delete()


async def test_two_features_cannot_declare_the_same_table():
    from app.domain.characters import CHARACTER

    with pytest.raises(ValueError, match="declared twice"):
        default_registry().with_features(Feature("again", (CHARACTER,)))


async def test_change_events_arrive_after_commit_only(domain):
    seen: list[list[Change]] = []
    domain.store.on("characters:changed", seen.append)
    async with domain.store.transaction("rw", domain.characters):
        await domain.characters.create({"name": "Ada"})
        assert seen == []  # not before commit
    assert len(seen) == 1 and seen[0][0].type == "create"
    assert seen[0][0].new["name"] == "Ada" and seen[0][0].external is False


async def test_no_events_for_an_aborted_transaction(domain):
    seen = []
    domain.store.on("changes", seen.append)
    with pytest.raises(RuntimeError):
        async with domain.store.transaction("rw", domain.characters):
            await domain.characters.create({"name": "Ada"})
            raise RuntimeError("boom")
    assert seen == []
    assert await domain.characters.count() == 0


async def test_repositories_compose_inside_a_caller_transaction(domain):
    store = domain.store
    with pytest.raises(InvalidDataError):
        async with store.transaction("rw", domain.characters, domain.chats, domain.messages):
            character = await domain.characters.create({"name": "Ada"})
            chat = await domain.chats.create({"character_id": character.id})
            await domain.messages.create({"chat_id": chat.id, "role": "user", "content": "hi"})
            await domain.messages.create({"chat_id": chat.id, "role": "nobody"})
    assert await domain.characters.count() == 0
    assert await domain.chats.count() == 0
    assert await domain.messages.count() == 0


async def test_one_commit_gives_one_event_per_table(domain):
    per_table: dict[str, int] = {}
    for table in ("characters", "chats"):
        domain.store.on(f"{table}:changed", lambda ch, t=table: per_table.__setitem__(t, len(ch)))
    async with domain.store.transaction("rw", domain.characters, domain.chats):
        character = await domain.characters.create({"name": "Ada"})
        await domain.chats.create({"character_id": character.id})
        await domain.chats.create({"character_id": character.id})
    assert per_table == {"characters": 1, "chats": 2}


async def test_external_writes_become_an_external_change_event(domain):
    external, changed = [], []
    domain.store.on("external-change", external.append)
    domain.store.on("chats:changed", changed.append)
    domain.store.receive_external({"chats": None})
    assert external[0][0].table == "chats" and external[0][0].external
    assert external[0][0].key is None  # the keys were not known: reload the table
    assert changed and changed[0][0].external
    domain.store.receive_external({"chats": ["c1", "c2"]})
    assert [c.key for c in external[1]] == ["c1", "c2"]


async def test_another_connections_writes_arrive_as_external_changes(domain, db):
    """A second connection to the same database plays the other tab."""
    other_tab = await open_domain(Database(db.name, backend=db.backend))
    external: list[str] = []
    arrived = asyncio.Event()

    def on_external(changes):
        external.extend(c.table for c in changes)
        arrived.set()

    domain.store.on("external-change", on_external)
    await domain.characters.create({"name": "local"})  # this tab: not external
    await other_tab.personas.create({"name": "Them"})
    await asyncio.wait_for(arrived.wait(), 10)
    arrived.clear()
    await other_tab.chats.create({"title": "theirs"})
    await asyncio.wait_for(arrived.wait(), 10)
    assert external == ["personas", "chats"]
    assert [p.name for p in await domain.personas.list()] == ["Them"]

    for round_ in range(3):  # local and foreign writes to the same table, interleaved
        async with domain.store.transaction("rw", domain.personas):
            await domain.personas.create({"name": f"mine {round_}"})
        arrived.clear()
        await other_tab.plugins.create({"name": f"theirs {round_}"})
        await asyncio.wait_for(arrived.wait(), 10)  # the watcher has caught up
        arrived.clear()
        await other_tab.personas.create({"name": f"theirs {round_}"})
        await asyncio.wait_for(arrived.wait(), 10)
    assert external == ["personas", "chats", *["plugins", "personas"] * 3]
    other_tab.store.close()


async def test_local_writes_are_not_external(db):
    external = []
    store = Store(db, default_registry())
    domain = Domain(store)
    store.on("external-change", external.append)  # listening from before the open
    await store.open()
    await domain.characters.create({"name": "Ada"})
    async with domain.store.transaction("rw", domain.chats, domain.messages):
        chat = await domain.chats.create({})
        await domain.messages.create({"chat_id": chat.id, "role": "user"})
    # a foreign write afterwards is the marker: had ours been external, they came first
    other_tab = await open_domain(Database(db.name, backend=db.backend))
    arrived = asyncio.Event()
    domain.store.on("external-change", lambda _changes: arrived.set())
    await other_tab.plugins.create({"name": "P"})
    await asyncio.wait_for(arrived.wait(), 10)
    assert [[c.table for c in changes] for changes in external] == [["plugins"]]
    other_tab.store.close()
    store.close()


async def test_transaction_missing_a_table_is_refused(domain):
    from app.db.errors import SubTransactionError

    with pytest.raises(SubTransactionError):
        async with domain.store.transaction("rw", "characters"):
            await domain.characters.create({"name": "Ada"})  # also reads folders


async def test_unsubscribe_and_failing_listener(domain):
    calls = []

    def bad(_changes):
        raise ValueError("listener bug")

    domain.store.on("characters:changed", bad)
    off = domain.store.on("characters:changed", calls.append)
    await domain.characters.create({"name": "Ada"})
    off()
    await domain.characters.create({"name": "Bob"})
    assert len(calls) == 1  # the failing listener did not stop the others


async def test_open_domain_registers_every_feature():
    db = memory_db()
    domain = await open_domain(db)
    names = {t.name for t in db.tables}
    assert {"characters", "chats", "messages", "lorebook_entries", "series", "settings"} <= names
    assert domain.repository("chat") is domain.chats
    assert isinstance(chats.Chat(), chats.Chat)
    await db.delete()
