"""Finding the characters repository of the library the boot opened.

The boot (``app.main``) calls ``app.startup.open_library()`` before ``start``; its
``current_domain()`` holds every repository. Without a boot (tools, a bare page) the
library is opened here the same way.
"""

from __future__ import annotations

from typing import Any

from ._characters import CharacterRepository

__all__ = ["characters_repository", "open_domain_store"]


async def open_domain_store(db: Any) -> Any:
    """A domain ``Store`` on ``db`` with every ``app.domain`` module registered, opened."""
    from app.domain._registry import open_domain

    domain = await open_domain(db)
    return domain.store


async def characters_repository() -> CharacterRepository:
    from app.startup import current_domain, open_library

    domain = current_domain()
    if domain is None:
        domain = await open_library()
    repo: CharacterRepository = domain.characters
    return repo
