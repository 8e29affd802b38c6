"""Running the server process on uvicorn, and the ``user`` command's account work."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import uvicorn

from ._app import create_app
from ._auth import Accounts
from ._config import ServerConfig
from ._database import ServerDatabase

__all__ = ["add_user", "run_server", "set_password"]


def run_server(config: ServerConfig, host: str, port: int,
               on_ready: Callable[[str], None] | None = None) -> None:
    """Serve until interrupted; ``on_ready(origin)`` once the socket listens (port 0 picks
    a free port)."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = create_app(config)
    server = uvicorn.Server(uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False,
        timeout_graceful_shutdown=2, timeout_keep_alive=30, proxy_headers=True,
        lifespan="on"))

    async def main() -> None:
        serving = asyncio.ensure_future(server.serve())
        while not server.started and not serving.done():
            await asyncio.sleep(0.02)
        if server.started and on_ready is not None:
            sockets = [s for srv in server.servers for s in srv.sockets]
            bound = sockets[0].getsockname()[1] if sockets else port
            on_ready(f"http://{host}:{bound}")
        await serving

    asyncio.run(main())


async def _with_accounts(url: str, work: Callable[[Accounts], object]) -> object:
    db = ServerDatabase(url)
    try:
        await db.migrate()
        result = work(Accounts(db))
        if asyncio.iscoroutine(result):
            result = await result
        return result
    finally:
        await db.dispose()


def add_user(database_url: str, username: str, password: str) -> str:
    """Make an account (``UserExistsError`` if the name is taken); returns its id."""
    return str(asyncio.run(_with_accounts(
        database_url, lambda accounts: accounts.create_user(username, password))))


def set_password(database_url: str, username: str, password: str) -> None:
    """Give an account a new password and end its sessions (``LookupError`` if unknown)."""
    async def work(accounts: Accounts) -> None:
        await accounts.set_password(username, password)
        await accounts.close_all_sessions(username)

    asyncio.run(_with_accounts(database_url, work))
