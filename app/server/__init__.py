"""The optional sync server (CPython only, never shipped to the browser).

``create_app(ServerConfig(...))`` is the ASGI app: the sync API of ``shared/SYNC.md``
under ``/api/v1`` and, when given, the built site under its base path. ``./lk serve``
runs it on uvicorn; ``./lk user add NAME`` makes an account. Names load when first
used (PEP 562), so ``tools/server.py`` can share the MIME table without FastAPI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app._lazy import lazy_names

if TYPE_CHECKING:
    from ._app import SyncServer, create_app
    from ._auth import Accounts, UserExistsError
    from ._config import ServerConfig, database_url, origins_from_env
    from ._database import ServerDatabase

_LAZY = {
    "SyncServer": "._app", "create_app": "._app", "Accounts": "._auth",
    "UserExistsError": "._auth", "ServerConfig": "._config", "database_url": "._config",
    "origins_from_env": "._config", "ServerDatabase": "._database",
}

__all__ = [
    "Accounts",
    "ServerConfig",
    "ServerDatabase",
    "SyncServer",
    "UserExistsError",
    "create_app",
    "database_url",
    "origins_from_env",
]


__getattr__ = lazy_names(__name__, _LAZY)
