"""Entries a format importer built (``app.lore.formats``), as validated lorebook records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from pydantic import ValidationError as _PydanticValidationError

from ._entity import list_adapter
from ._errors import FieldError, InvalidDataError, field_errors_from_pydantic
from ._ids import format_utc
from .lorebook import LorebookEntry

__all__ = ["imported_entries", "imported_pairs"]

_FIELDS = tuple(name for name in LorebookEntry.model_fields if name != "extensions")


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_utc(value)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value


def _built_pairs(
    entries: Sequence[Any], fields: dict[str, Any]
) -> list[tuple[dict[str, Any], LorebookEntry]] | None:
    """The records (and entities) of entries that are all `LorebookEntry` models already
    (what the format importers build: validated when made, and on every assignment),
    or None.

    Only ``fields`` are new: they are validated once, on an entry of their own; the
    records are the models' values with the timestamps as text — no second validation
    per entry (on a 5,000-entry book that is most of the reading)."""
    if not all(type(entry) is LorebookEntry for entry in entries):
        return None
    try:
        LorebookEntry(**fields)
    except _PydanticValidationError:
        return None  # the full path names the field on every entry
    pairs = []
    for entry in entries:
        record = dict(entry.__dict__)
        record.update(fields)
        created, updated = record["created_at"], record["updated_at"]
        record["created_at"] = stamp = format_utc(created)
        record["updated_at"] = stamp if updated == created else format_utc(updated)
        pairs.append((record, entry.model_copy(update=fields) if fields else entry))
    return pairs


def imported_entries(entries: Sequence[Any], path: str, **fields: Any) -> list[dict[str, Any]]:
    """Each entry as a lorebook record with ``fields`` set (the level and scope, say).

    Raises ``InvalidDataError`` naming every bad field, ``<path>[3].probability``."""
    return [record for record, _ in imported_pairs(entries, path, **fields)]


def imported_pairs(
    entries: Sequence[Any], path: str, **fields: Any
) -> list[tuple[dict[str, Any], LorebookEntry]]:
    """`imported_entries`, each record with the validated entity it is the record of
    (what loading the record gives: a state shows it without validating it again).

    The importer's entries carry the domain's fields; they are read shallowly (they
    were just built from the file) and validated in one call for the whole book. Their
    ``extensions`` — the file's own JSON, held by the model as ``dict[str, Any]`` — are
    checked as the model checks them (an object with string keys) and kept as they are,
    not walked through validation and serialisation again: on a SillyTavern book they
    are most of each entry. The validated values are JSON already but for timestamps,
    so they are read back rather than serialised again.
    """
    built = _built_pairs(entries, fields)
    if built is not None:
        return built
    values: list[dict[str, Any]] = []
    problems: list[FieldError] = []
    for index, entry in enumerate(entries):
        value = {name: getattr(entry, name) for name in _FIELDS if hasattr(entry, name)}
        value.update(fields)
        values.append(value)
        extensions = getattr(entry, "extensions", None)
        if extensions is not None and (
            not isinstance(extensions, dict) or not all(isinstance(k, str) for k in extensions)
        ):
            problems.append(FieldError(f"{path}[{index}].extensions", "must be an object"))
    try:
        models = list_adapter(LorebookEntry).validate_python(values)
    except _PydanticValidationError as exc:
        problems += InvalidDataError(field_errors_from_pydantic(exc)).prefixed(path).errors
    if problems:
        raise InvalidDataError(problems)
    pairs = []
    for entry, model in zip(entries, models, strict=True):
        record = {name: _json(value) for name, value in model.__dict__.items()}
        extensions = getattr(entry, "extensions", None)
        if extensions is not None:
            record["extensions"] = extensions
            model = model.model_copy(update={"extensions": extensions})
        pairs.append((record, model))
    return pairs
