"""The sync server as one ASGI app: the API of ``shared/SYNC.md`` and the built site.

Every route is declared in ``routes()``; each endpoint takes the request, finds the user
from the bearer token (never from the body), and answers errors as
``{"error": {"code", "message"}}``. Nothing from a request body is ever logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import TypeVar

from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from app.sync._protocol import (
    MAX_BATCHES,
    PROTOCOL_VERSION,
    PULL_LIMIT_DEFAULT,
    PULL_LIMIT_MAX,
    Credentials,
    PushRequest,
)

from ._auth import Accounts, UserExistsError
from ._config import ServerConfig
from ._database import ServerDatabase
from ._errors import ApiError, install_error_handlers, validation_message
from ._limits import SlidingWindow, TokenBuckets
from ._pokes import PokeHub
from ._records import POKE_CHANNEL, RecordStore, check_schema_version
from ._site import SiteFiles

__all__ = ["SyncServer", "create_app"]

log = logging.getLogger("lorekeeper.server")
M = TypeVar("M", bound=BaseModel)
#: Loggers of our dependencies that would write SQL parameters (library content) at DEBUG
#: level; the server keeps them quiet whatever the logging configuration says.
_CHATTY = ("aiosqlite", "sqlalchemy.engine", "asyncpg")


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class SyncServer:
    """The parts of one server process; ``start()``/``stop()`` run in the app's lifespan."""

    def __init__(self, config: ServerConfig, hasher: PasswordHasher | None = None) -> None:
        for name in _CHATTY:
            logging.getLogger(name).setLevel(logging.WARNING)
        self.config = config
        self.db = ServerDatabase(config.database_url)
        self.accounts = Accounts(self.db, hasher)
        self.records = RecordStore(self.db)
        self.pokes = PokeHub()
        self.site = SiteFiles(config.site_dir, config.base) if config.site_dir else None
        self.login_by_user = SlidingWindow(config.login_failures_per_user, config.login_window_s)
        self.login_by_address = SlidingWindow(config.login_failures_per_address,
                                              config.login_window_s)
        self.registrations = SlidingWindow(config.registrations_per_address, 3600.0)
        self.requests = TokenBuckets(config.requests_per_second, config.request_burst)
        self._purger: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.db.migrate()
        if self.db.is_postgres:
            dsn = self.config.database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
            await self.pokes.listen(dsn, POKE_CHANNEL)
        if self.config.purge_interval_s > 0:
            self._purger = asyncio.ensure_future(self._purge_periodically())

    async def stop(self) -> None:
        if self._purger is not None:
            self._purger.cancel()
            with contextlib.suppress(BaseException):
                await self._purger
        await self.pokes.close()
        await self.db.dispose()

    async def purge_now(self) -> int:
        cutoff = _now_ms() - int(self.config.tombstone_days * 86_400_000)
        purged = await self.records.purge_tombstones(cutoff)
        if purged:
            log.info("purged %d tombstones", purged)
        return purged

    async def _purge_periodically(self) -> None:
        while True:
            try:
                await self.purge_now()
            except Exception as error:
                log.warning("tombstone purge failed: %s", type(error).__name__)
            await asyncio.sleep(self.config.purge_interval_s)

    # ------------------------------------------------------------ request helpers
    async def user(self, request: Request) -> str:
        """The user of the bearer token; 401 without a valid one; 429 when flooding."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "unauthorized", "sign in first (no bearer token)",
                           headers={"WWW-Authenticate": "Bearer"})
        user_id = await self.accounts.user_for_token(token.strip())
        if user_id is None:
            raise ApiError(401, "unauthorized", "this session has ended: sign in again",
                           headers={"WWW-Authenticate": "Bearer"})
        wait = self.requests.take(user_id)
        if wait:
            raise ApiError(429, "rate_limited", f"too many requests: retry in {wait} s",
                           headers={"Retry-After": str(wait)})
        return user_id

    async def raw(self, request: Request) -> bytes:
        """The body, read at most ``max_body_bytes`` far (413 beyond)."""
        limit = self.config.max_body_bytes
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise ApiError(413, "payload_too_large",
                           f"a request may carry at most {limit} bytes", limit=limit)
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise ApiError(413, "payload_too_large",
                               f"a request may carry at most {limit} bytes", limit=limit)
            chunks.append(chunk)
        return b"".join(chunks)

    async def body(self, request: Request, model: type[M]) -> M:
        """The request body validated as ``model``: 400 if it is not JSON, 422 naming
        where it is wrong (parsed and checked in one pass, in pydantic's core)."""
        raw = await self.raw(request)
        try:
            return model.model_validate_json(raw)
        except ValidationError as error:
            if any(e.get("type") == "json_invalid" for e in error.errors()):
                raise ApiError(400, "invalid_request", "the body is not JSON") from None
            raise ApiError(422, "invalid_request", validation_message(error)) from None

    @staticmethod
    def address(request: Request) -> str:
        return request.client.host if request.client is not None else "unknown"


def _server(request: Request) -> SyncServer:
    server: SyncServer = request.app.state.server
    return server


def _token(request: Request) -> str:
    return request.headers.get("authorization", "").partition(" ")[2].strip()


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ApiError(400, "invalid_request", f"{name} must be an integer") from None


# ---------------------------------------------------------------- endpoints


async def health(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok", "protocol": PROTOCOL_VERSION})


async def register(request: Request) -> JSONResponse:
    server = _server(request)
    if not server.config.open_registration:
        raise ApiError(403, "forbidden",
                       "registration is closed on this server: ask its owner for an account")
    address = server.address(request)
    wait = server.registrations.retry_after(address)
    if wait:
        raise ApiError(429, "rate_limited", f"too many new accounts: retry in {wait} s",
                       headers={"Retry-After": str(wait)})
    credentials = await server.body(request, Credentials)
    try:
        user_id = await server.accounts.create_user(credentials.username, credentials.password)
    except UserExistsError:
        raise ApiError(409, "conflict", "that username is taken") from None
    server.registrations.add(address)
    log.info("registered user %s", user_id)
    return JSONResponse({"user_id": user_id}, status_code=201)


async def login(request: Request) -> JSONResponse:
    server = _server(request)
    credentials = await server.body(request, Credentials)
    address = server.address(request)
    name = credentials.username.strip().casefold()
    wait = max(server.login_by_user.retry_after(name), server.login_by_address.retry_after(address))
    if wait:
        raise ApiError(429, "rate_limited",
                       f"too many failed sign-ins: retry in {wait} s",
                       headers={"Retry-After": str(wait)})
    user_id = await server.accounts.verify(credentials.username, credentials.password)
    if user_id is None:
        server.login_by_user.add(name)
        server.login_by_address.add(address)
        raise ApiError(401, "unauthorized", "wrong username or password")
    server.login_by_user.reset(name)
    token = await server.accounts.open_session(user_id)
    return JSONResponse({"token": token, "user_id": user_id})


async def logout(request: Request) -> Response:
    server = _server(request)
    await server.user(request)
    await server.accounts.close_session(_token(request))
    return Response(status_code=204)


async def push(request: Request) -> JSONResponse:
    server = _server(request)
    user_id = await server.user(request)
    push_request = await server.body(request, PushRequest)
    if len(push_request.batches) > MAX_BATCHES:
        raise ApiError(413, "payload_too_large",
                       f"at most {MAX_BATCHES} batches per request", limit=MAX_BATCHES)
    result = await server.records.push(user_id, push_request)
    if result.changed and not server.db.is_postgres:
        server.pokes.poke(user_id)  # PostgreSQL pokes every process through NOTIFY
    return JSONResponse({"last_seq": result.last_seq, "server_time_ms": _now_ms()})


async def pull(request: Request) -> Response:
    server = _server(request)
    user_id = await server.user(request)
    cursor = _int_param(request, "cursor", 0)
    limit = _int_param(request, "limit", PULL_LIMIT_DEFAULT)
    if cursor < 0 or limit < 1:
        raise ApiError(400, "invalid_request", "cursor must be ≥ 0 and limit ≥ 1")
    schema = request.query_params.get("schema_version")
    if schema is not None:
        check_schema_version(_int_param(request, "schema_version", 0))
    page = await server.records.pull(user_id, cursor, min(limit, PULL_LIMIT_MAX))
    return Response(page.body, media_type="application/json",
                    headers={"LK-Cursor-End": str(page.end)})


async def events(request: Request) -> Response:
    server = _server(request)
    user_id = await server.user(request)
    heartbeat = server.config.heartbeat_s

    async def stream() -> AsyncIterator[bytes]:
        with server.pokes.subscribe(user_id) as sub:
            yield b"retry: 2000\n: connected\n\n"
            while not server.pokes.closed.is_set():
                poked = await sub.wait(heartbeat)
                if server.pokes.closed.is_set():
                    return
                yield b"event: poke\ndata:\n\n" if poked else b": ping\n\n"

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


def routes(server: SyncServer) -> list[BaseRoute]:
    api: list[BaseRoute] = [
        APIRoute("/api/v1/health", health, methods=["GET"]),
        APIRoute("/api/v1/auth/register", register, methods=["POST"], status_code=201),
        APIRoute("/api/v1/auth/login", login, methods=["POST"]),
        APIRoute("/api/v1/auth/logout", logout, methods=["POST"], status_code=204),
        APIRoute("/api/v1/sync/push", push, methods=["POST"]),
        APIRoute("/api/v1/sync/pull", pull, methods=["GET"]),
        APIRoute("/api/v1/sync/events", events, methods=["GET"]),
    ]
    site = server.site
    if site is None:
        return api

    async def site_file(request: Request) -> Response:
        return await site.handle(request, request.path_params.get("path", ""))

    base = site.base
    pages: list[BaseRoute] = [Route(base + "{path:path}", site_file, methods=["GET", "HEAD"])]
    if base != "/":
        pages.insert(0, Route(base.rstrip("/"), site.base_redirect, methods=["GET", "HEAD"]))
    return api + pages


def create_app(config: ServerConfig, *, hasher: PasswordHasher | None = None) -> FastAPI:
    """The ASGI app for ``config`` (migrations run when its lifespan starts)."""
    server = SyncServer(config, hasher)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await server.start()
        try:
            yield
        finally:
            await server.stop()

    middleware = []
    if config.cors_origins:
        middleware.append(Middleware(
            CORSMiddleware, allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type"],
            expose_headers=["Retry-After", "LK-Cursor-End"], max_age=600))
    app = FastAPI(title="Lorekeeper sync", version=str(PROTOCOL_VERSION), routes=routes(server),
                  middleware=middleware, lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.server = server
    install_error_handlers(app)
    return app
