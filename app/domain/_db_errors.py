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


def _needs_reload(exc: BaseException) -> bool:
    """`app.db`'s VersionError for a page older than the stored data (a newer release
    upgraded it in another tab, and this page's tables no longer fit)."""
    current: Any = exc
    for _ in range(8):
        if current is None:
            return False
        if getattr(current, "needs_reload", False) is True:
            return True
        current = getattr(current, "inner", None) or getattr(current, "__cause__", None)
    return False


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
    if _needs_reload(exc):
        return StorageUnavailableError(
            "Lorekeeper was updated in another tab. Reload this page to go on.", exc
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
