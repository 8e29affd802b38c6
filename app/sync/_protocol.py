"""The sync wire protocol, version 1 (``shared/SYNC.md``): limits, models, the merge rule.

Shared by the client (``app.sync``) and the server (``app.server``), so both validate the
same shapes and apply the same merge rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from ._fields import DELETED
from ._hlc import HLC_PATTERN

__all__ = [
    "DELETED",
    "MAX_BATCHES",
    "MAX_BODY_BYTES",
    "MAX_DRIFT_MS",
    "MIN_PASSWORD_LENGTH",
    "PROTOCOL_VERSION",
    "PULL_LIMIT_DEFAULT",
    "PULL_LIMIT_MAX",
    "SCHEMA_VERSION",
    "Batch",
    "Change",
    "Credentials",
    "ErrorBody",
    "ErrorInfo",
    "FieldValues",
    "Health",
    "LoginResponse",
    "PullResponse",
    "PushRequest",
    "PushResponse",
    "RegisterResponse",
    "field_wins",
    "merge_fields",
]

PROTOCOL_VERSION = 1
#: The shape of synced records this client writes; the server accepts it and the one before.
SCHEMA_VERSION = 1
#: A field whose HLC is further ahead of the server's clock than this is refused.
MAX_DRIFT_MS = 5 * 60 * 1000
MAX_BATCHES = 1000
MAX_BODY_BYTES = 5 * 1024 * 1024
PULL_LIMIT_DEFAULT = 1000
PULL_LIMIT_MAX = 5000
MIN_PASSWORD_LENGTH = 8

Hlc = Annotated[str, StringConstraints(pattern=HLC_PATTERN)]
TableName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")]
RecordId = Annotated[str, StringConstraints(min_length=1, max_length=200)]
FieldName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
ClientId = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_.:-]{1,64}$")]

#: field name -> (value, HLC of its last write)
FieldValues = dict[str, tuple[Any, str]]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Change(_Wire):
    """Sets fields of one record; every field carries the HLC of its last write."""

    table: TableName
    id: RecordId
    fields: dict[FieldName, tuple[Any, Hlc]] = Field(min_length=1)

    @field_validator("fields")
    @classmethod
    def _tombstone_is_boolean(cls, fields: dict[str, tuple[Any, str]]) -> dict[str, tuple[Any, str]]:
        deleted = fields.get(DELETED)
        if deleted is not None and not isinstance(deleted[0], bool):
            raise ValueError(f"{DELETED} must be true or false")
        return fields


class Batch(_Wire):
    """What one local transaction wrote; ``seq`` counts a client's batches 1, 2, 3 ..."""

    seq: int = Field(ge=1)
    changes: list[Change]


class PushRequest(_Wire):
    client_id: ClientId
    schema_version: int
    batches: list[Batch]


class PushResponse(_Wire):
    last_seq: int
    server_time_ms: int


class PullResponse(_Wire):
    changes: list[Change]
    cursor: int
    has_more: bool
    server_time_ms: int


class Credentials(_Wire):
    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class LoginResponse(_Wire):
    token: str
    user_id: str


class RegisterResponse(_Wire):
    user_id: str


class Health(_Wire):
    status: str
    protocol: int


class ErrorInfo(BaseModel):
    """``code`` and ``message`` always; some codes add fields (``expected_seq``, ...)."""

    model_config = ConfigDict(extra="allow")
    code: str
    message: str


class ErrorBody(_Wire):
    error: ErrorInfo


def field_wins(incoming: str, current: str | None) -> bool:
    """The merge rule for one field: the greater HLC wins; equal HLCs are one write."""
    return current is None or incoming > current


def merge_fields(
    current: Mapping[str, tuple[Any, str] | list[Any]],
    incoming: Mapping[str, tuple[Any, str] | list[Any]],
) -> dict[str, tuple[Any, str]]:
    """The fields of ``incoming`` that win over ``current`` (empty: nothing changes)."""
    won: dict[str, tuple[Any, str]] = {}
    for name, (value, hlc) in incoming.items():
        mine = current.get(name)
        if field_wins(hlc, None if mine is None else mine[1]):
            won[name] = (value, hlc)
    return won
