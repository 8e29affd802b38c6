"""Settings: typed key/value pairs with defaults (one row per key)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, JsonValue, ValidationInfo, field_validator
from pydantic import ValidationError as _PydanticValidationError

from ._db_errors import translate_db_errors
from ._entity import Model
from ._entity_type import EntityType
from ._errors import FieldError, InvalidDataError, field_errors_from_pydantic
from ._feature import Feature
from ._ids import format_utc
from ._repository import TableRepository

__all__ = ["FEATURE", "SETTING", "AppSettings", "SettingRecord", "SettingsRepository"]

#: Keys under this prefix hold free-form JSON (plugins keep their settings there).
EXTENSION_PREFIX = "ext."


class AppSettings(Model):
    """Every known setting with its type and default."""

    theme: Literal["system", "light", "dark"] = "system"
    language: str = "en"
    font_size: int = Field(default=16, ge=8, le=48)
    send_on_enter: bool = True
    active_persona_id: str | None = None
    default_provider_config_id: str | None = None
    #: Matching defaults; a lorebook entry may override case and whole words.
    lore_case_sensitive: bool = False
    lore_match_whole_words: bool = True
    lore_scan_depth: int = Field(default=2, ge=0, le=1000)
    lore_token_budget: int = Field(default=2048, ge=0)
    lore_recursive_scanning: bool = True
    lore_max_recursion: int = Field(default=3, ge=0, le=20)
    sync_enabled: bool = False
    #: Warn when the library uses this share of the storage the browser gives us.
    storage_warning_percent: int = Field(default=80, ge=10, le=99)


class SettingRecord(Model):
    """One stored setting (a row of the `settings` table): a known key with a value of
    its type, or an extension key (`ext.…`) with any JSON value."""

    key: str = Field(min_length=1)
    value: JsonValue = None
    updated_at: str | None = None

    @field_validator("key")
    @classmethod
    def _known_key(cls, key: str) -> str:
        if key in AppSettings.model_fields or _is_extension(key):
            return key
        raise ValueError("unknown setting")

    @field_validator("value")
    @classmethod
    def _typed_value(cls, value: Any, info: ValidationInfo) -> Any:
        key = info.data.get("key")
        if key is None:  # the key was rejected; that error is reported already
            return value
        try:
            return validate_setting(key, value)
        except InvalidDataError as exc:
            raise ValueError(exc.errors[0].message) from None


def _is_extension(key: str) -> bool:
    return key.startswith(EXTENSION_PREFIX) and len(key) > len(EXTENSION_PREFIX)


def validate_setting(key: str, value: Any) -> Any:
    """The value converted to the setting's type; `InvalidDataError` naming the key."""
    if _is_extension(key):
        return value
    if key not in AppSettings.model_fields:
        raise InvalidDataError([FieldError(key, "unknown setting")])
    try:
        return getattr(AppSettings.model_validate({key: value}), key)
    except _PydanticValidationError as exc:
        raise InvalidDataError(field_errors_from_pydantic(exc)) from None


class SettingsRepository(TableRepository):
    """`get(key)` returns the stored value or the default; `set` validates the type."""

    @staticmethod
    def default(key: str) -> Any:
        if key not in AppSettings.model_fields:
            if key.startswith(EXTENSION_PREFIX):
                return None
            raise InvalidDataError([FieldError(key, "unknown setting")])
        return AppSettings.model_fields[key].get_default(call_default_factory=True)

    async def get(self, key: str, default: Any = None) -> Any:
        async with translate_db_errors():
            record = await self.table.get(key)
        if record is None:
            fallback = self.default(key)
            return default if fallback is None and default is not None else fallback
        return record["value"]

    async def set(self, key: str, value: Any) -> Any:
        value = validate_setting(key, value)
        record = {"key": key, "value": value, "updated_at": format_utc(self.store.clock())}
        async with translate_db_errors():
            await self.table.put(record)
        return value

    async def set_many(self, values: Mapping[str, Any]) -> None:
        """Validate every value first, then write them in one transaction."""
        checked = {k: validate_setting(k, v) for k, v in values.items()}
        now = format_utc(self.store.clock())
        async with translate_db_errors(), self.store.transaction("rw", self.table_name):
            for key, value in checked.items():
                await self.table.put({"key": key, "value": value, "updated_at": now})

    async def reset(self, key: str) -> None:
        """Forget the stored value so the default applies again."""
        async with translate_db_errors():
            await self.table.delete(key)

    async def all(self) -> AppSettings:
        """Every known setting (defaults filled in)."""
        async with translate_db_errors():
            records = await self.table.to_array()
        stored = {r["key"]: r["value"] for r in records if r["key"] in AppSettings.model_fields}
        return AppSettings.parse(stored)

    async def raw(self) -> dict[str, Any]:
        """Every stored key (known and extension keys) with its value."""
        async with translate_db_errors():
            records = await self.table.to_array()
        return {r["key"]: r["value"] for r in records}


SETTING = EntityType(
    kind="setting",
    table="settings",
    schema="key",
    key="key",
    model=SettingRecord,
    repository=SettingsRepository,
)

FEATURE = Feature(
    "settings",
    (SETTING,),
    # settings that hold a record's id: deleting the record forgets the setting
    setting_refs={
        "active_persona_id": "persona",
        "default_provider_config_id": "provider_config",
    },
)
