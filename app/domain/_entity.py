"""Base pydantic models shared by every entity."""

from __future__ import annotations

from functools import cache
from typing import Any, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator
from pydantic import ValidationError as _PydanticValidationError

from ._errors import InvalidDataError, field_errors_from_pydantic
from ._ids import UtcDateTime, new_id, utc_now

__all__ = ["Entity", "Model", "list_adapter", "validate_model"]

M = TypeVar("M", bound=BaseModel)


class Model(BaseModel):
    """Strict-ish base: unknown fields are rejected, assignments are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=False)

    @classmethod
    def parse(cls, data: Any) -> Self:
        """Validate `data` (dict or model); raise `InvalidDataError` naming each bad field."""
        return validate_model(cls, data)

    def to_record(self) -> dict[str, Any]:
        """The JSON-able dict stored in the database (datetimes as fixed-width UTC strings)."""
        return self.model_dump(mode="json")


class Entity(Model):
    """A synced record: client-generated UUIDv7 id plus UTC timestamps."""

    id: str = Field(default_factory=new_id, min_length=1)
    created_at: UtcDateTime = Field(default_factory=utc_now)
    updated_at: UtcDateTime = Field(default_factory=utc_now)

    @model_validator(mode="before")
    @classmethod
    def _one_clock_reading(cls, data: Any) -> Any:
        """A new entity gets the same `created_at` and `updated_at`."""
        if isinstance(data, dict) and "updated_at" not in data:
            now = data.get("created_at") or utc_now()
            data = {**data, "created_at": now, "updated_at": now}
        return data


def validate_model(cls: type[M], data: Any) -> M:
    """`cls.model_validate(data)` with errors turned into `InvalidDataError`."""
    try:
        if isinstance(data, BaseModel):
            data = data.model_dump()
        return cls.model_validate(data)
    except _PydanticValidationError as exc:
        raise InvalidDataError(field_errors_from_pydantic(exc)) from None


@cache
def list_adapter(cls: type[M]) -> TypeAdapter[list[M]]:
    """Validates a list of ``cls`` records in one call (made once per model)."""
    return TypeAdapter(list[cls])  # type: ignore[valid-type]
