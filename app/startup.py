"""Opening the user's library: one database, every domain module registered once."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.domain import Domain, Store
    from app.lore import LayerCache

__all__ = ["DATABASE_NAME", "current_domain", "library", "lore_cache", "open_library"]

DATABASE_NAME = "lorekeeper"
_opened: list[Domain] = []
_lore_cache: list[LayerCache] = []


async def open_library(name: str = DATABASE_NAME) -> Domain:
    """Open (creating or upgrading as needed) the app's database with every module."""
    from app.db import Database
    from app.domain import open_domain
    from app.lore import LayerCache, follow_changes

    domain = await open_domain(Database(name))
    cache = LayerCache()
    follow_changes(cache, domain.store)
    _opened[:] = [domain]
    _lore_cache[:] = [cache]
    return domain


def current_domain() -> Domain | None:
    """Every repository of the library the boot opened (``None`` before)."""
    return _opened[0] if _opened else None


def library() -> Store | None:
    """The domain store the boot opened (``None`` before)."""
    return _opened[0].store if _opened else None


def lore_cache() -> LayerCache | None:
    """The library's lore index cache, kept in step with lorebook edits."""
    return _lore_cache[0] if _lore_cache else None
