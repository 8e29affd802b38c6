"""Storage failures become domain errors with messages fit for the UI."""

import asyncio

import pytest

from app.db import Database
from app.db.errors import DatabaseClosedError, QuotaExceededError
from app.domain import (
    Domain,
    NotFoundError,
    StorageFullError,
    StorageUnavailableError,
    Store,
    UpgradeBlockedError,
    default_registry,
    new_id,
    open_domain,
    to_domain_error,
)

RUN_IN_BROWSER = True


async def test_storage_full_becomes_storage_full_error(faulty):
    domain, injector = faulty
    injector.fail_writes("characters", QuotaExceededError("quota"))
    with pytest.raises(StorageFullError, match="Storage is full") as info:
        await domain.characters.create({"name": "Ada"})
    assert isinstance(info.value.__cause__, QuotaExceededError)
    injector.heal()
    assert await domain.characters.count() == 0
    await domain.characters.create({"name": "Ada"})


async def test_storage_full_during_import_writes_nothing(faulty):
    domain, injector = faulty
    data = {
        "format": "lorekeeper",
        "type": "full",
        "version": 1,
        "characters": [{"id": "c", "name": "Ada"}],
        "lorebook_entries": [{"level": "character", "scope_id": "c"}],
    }
    injector.fail_writes("lorebook_entries", QuotaExceededError("quota"))
    with pytest.raises(StorageFullError):
        await domain.transfer.import_file(data)
    assert await domain.characters.count() == 0


async def test_wrapped_quota_error_is_recognised():
    from app.db.errors import AbortError

    inner = QuotaExceededError("quota")
    assert isinstance(to_domain_error(AbortError("aborted", inner)), StorageFullError)
    assert isinstance(to_domain_error(DatabaseClosedError("closed")), StorageUnavailableError)
    plain = KeyError("x")
    assert to_domain_error(plain) is plain


async def test_a_record_that_no_longer_exists(domain):
    chat = await domain.chats.create({})
    await domain.chats.delete(chat.id)
    with pytest.raises(NotFoundError, match="This chat no longer exists") as info:
        await domain.chats.update(chat.id, {"title": "x"})
    assert info.value.kind == "chat" and info.value.id == chat.id
    with pytest.raises(NotFoundError, match="This story no longer exists"):
        await domain.lorebook.for_story("gone")


async def _old_tab(name):
    old = Database(name, backend="memory")
    old.version(1).stores(default_registry().tables_at(1))
    old.on("versionchange", lambda event: False)  # an old tab that does not let go
    await old.open()
    return old


async def test_a_blocked_upgrade_can_fail_fast_with_a_message():
    name = f"blocked-{new_id()}"
    old = await _old_tab(name)
    new_db = Database(name, backend="memory")
    with pytest.raises(UpgradeBlockedError, match="Close the other Lorekeeper tabs"):
        await open_domain(new_db, wait_if_blocked=False)
    old.close()
    await new_db.open()  # the upgrade completes once the old tab is gone
    assert new_db.verno == default_registry().current_version
    await new_db.delete()


async def test_a_blocked_upgrade_is_reported_then_completes():
    name = f"blocked-{new_id()}"
    old = await _old_tab(name)
    store = Store(Database(name, backend="memory"), default_registry())
    domain = Domain(store)
    reports = []
    blocked = asyncio.Event()
    store.on("upgrade-blocked", lambda error: (reports.append(str(error)), blocked.set()))
    opening = asyncio.ensure_future(store.open())
    await blocked.wait()
    assert not opening.done()
    assert "another tab still has the old version open" in reports[0]
    old.close()
    await opening
    assert store.db.verno == default_registry().current_version
    await domain.characters.create({"name": "Ada"})
    await store.db.delete()


def test_a_page_older_than_the_stored_data_is_told_to_reload():
    from app.db.errors import outdated_page_error

    error = to_domain_error(outdated_page_error("lorekeeper", 4, 3, "table 'x' is gone"))
    assert isinstance(error, StorageUnavailableError)
    assert "Reload this page" in str(error)
