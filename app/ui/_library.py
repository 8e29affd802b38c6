"""Finding the characters repository the boot sequence registered.

The boot (``app.main``) opens the library before calling ``start``. The domain store it
opened is looked up here; when there is none (tools, tests, an older boot), a domain
store with every domain module registered is opened on the app's database.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from ._characters import CharacterRepository

__all__ = ["characters_repository", "open_domain_store"]

_opened: list[Any] = []


def _registered_store() -> Any | None:
    for module_name, attr in (("app.state", "library"), ("app.startup", "library")):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        found = getattr(module, attr, None)
        found = found() if callable(found) and not hasattr(found, "repo") else found
        if found is not None and hasattr(found, "repo"):
            return found
    return _opened[0] if _opened else None


async def open_domain_store(db: Any) -> Any:
    """A domain ``Store`` on ``db`` with every ``app.domain`` feature module registered."""
    import app.domain as domain
    from app.domain._store import Store

    store = Store(db)
    for info in pkgutil.iter_modules(domain.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"app.domain.{info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(store)
    await store.open()
    return store


async def characters_repository() -> CharacterRepository:
    store = _registered_store()
    if store is None:
        from app.db import Database

        try:
            from app.startup import DATABASE_NAME
        except ImportError:  # pragma: no cover - the boot module is the lead's
            DATABASE_NAME = "lorekeeper"
        store = await open_domain_store(Database(DATABASE_NAME))
        _opened.append(store)
    repo: CharacterRepository = store.repo("characters")
    return repo
