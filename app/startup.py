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
        from app.sync import SyncHandle

        store = self.domain.store
        state = AppState(DomainBackend(self.domain), lore_cache=self.lore)
        # what a sync pulls in is shown the way another tab's writes are
        state.sync = SyncHandle(store.db, on_applied=store.receive_external)
        return state


async def open_library(name: str = DATABASE_NAME) -> Library:
    """Open (creating or upgrading as needed) the app's database with every module."""
    from app.db import Database
    from app.domain import default_registry, open_domain
    from app.lore import LayerCache, follow_changes
    from app.sync import SyncSchema, install_outbox, resume_sync

    db = Database(name)
    # every change to a synced table records what it changed (once the library syncs)
    install_outbox(db, SyncSchema(default_registry().synced))
    domain = await open_domain(db)
    cache = LayerCache()
    follow_changes(cache, domain.store)
    # a library linked to a server goes on syncing; what it pulls reaches the state
    await resume_sync(db, on_applied=domain.store.receive_external)
    return Library(domain, cache)
