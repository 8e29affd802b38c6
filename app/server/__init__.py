"""The optional sync server (CPython only, never shipped to the browser).

``create_app(ServerConfig(...))`` is the ASGI app: the sync API of ``shared/SYNC.md``
under ``/api/v1`` and, when given, the built site under its base path. ``./lk serve``
runs it on uvicorn; ``./lk user add NAME`` makes an account.
"""

from ._app import SyncServer, create_app
from ._auth import Accounts, UserExistsError
from ._config import ServerConfig, database_url, origins_from_env
from ._database import ServerDatabase

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
