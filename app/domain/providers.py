"""Provider configs and API keys; deleting a key unlinks it from every config."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field

from ._entity import Entity
from ._entity_type import EntityType, Ref
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
)
PROVIDER_CONFIG = EntityType(
    kind="provider_config",
    table="provider_configs",
    schema="id, name, type, api_key_id, updated_at",
    since=2,
    model=ProviderConfig,
    repository=ProviderConfigRepository,
    references=(Ref("api_key_id", "api_key", on_delete="clear"),),
)

FEATURE = Feature(
    "providers",
    (API_KEY, PROVIDER_CONFIG),
    api=lambda repos: Providers(
        repos.of("provider_config", ProviderConfigRepository),
        repos.of("api_key", ApiKeyRepository),
    ),
)
