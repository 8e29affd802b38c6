"""What the browser gives the library: ``navigator.storage`` (estimate, persist).

Reached through the ``Dom``'s window, so tests hand a fake ``navigator`` to the memory
document. Every call returns ``None`` where the browser has no such API (older
browsers, some private modes) instead of failing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from ._dom import Dom

__all__ = ["StorageEstimate", "estimate", "format_bytes", "persist", "persisted"]

log = logging.getLogger("app.ui")


@dataclass(frozen=True, slots=True)
class StorageEstimate:
    """Bytes used by this site and the most it may use (``navigator.storage.estimate``)."""

    usage: int
    quota: int

    @property
    def share(self) -> float:
        """Used / available, 0..1 (0 when the browser reports no quota)."""
        return self.usage / self.quota if self.quota else 0.0


def format_bytes(n: int) -> str:
    """``1536`` → ``"1.5 KB"`` (powers of 1024, as browsers report storage)."""
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            if unit == "bytes":
                return f"{int(size):,} bytes"
            return f"{size:,.1f} {unit}"
        size /= 1024
    return f"{n} bytes"


def _manager(dom: Dom) -> Any:
    try:
        navigator = dom.get_prop(dom.window, "navigator")
        manager = getattr(navigator, "storage", None)
    except Exception:
        return None
    if manager is None or type(manager).__name__ in ("JsNull", "JsUndefined") or manager == "":
        return None
    return manager


async def estimate(dom: Dom) -> StorageEstimate | None:
    manager = _manager(dom)
    if manager is None or not hasattr(manager, "estimate"):
        return None
    try:
        found = await manager.estimate()
    except Exception as exc:
        log.warning("navigator.storage.estimate failed", exc_info=exc)
        return None
    return StorageEstimate(
        int(getattr(found, "usage", 0) or 0), int(getattr(found, "quota", 0) or 0)
    )


async def persisted(dom: Dom) -> bool | None:
    manager = _manager(dom)
    if manager is None or not hasattr(manager, "persisted"):
        return None
    try:
        return bool(await manager.persisted())
    except Exception:
        return None


async def persist(dom: Dom) -> bool | None:
    """Ask the browser to keep the library under storage pressure; its answer."""
    manager = _manager(dom)
    if manager is None or not hasattr(manager, "persist"):
        return None
    try:
        return bool(await manager.persist())
    except Exception as exc:
        log.warning("navigator.storage.persist failed", exc_info=exc)
        return None
