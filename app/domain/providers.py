"""Provider configs and API keys; deleting a key unlinks it from every config."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from ._db_errors import translate_db_errors
from ._entity import Entity
from ._entity_type import EntityType, Ref, Shown
from ._feature import Feature, tables_of
from ._repository import Repository

__all__ = [
    "API_KEY",
    "FEATURE",
    "PROVIDER_CONFIG",
    "ApiKey",
    "ApiKeyRepository",
    "ProviderConfig",
    "ProviderConfigRepository",
    "Providers",
]


class ApiKey(Entity):
    name: str = Field(min_length=1)
    provider: str = ""
    value: str = Field(min_length=1, repr=False)


class ProviderConfig(Entity):
    name: str = Field(min_length=1)
    type: str = Field(min_length=1)
    base_url: str | None = None
    api_key_id: str | None = None
    enabled: bool = True
    models: list[str] = Field(default_factory=list)
    default_model: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)


class ApiKeyRepository(Repository[ApiKey]):
    """Deleting a key unlinks it from every provider config."""


class ProviderConfigRepository(Repository[ProviderConfig]):
    """Deleting a config forgets it as the default (`default_provider_config_id`)."""


@dataclass(frozen=True)
class Providers:
    """The providers module's repositories."""

    configs: ProviderConfigRepository
    api_keys: ApiKeyRepository

    @property
    def tables_used(self) -> tuple[str, ...]:
        return tables_of(self.configs, self.api_keys)

    async def save(
        self,
        data: Mapping[str, Any],
        *,
        config_id: str | None = None,
        api_key: str | None = None,
    ) -> ProviderConfig:
        """Create a config (`config_id` None) or update one, and set its API key in the
        same transaction: `api_key=None` leaves the key as it is, `""` removes it (the
        key record goes too unless another config uses it), any other value replaces the
        linked key's value (or creates a key named after the config)."""
        async with translate_db_errors(), self.configs.store.transaction("rw", *self.tables_used):
            if config_id is None:
                config = await self.configs.create(data)
            else:
                config = await self.configs.update(config_id, data)
            if api_key is None:
                return config
            linked = config.api_key_id
            if api_key == "":
                if linked is None:
                    return config
                config = await self.configs.update(config.id, {"api_key_id": None})
                users = await self.configs.where("api_key_id", linked)
                if not users and await self.api_keys.get(linked) is not None:
                    await self.api_keys.delete(linked)
                return config
            if linked is not None and await self.api_keys.get(linked) is not None:
                shared = [
                    c for c in await self.configs.where("api_key_id", linked) if c.id != config.id
                ]
                if not shared:
                    await self.api_keys.update(linked, {"value": api_key, "provider": config.type})
                    return config
            key = await self.api_keys.create(
                {"name": config.name, "provider": config.type, "value": api_key}
            )
            return await self.configs.update(config.id, {"api_key_id": key.id})


API_KEY = EntityType(
    kind="api_key",
    table="api_keys",
    schema="id, name, provider, updated_at",
    since=2,
    model=ApiKey,
    repository=ApiKeyRepository,
    label="API key",
    syncs=False,  # keys stay on the device
    device_only=frozenset({"value"}),
    shown=(Shown("api_keys", "lists"),),
)
PROVIDER_CONFIG = EntityType(
    kind="provider_config",
    table="provider_configs",
    schema="id, name, type, api_key_id, updated_at",
    since=2,
    model=ProviderConfig,
    repository=ProviderConfigRepository,
    references=(Ref("api_key_id", "api_key", on_delete="clear"),),
    shown=(Shown("provider_configs", "lists"),),
)

FEATURE = Feature(
    "providers",
    (API_KEY, PROVIDER_CONFIG),
    api=lambda repos: Providers(
        repos.of("provider_config", ProviderConfigRepository),
        repos.of("api_key", ApiKeyRepository),
    ),
)
