"""Domain errors: each carries a message fit to show in the UI."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError as _PydanticValidationError

__all__ = [
    "DomainError",
    "FieldError",
    "InvalidDataError",
    "NotFoundError",
    "StorageFullError",
    "StorageUnavailableError",
    "UpgradeBlockedError",
    "field_errors_from_pydantic",
]


class DomainError(Exception):
    """Base of every domain error; `str(err)` is a user-facing message."""


@dataclass(frozen=True)
class FieldError:
    """One invalid field: `path` like `lorebook_entries[3].scope_id`."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InvalidDataError(DomainError, ValueError):
    """Data was rejected; `.errors` lists every invalid field, the message names them."""

    def __init__(self, errors: Sequence[FieldError]):
        self.errors: list[FieldError] = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors) or "invalid data")

    def prefixed(self, prefix: str) -> InvalidDataError:
        """The same errors with `prefix` before each path (e.g. `characters[2]`)."""
        return InvalidDataError([FieldError(_join(prefix, e.path), e.message) for e in self.errors])


class NotFoundError(DomainError, LookupError):
    """A record no longer exists (deleted elsewhere, e.g. in another tab)."""

    def __init__(self, kind: str, id: object):
        self.kind, self.id = kind, id
        super().__init__(f"This {kind} no longer exists (it may have been deleted in another tab).")


class StorageFullError(DomainError):
    """The browser refused to store more data."""

    def __init__(self, inner: BaseException | None = None):
        self.inner = inner
        super().__init__(
            "Storage is full: the browser refused to save. Free some space "
            "(delete old chats or export and remove data) and try again."
        )


class UpgradeBlockedError(DomainError):
    """A database upgrade waits for other tabs holding the old version open."""

    def __init__(self, inner: BaseException | None = None):
        self.inner = inner
        super().__init__(
            "Lorekeeper was updated, but another tab still has the old version open. "
            "Close the other Lorekeeper tabs, then reload this one."
        )


class StorageUnavailableError(DomainError):
    """The database failed for another reason (closed, upgrade failed, ...)."""

    def __init__(self, message: str, inner: BaseException | None = None):
        self.inner = inner
        super().__init__(message)


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if not path:
        return prefix
    return f"{prefix}{path}" if path.startswith("[") else f"{prefix}.{path}"


def _loc_to_path(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = f"{path}.{part}" if path else str(part)
    return path


def field_errors_from_pydantic(exc: _PydanticValidationError) -> list[FieldError]:
    """Turn pydantic's errors into `FieldError`s without pydantic's prefixes."""
    out: list[FieldError] = []
    for err in exc.errors(include_url=False):
        message = err["msg"]
        if err["type"] == "value_error":
            ctx = err.get("ctx") or {}
            message = str(ctx.get("error", message.removeprefix("Value error, ")))
        elif err["type"] == "assertion_error":
            message = message.removeprefix("Assertion failed, ")
        out.append(FieldError(_loc_to_path(err["loc"]), message))
    return out
