"""Finding the library the boot opened, and the app state over it.

The boot (``app.main``) calls ``app.startup.open_library()`` before ``start``; its
``current_domain()`` holds every repository. Without a boot (tools, a bare page) the
library is opened here the same way.
"""

from __future__ import annotations

from typing import Any

from ._characters import StateCharacters

__all__ = ["library_domain", "state_characters"]


async def library_domain() -> Any:
    """Every repository of the library (opened now if the boot did not)."""
    from app.startup import current_domain, open_library

    domain = current_domain()
    if domain is None:
        domain = await open_library()
    return domain


def state_characters(domain: Any) -> StateCharacters:
    """``app.state``'s ``AppState`` over ``domain``, its characters list also following a
    live query: when the stored list differs from the state's (a commit the state did
    not make, in another tab or on another connection), the state reloads it."""
    from app.db import live_query
    from app.state import AppState, DomainBackend

    state = AppState(DomainBackend(domain))
    return StateCharacters(state, changes=live_query(domain.characters.list))
