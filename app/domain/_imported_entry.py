"""An entry a format importer built (``app.lore.formats``), as a validated lorebook record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from ._entity import validate_model
from ._errors import FieldError, InvalidDataError
from ._ids import format_utc
from .lorebook import LorebookEntry

__all__ = ["imported_entry"]

_FIELDS = tuple(LorebookEntry.model_fields)


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_utc(value)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value


def imported_entry(entry: Any, **fields: Any) -> dict[str, Any]:
    """``entry`` as a lorebook record with ``fields`` set (its level and scope, say);
    raises ``InvalidDataError`` naming each bad field.

    The importer's entry carries the domain's fields; they are read shallowly (it was
    just built from the file). Its ``extensions`` — the file's own JSON, which the
    model holds as ``dict[str, Any]`` — are checked as the model checks them (an object
    with string keys) and kept as they are, not walked through validation and
    serialisation again: on a SillyTavern book they are most of the entry."""
    values = {name: getattr(entry, name) for name in _FIELDS if hasattr(entry, name)}
    values.update(fields)
    extensions = values.pop("extensions", None)
    model = validate_model(LorebookEntry, values)
    # The validated values are JSON already, but for the timestamps (and any sub-model):
    # reading them back is much cheaper than serialising the model again.
    record = {name: _json(value) for name, value in model.__dict__.items()}
    if extensions is not None:
        if not isinstance(extensions, dict) or not all(isinstance(k, str) for k in extensions):
            raise InvalidDataError([FieldError("extensions", "must be an object")])
        record["extensions"] = extensions
    return record
