"""Helpers for talking to the sync server app in-process (httpx over ASGI)."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator
from typing import Any

import httpx
from argon2 import PasswordHasher

from app.server import ServerConfig, create_app

__all__ = ["FAST_HASHER", "Api", "hlc", "running_app", "serving"]

#: argon2 with tiny costs, so tests can make many accounts quickly (the real server
#: uses argon2-cffi's defaults; tests/server/test_auth.py checks those).
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
_names = itertools.count(1)


def hlc(wall_ms: int, counter: int = 0, node: str = "node-a") -> str:
    return f"{wall_ms:015d}-{counter:05d}-{node}"


@contextlib.asynccontextmanager
async def running_app(config: ServerConfig, **kwargs: Any) -> AsyncIterator[Any]:
    """The app with its lifespan running (migrations, poke listener)."""
    app = create_app(config, hasher=kwargs.pop("hasher", FAST_HASHER), **kwargs)
    async with app.router.lifespan_context(app):
        yield app


class Api:
    """A person's client: ``await api.signup()`` then push/pull with their token."""

    def __init__(self, app: Any, address: str = "127.0.0.1") -> None:
        self.app = app
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app, client=(address, 5000)), base_url="http://lk")
        self.token: str | None = None
        self.user_id: str | None = None
        self.username: str | None = None

    @property
    def server(self) -> Any:
        return self.app.state.server

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def signup(self, username: str | None = None, password: str = "correct horse") -> Api:
        """Make an account through the server's accounts and sign in."""
        self.username = username or f"user{next(_names)}"
        await self.server.accounts.create_user(self.username, password)
        response = await self.login(self.username, password)
        assert response.status_code == 200, response.text
        return self

    async def login(self, username: str, password: str) -> httpx.Response:
        response = await self.http.post("/api/v1/auth/login",
                                        json={"username": username, "password": password})
        if response.status_code == 200:
            self.token = response.json()["token"]
            self.user_id = response.json()["user_id"]
        return response

    async def push(self, batches: list[dict[str, Any]], client_id: str = "client-1",
                   schema_version: int = 1) -> httpx.Response:
        return await self.http.post("/api/v1/sync/push", headers=self.headers(), json={
            "client_id": client_id, "schema_version": schema_version, "batches": batches})

    async def pull(self, cursor: int = 0, limit: int | None = None) -> httpx.Response:
        params = {"cursor": str(cursor)}
        if limit is not None:
            params["limit"] = str(limit)
        return await self.http.get("/api/v1/sync/pull", headers=self.headers(), params=params)

    async def pull_all(self, cursor: int = 0) -> tuple[dict[tuple[str, str], Any], int]:
        """Every record after ``cursor`` (following ``has_more``) and the final cursor."""
        found: dict[tuple[str, str], Any] = {}
        while True:
            response = await self.pull(cursor)
            assert response.status_code == 200, response.text
            body = response.json()
            for change in body["changes"]:
                found[(change["table"], change["id"])] = change["fields"]
            cursor = body["cursor"]
            if not body["has_more"]:
                return found, cursor

    async def close(self) -> None:
        await self.http.aclose()


@contextlib.asynccontextmanager
async def serving(config: ServerConfig) -> AsyncIterator[tuple[Any, str]]:
    """The app on a real uvicorn socket (127.0.0.1, a free port): ``(app, origin)``."""
    import asyncio

    import uvicorn

    app = create_app(config, hasher=FAST_HASHER)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                           lifespan="on", timeout_graceful_shutdown=1))
    task = asyncio.ensure_future(server.serve())
    started = asyncio.Event()

    async def watch() -> None:
        while not server.started and not task.done():
            await asyncio.sleep(0.01)
        started.set()

    await watch()
    assert started.is_set() and server.started, "uvicorn did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield app, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
