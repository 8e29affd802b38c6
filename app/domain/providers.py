"""Provider configs and API keys; deleting a key unlinks it from every config."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field

from ._entity import Entity
from ._module import declare
from ._repository import Repository, clear_references, clear_setting
from ._store import Store

__all__ = [
    "TABLES",
    "ApiKey",
    "ApiKeyRepository",
    "ProviderConfig",
    "ProviderConfigRepository",
    "Providers",
    "register",
]

TABLES = {
    "api_keys": "id, name, provider, updated_at",
    "provider_configs": "id, name, type, api_key_id, updated_at",
}


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
    table_name = "api_keys"
    model = ApiKey
    kind = "API key"
    cascade_tables = ("provider_configs",)

    async def _cascade_delete(self, entity: ApiKey) -> None:
        await clear_references(self.store, "provider_configs", "api_key_id", entity.id)


class ProviderConfigRepository(Repository[ProviderConfig]):
    table_name = "provider_configs"
    model = ProviderConfig
    kind = "provider config"
    references = (("api_key_id", "api_key"),)
    cascade_tables = ("settings",)

    async def _cascade_delete(self, entity: ProviderConfig) -> None:
        await clear_setting(self.store, "default_provider_config_id", entity.id)

    async def using_key(self, api_key_id: str) -> list[ProviderConfig]:
        return await self.where("api_key_id", api_key_id)


@dataclass(frozen=True)
class Providers:
    """The providers module's repositories."""

    configs: ProviderConfigRepository
    api_keys: ApiKeyRepository


def register(store: Store) -> Providers:
    """Declare provider configs and API keys; return both repositories."""
    api = Providers(ProviderConfigRepository(store), ApiKeyRepository(store))
    return declare(store, "providers", TABLES, api)
