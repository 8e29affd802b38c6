"""Helpers for talking to the sync server app in-process (httpx over ASGI)."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator
from typing import Any

import httpx
from argon2 import PasswordHasher

from app.server import ServerConfig, create_app

__all__ = ["FAST_HASHER", "Api", "hlc", "running_app"]

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
