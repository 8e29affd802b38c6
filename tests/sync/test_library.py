"""The outbox on the app's own library, as the boot opens it: which tables sync (from the
domain's registry), device-only data never recorded, deleted records out of sight."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.startup import Library, open_library
from app.sync import SYNC_TABLES
from tests.sync._library import start_recording, unique_name

RUN_IN_BROWSER = True


@pytest.fixture
async def library() -> AsyncIterator[Library]:
    lib = await open_library(unique_name("library"))
    yield lib
    lib.domain.store.close()
    await lib.domain.store.db.delete()


async def recorded(lib: Library) -> list[dict[str, Any]]:
    rows = await lib.domain.store.db.table("sync_outbox").to_array()
    return [c for row in rows for c in row["changes"]]


async def test_a_library_that_never_syncs_records_nothing(library: Library) -> None:
    await library.domain.characters.create({"name": "Aria"})
    assert await recorded(library) == []
    assert await library.domain.store.db.table("sync_meta").count() == 0


async def test_user_content_is_recorded_and_api_keys_never_are(library: Library) -> None:
    await start_recording(library.domain.store.db)
    domain = library.domain
    aria = await domain.characters.create({"name": "Aria"})
    key = await domain.providers.api_keys.create({"name": "OpenAI", "value": "sk-secret-1"})
    await domain.providers.configs.create({"name": "GPT", "type": "openai",
                                           "api_key_id": key.id})
    await domain.settings.set("theme", "dark")
    changes = await recorded(library)
    tables = {c["table"] for c in changes}
    assert {"characters", "provider_configs", "settings"} <= tables
    assert "api_keys" not in tables
    assert "sk-secret-1" not in repr(changes)
    assert "sk-secret-1" not in repr(await domain.store.db.table("sync_meta").to_array())
    (character,) = [c for c in changes if c["table"] == "characters"]
    assert character["id"] == aria.id and character["fields"]["name"][0] == "Aria"


async def test_a_deleted_record_is_kept_only_as_a_tombstone_nobody_sees(library: Library) -> None:
    await start_recording(library.domain.store.db)
    domain = library.domain
    aria = await domain.characters.create({"name": "Aria"})
    await domain.characters.create({"name": "Bram"})
    await domain.characters.delete(aria.id)
    assert [c.name for c in await domain.characters.list()] == ["Bram"]
    exported = await domain.transfer.export_full()
    assert [c["name"] for c in exported["characters"]] == ["Bram"]
    assert not set(SYNC_TABLES) & set(exported)  # the sync's bookkeeping is never exported
    tombstone = await domain.store.db.table("sync_meta").get(["characters", aria.id])
    assert tombstone["deleted"] is True and tombstone["values"]["name"] == "Aria"
