"""Provider configs and their API keys: saved together, keys never leave the device."""

from __future__ import annotations

import pytest

from app.domain import InvalidDataError, default_registry

RUN_IN_BROWSER = True


async def test_save_creates_a_config_with_its_key(domain):
    providers = domain.providers
    config = await providers.save(
        {"name": "Local", "type": "openai", "base_url": "http://127.0.0.1:5001/v1"},
        api_key="sk-one",
    )
    key = await providers.api_keys.require(config.api_key_id)
    assert key.value == "sk-one" and key.name == "Local" and key.provider == "openai"
    assert "sk-one" not in repr(key)


async def test_save_replaces_keeps_or_removes_the_key(domain):
    providers = domain.providers
    config = await providers.save({"name": "A", "type": "openai"}, api_key="sk-one")
    key_id = config.api_key_id
    kept = await providers.save({"default_model": "m"}, config_id=config.id)
    assert kept.api_key_id == key_id and kept.default_model == "m"
    replaced = await providers.save({}, config_id=config.id, api_key="sk-two")
    assert replaced.api_key_id == key_id
    assert (await providers.api_keys.require(key_id)).value == "sk-two"
    removed = await providers.save({}, config_id=config.id, api_key="")
    assert removed.api_key_id is None
    assert await providers.api_keys.count() == 0


async def test_a_shared_key_is_not_changed_for_the_other_config(domain):
    providers = domain.providers
    shared = await providers.api_keys.create({"name": "Shared", "value": "sk-shared"})
    a = await providers.configs.create({"name": "A", "type": "openai", "api_key_id": shared.id})
    b = await providers.configs.create({"name": "B", "type": "openai", "api_key_id": shared.id})
    a2 = await providers.save({}, config_id=a.id, api_key="sk-own")
    assert a2.api_key_id != shared.id
    assert (await providers.api_keys.require(shared.id)).value == "sk-shared"
    assert (await providers.api_keys.require(shared.id)).value == "sk-shared"  # B's still
    b2 = await providers.save({}, config_id=b.id, api_key="")
    assert b2.api_key_id is None
    assert await providers.api_keys.get(shared.id) is None  # nothing uses it any more
    assert (await providers.api_keys.require(a2.api_key_id)).value == "sk-own"


async def test_a_failed_save_writes_nothing(domain):
    providers = domain.providers
    with pytest.raises(InvalidDataError):
        await providers.save({"name": "", "type": "openai"}, api_key="sk-x")
    config = await providers.save({"name": "A", "type": "openai"})
    with pytest.raises(InvalidDataError):
        await providers.save({"type": ""}, config_id=config.id, api_key="sk-y")
    assert await providers.api_keys.count() == 0
    assert (await providers.configs.require(config.id)).type == "openai"


def test_keys_never_sync_and_configs_are_shown_in_the_lists():
    registry = default_registry()
    assert "api_keys" not in registry.synced and "provider_configs" in registry.synced
    stores = {shown.store: shown.level for _, shown in registry.shown}
    assert stores["provider_configs"] == "lists" and stores["api_keys"] == "lists"
