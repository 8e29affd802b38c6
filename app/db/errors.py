"""Errors raised by :mod:`app.db`.

Every class derives from :class:`DatabaseError` and carries the underlying browser
error (a JS ``DOMException`` proxy), when there is one, as ``.inner``.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AbortError",
    "BulkError",
    "ConstraintError",
    "DataError",
    "DatabaseClosedError",
    "DatabaseError",
    "InvalidTableError",
    "NotFoundError",
    "PrematureCommitError",
    "QuotaExceededError",
    "ReadOnlyError",
    "SchemaError",
    "SubTransactionError",
    "TransactionInactiveError",
    "UpgradeError",
    "VersionError",
    "map_error",
    "outdated_page_error",
]


class DatabaseError(Exception):
    """Base class of every database error; ``inner`` is the original error, if any."""

    def __init__(self, message: str = "", inner: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.inner = inner

    @property
    def name(self) -> str:
        """Dexie-style error name, e.g. ``"ConstraintError"``."""
        return type(self).__name__


class ConstraintError(DatabaseError):
    """A key or unique index already holds the value being added."""


class DataError(DatabaseError):
    """A key or key range is not a valid IndexedDB key."""


class NotFoundError(DatabaseError):
    """An object store or index does not exist."""


class ReadOnlyError(DatabaseError):
    """A write was attempted in a read-only transaction."""


class QuotaExceededError(DatabaseError):
    """The browser refused to store more data."""


class AbortError(DatabaseError):
    """The transaction was aborted."""


class TransactionInactiveError(DatabaseError):
    """A request was placed on a transaction that is no longer active."""


class PrematureCommitError(DatabaseError):
    """The transaction committed before its body finished.

    Raised when the body of ``db.transaction`` awaits something that is not a
    database operation: IndexedDB commits as soon as no request is pending.
    """


class SubTransactionError(DatabaseError):
    """A nested transaction asked for tables or a mode its parent does not cover."""


class SchemaError(DatabaseError):
    """The schema declaration is invalid."""


class UpgradeError(DatabaseError):
    """An upgrade function failed; ``version`` names the version being upgraded to."""

    def __init__(
        self, message: str = "", inner: Any = None, version: float | None = None
    ) -> None:
        super().__init__(message, inner)
        self.version = version


class VersionError(DatabaseError):
    """The stored database is newer than the declared schema, or versions are invalid.

    When a newer release of the app upgraded the database (in another tab) and this
    page's declared schema no longer fits it, ``installed_version`` and
    ``declared_version`` say so and the message tells the user to reload the page.
    """

    def __init__(
        self,
        message: str = "",
        inner: Any = None,
        *,
        installed_version: float | None = None,
        declared_version: float | None = None,
    ) -> None:
        super().__init__(message, inner)
        self.installed_version = installed_version
        self.declared_version = declared_version

    @property
    def needs_reload(self) -> bool:
        """This page runs an older release than the stored data: reloading fixes it."""
        return (
            self.installed_version is not None
            and self.declared_version is not None
            and self.installed_version > self.declared_version
        )


def outdated_page_error(
    name: str, installed: float, declared: float, reason: str
) -> VersionError:
    """The database was upgraded by a newer release and this page cannot use it."""
    return VersionError(
        f"database {name!r} was upgraded to version {installed} by a newer version of the "
        f"app (in another tab); this page knows version {declared} and cannot use it "
        f"({reason}). Reload the page.",
        installed_version=installed,
        declared_version=declared,
    )


class InvalidTableError(DatabaseError):
    """The table is not part of the schema or of the current transaction."""


class DatabaseClosedError(DatabaseError):
    """The database was closed (explicitly, or by a version change elsewhere)."""


class BulkError(DatabaseError):
    """Some items of a bulk call failed.

    ``failures_by_pos`` maps the position in the input to its error; ``failures``
    lists the errors in input order.  Items that succeeded stay written unless the
    surrounding transaction aborts.
    """

    def __init__(
        self,
        message: str = "",
        failures_by_pos: dict[int, DatabaseError] | None = None,
        inner: Any = None,
    ) -> None:
        self.failures_by_pos: dict[int, DatabaseError] = dict(
            sorted((failures_by_pos or {}).items())
        )
        super().__init__(message or self._describe(), inner)

    @property
    def failures(self) -> list[DatabaseError]:
        return list(self.failures_by_pos.values())

    def _describe(self) -> str:
        n = len(self.failures_by_pos)
        first = next(iter(self.failures_by_pos.items()), None)
        detail = f"; first at position {first[0]}: {first[1]}" if first else ""
        return f"{n} of the bulk operations failed{detail}"


_BY_NAME: dict[str, type[DatabaseError]] = {
    "ConstraintError": ConstraintError,
    "DataError": DataError,
    "DataCloneError": DataError,
    "NotFoundError": NotFoundError,
    "ReadOnlyError": ReadOnlyError,
    "QuotaExceededError": QuotaExceededError,
    "AbortError": AbortError,
    "TransactionInactiveError": TransactionInactiveError,
    "VersionError": VersionError,
    "InvalidStateError": DatabaseClosedError,
    "InvalidAccessError": DataError,
}


def map_error(inner: Any, context: str = "") -> DatabaseError:
    """Turn a browser error (anything with ``.name``/``.message``) into a DatabaseError.

    An ``AbortError`` whose cause is a quota failure becomes ``QuotaExceededError``.
    """
    if isinstance(inner, DatabaseError):
        return inner
    name = str(getattr(inner, "name", "") or "")
    message = str(getattr(inner, "message", "") or inner or "")
    cls = _BY_NAME.get(name, DatabaseError)
    if cls is AbortError and "quota" in message.lower():
        cls = QuotaExceededError
    if "quota" in name.lower():
        cls = QuotaExceededError
    text = f"{context}: {name}: {message}" if context else f"{name}: {message}"
    return cls(text, inner)
