"""Turn storage errors from `app.db` into domain errors users can act on."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from ._errors import DomainError, StorageFullError, StorageUnavailableError, UpgradeBlockedError

__all__ = ["to_domain_error", "translate_db_errors"]


def _name_chain(exc: BaseException) -> list[str]:
    names: list[str] = []
    seen: set[int] = set()
    current: Any = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        names.append(type(current).__name__)
        inner_name = getattr(current, "name", None)
        if isinstance(inner_name, str):
            names.append(inner_name)
        current = getattr(current, "inner", None) or getattr(current, "__cause__", None)
    return names


def to_domain_error(exc: BaseException) -> BaseException:
    """The domain error for a storage failure, or `exc` itself when it is not one."""
    if isinstance(exc, DomainError):
        return exc
    names = _name_chain(exc)
    if any("QuotaExceeded" in n for n in names):
        return StorageFullError(exc)
    if any(n in ("UpgradeBlockedError", "BlockedError") for n in names):
        return UpgradeBlockedError(exc)
    if any(n == "DatabaseClosedError" for n in names):
        return StorageUnavailableError(
            "The database was closed (another tab may be upgrading it). Reload the page.", exc
        )
    if any(n in ("UpgradeError", "VersionError") for n in names):
        return StorageUnavailableError(
            "The stored data could not be upgraded to this version of Lorekeeper. "
            "Export your data from a tab still running the old version before reloading.",
            exc,
        )
    return exc


@contextlib.asynccontextmanager
async def translate_db_errors() -> AsyncIterator[None]:
    """Re-raise storage errors as domain errors (the original is `__cause__`)."""
    try:
        yield
    except DomainError:
        raise
    except Exception as exc:
        mapped = to_domain_error(exc)
        if mapped is exc:
            raise
        raise mapped from exc
