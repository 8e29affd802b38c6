"""Lorekeeper's domain layer: pydantic models, repositories, cross-entity operations.

Each feature module (`app.domain.characters`, `app.domain.lorebook`, ...) exposes
`register(store)`; importing a module has no side effects.
"""

from ._entity import Entity, Model
from ._errors import (
    DomainError,
    FieldError,
    InvalidDataError,
    NotFoundError,
    StorageFullError,
    StorageUnavailableError,
    UpgradeBlockedError,
)
from ._ids import UtcDateTime, format_utc, new_id, utc_now, uuid7
from .lorebook import SCOPED_LEVELS, LorebookEntry, LorebookLevel, SelectiveLogic

__all__ = [
    "SCOPED_LEVELS",
    "DomainError",
    "Entity",
    "FieldError",
    "InvalidDataError",
    "LorebookEntry",
    "LorebookLevel",
    "Model",
    "NotFoundError",
    "SelectiveLogic",
    "StorageFullError",
    "StorageUnavailableError",
    "UpgradeBlockedError",
    "UtcDateTime",
    "format_utc",
    "new_id",
    "utc_now",
    "uuid7",
]
