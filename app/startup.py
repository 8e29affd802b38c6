"""Opening the user's library: one database, every domain module registered once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.domain import Domain
    from app.lore import LayerCache
    from app.state import AppState

__all__ = ["DATABASE_NAME", "Library", "open_library"]

DATABASE_NAME = "lorekeeper"


@dataclass(frozen=True, slots=True)
class Library:
    """What the boot opened: every repository, and the lore index cache kept in step
    with committed lorebook edits. Handed on explicitly; nothing keeps it globally."""

    domain: Domain
    lore: LayerCache

    def app_state(self) -> AppState:
        """``app.state``'s ``AppState`` over this library (the one owner of UI state)."""
        from app.state import AppState, DomainBackend

        return AppState(DomainBackend(self.domain))


async def open_library(name: str = DATABASE_NAME) -> Library:
    """Open (creating or upgrading as needed) the app's database with every module."""
    from app.db import Database
    from app.domain import open_domain
    from app.lore import LayerCache, follow_changes

    domain = await open_domain(Database(name))
    cache = LayerCache()
    follow_changes(cache, domain.store)
    return Library(domain, cache)
