"""Compensated two-step writes under fault injection; in-memory state stays consistent."""

import pytest

from app.domain import StorageFullError, create_then_register, delete_with_cleanup
from app.reactive import get, writable

RUN_IN_BROWSER = True


class ModuleState:
    """An in-memory cache like app.state's: modules and links by id, fed by change events."""

    def __init__(self, domain):
        self.modules = writable({})
        self.links = writable({})
        domain.store.on("modules:changed", lambda changes: self._apply(self.modules, changes))
        domain.store.on("module_links:changed", lambda changes: self._apply(self.links, changes))

    @staticmethod
    def _apply(store, changes):
        current = dict(get(store))
        for change in changes:
            if change.type == "delete":
                current.pop(change.key, None)
            else:
                current[change.key] = change.new
        store.set(current)


async def assert_consistent(domain, state):
    db_modules = {m["id"]: m for m in await domain.store.table("modules").to_array()}
    db_links = {lk["id"]: lk for lk in await domain.store.table("module_links").to_array()}
    assert get(state.modules) == db_modules
    assert get(state.links) == db_links


async def test_create_then_register_removes_the_module_when_attaching_fails(domain, monkeypatch):
    state = ModuleState(domain)
    character = await domain.characters.create({"name": "Ada"})

    async def failing_attach(*args, **kwargs):
        raise StorageFullError()

    monkeypatch.setattr(domain.modules.links, "attach", failing_attach)
    with pytest.raises(StorageFullError, match="Storage is full"):
        await domain.modules.create_attached({"name": "M"}, "character", character.id)
    assert await domain.modules.modules.count() == 0
    assert await domain.modules.links.count() == 0
    await assert_consistent(domain, state)


async def test_create_then_register_when_the_target_vanished(domain):
    state = ModuleState(domain)
    from app.domain import InvalidDataError

    with pytest.raises(InvalidDataError, match="target_id: no chat"):
        await domain.modules.create_attached({"name": "M"}, "chat", "deleted-in-another-tab")
    assert await domain.modules.modules.count() == 0
    await assert_consistent(domain, state)


async def test_create_then_register_success(domain):
    state = ModuleState(domain)
    character = await domain.characters.create({"name": "Ada"})
    module = await domain.modules.create_attached({"name": "M"}, "character", character.id)
    links = await domain.modules.links.for_target("character", character.id)
    assert [lk.module_id for lk in links] == [module.id]
    await assert_consistent(domain, state)


async def test_delete_with_cleanup_restores_links_when_the_delete_fails(domain, monkeypatch):
    state = ModuleState(domain)
    ada = await domain.characters.create({"name": "Ada"})
    chat = await domain.chats.create({"character_id": ada.id})
    module = await domain.modules.create_attached({"name": "M"}, "character", ada.id)
    await domain.modules.links.attach(module.id, "chat", chat.id)
    before = sorted(await domain.store.table("module_links").to_array(), key=lambda r: r["id"])

    async def failing_delete(module_id):
        raise OSError("the delete failed")

    monkeypatch.setattr(domain.modules.modules, "delete", failing_delete)
    with pytest.raises(OSError, match="the delete failed"):
        await domain.modules.delete_detached(module.id)
    after = sorted(await domain.store.table("module_links").to_array(), key=lambda r: r["id"])
    assert after == before  # the very same links, ids and timestamps
    assert await domain.modules.modules.get(module.id) is not None
    await assert_consistent(domain, state)


async def test_delete_with_cleanup_success(domain):
    state = ModuleState(domain)
    ada = await domain.characters.create({"name": "Ada"})
    module = await domain.modules.create_attached({"name": "M"}, "character", ada.id)
    await domain.lorebook.create({"level": "module", "scope_id": module.id})
    await domain.modules.delete_detached(module.id)
    assert await domain.modules.modules.count() == 0
    assert await domain.modules.links.count() == 0
    assert await domain.lorebook.count() == 0
    await assert_consistent(domain, state)


async def test_a_failing_compensation_keeps_the_original_error():
    removed = []

    async def create():
        return "thing"

    async def register(thing):
        raise ValueError("register failed")

    async def remove(thing):
        removed.append(thing)
        raise OSError("remove failed too")

    with pytest.raises(ValueError, match="register failed") as info:
        await create_then_register(create, register, remove)
    assert removed == ["thing"]
    assert any("remove failed too" in note for note in getattr(info.value, "__notes__", []))


async def test_delete_with_cleanup_passes_references_to_restore():
    calls = []

    async def unlink():
        calls.append("unlink")
        return ["ref-1", "ref-2"]

    async def delete():
        calls.append("delete")
        raise KeyError("gone")

    async def restore(refs):
        calls.append(("restore", refs))

    with pytest.raises(KeyError):
        await delete_with_cleanup(unlink, delete, restore)
    assert calls == ["unlink", "delete", ("restore", ["ref-1", "ref-2"])]


async def test_storage_fault_while_attaching_removes_the_created_module(faulty):
    from app.db.errors import QuotaExceededError

    domain, injector = faulty
    state = ModuleState(domain)
    ada = await domain.characters.create({"name": "Ada"})
    injector.fail_writes("module_links", QuotaExceededError("quota"))
    with pytest.raises(StorageFullError):
        await domain.modules.create_attached({"name": "M"}, "character", ada.id)
    assert injector.writes.count("modules") == 2  # created, then removed
    assert await domain.modules.modules.count() == 0
    await assert_consistent(domain, state)


async def test_storage_fault_while_deleting_restores_the_links(faulty):
    from app.db.errors import AbortError

    domain, injector = faulty
    state = ModuleState(domain)
    ada = await domain.characters.create({"name": "Ada"})
    module = await domain.modules.create_attached({"name": "M"}, "character", ada.id)
    entry = await domain.lorebook.create({"level": "module", "scope_id": module.id})
    links_before = await domain.store.table("module_links").to_array()
    injector.fail_writes("modules", AbortError("aborted"))
    with pytest.raises(AbortError):
        await domain.modules.delete_detached(module.id)
    injector.heal()
    assert await domain.store.table("module_links").to_array() == links_before
    assert await domain.lorebook.get(entry.id) == entry  # the delete's cascade rolled back
    await assert_consistent(domain, state)
