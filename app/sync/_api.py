"""The sync API as the client calls it, over any ``Transport`` (fetch in the browser,
httpx in CPython tests and benchmarks)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypedDict

from ._protocol import (
    PROTOCOL_VERSION,
    SCHEMA_VERSION,
    LoginResponse,
    PushResponse,
)
from ._sse import SseParser

__all__ = [
    "ApiError",
    "HttpResponse",
    "NetworkError",
    "PullPage",
    "SyncApi",
    "Transport",
    "WireChange",
    "decode_pull",
]


@dataclass(frozen=True, slots=True)
class HttpResponse:
    status: int
    #: header names in lower case
    headers: Mapping[str, str]
    body: bytes


class Transport(Protocol):
    async def request(self, method: str, url: str, headers: Mapping[str, str],
                      body: bytes | None) -> HttpResponse:
        """One request; raises ``NetworkError`` when no answer came."""
        ...

    def stream(self, url: str, headers: Mapping[str, str]) -> AsyncIterator[str]:
        """The text of a streamed GET as it arrives; ``ApiError`` for a non-2xx status."""
        ...


class NetworkError(Exception):
    """The server could not be reached (offline, refused, timed out, blocked by CORS)."""


class ApiError(Exception):
    """The server answered with an error: ``status``, ``code``, ``message``, ``info``."""

    def __init__(self, status: int, code: str, message: str,
                 info: Mapping[str, Any] | None = None, retry_after: float | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.info = dict(info or {})
        self.retry_after = retry_after

    @classmethod
    def from_response(cls, response: HttpResponse) -> ApiError:
        code, message, info = "http_error", f"the server answered {response.status}", {}
        try:
            error = json.loads(response.body)["error"]
            code, message = str(error["code"]), str(error["message"])
            info = {k: v for k, v in error.items() if k not in ("code", "message")}
        except (ValueError, KeyError, TypeError):
            pass
        retry = response.headers.get("retry-after")
        retry_after = float(retry) if retry and retry.replace(".", "", 1).isdigit() else None
        return cls(response.status, code, message, info, retry_after)

    @property
    def transient(self) -> bool:
        """Worth retrying later unchanged (server trouble or rate limits)."""
        return self.status >= 500 or self.status == 429 or self.status == 408


class WireChange(TypedDict):
    """A change as pulled: ``fields`` maps each field to ``[value, hlc]``."""

    table: str
    id: str
    fields: dict[str, list[Any]]


@dataclass(frozen=True, slots=True)
class PullPage:
    changes: list[WireChange]
    cursor: int
    has_more: bool
    server_time_ms: int
    #: the server's newest cursor when it answered (for progress), if it said
    end: int | None = None


def _bad(why: str) -> ApiError:
    return ApiError(502, "bad_response", f"the server sent a page this app cannot read ({why})")


def decode_pull(body: bytes, end: int | None = None) -> PullPage:
    """A pull answer, checked for shape as it is read (no model objects: a first sync reads
    hundreds of thousands of changes, and plain dicts are what the merge wants)."""
    try:
        data = json.loads(body)
    except ValueError:
        raise _bad("not JSON") from None
    if not isinstance(data, dict):
        raise _bad("not an object")
    changes, cursor = data.get("changes"), data.get("cursor")
    has_more, server_time = data.get("has_more"), data.get("server_time_ms")
    if (not isinstance(changes, list) or type(cursor) is not int or type(has_more) is not bool
            or type(server_time) is not int):
        raise _bad("changes, cursor, has_more, server_time_ms")
    for change in changes:
        if (not isinstance(change, dict) or type(change.get("table")) is not str
                or type(change.get("id")) is not str
                or not isinstance(change.get("fields"), dict)):
            raise _bad("a change")
        for pair in change["fields"].values():
            if (not isinstance(pair, list) or len(pair) != 2 or type(pair[1]) is not str
                    or len(pair[1]) < 23):
                raise _bad(f"a field of {change['table']}/{change['id']}")
    return PullPage(changes, cursor, has_more, server_time, end)


@dataclass(slots=True)
class SyncApi:
    """Calls on one server; ``token`` is the session (set by ``login``)."""

    transport: Transport
    server: str
    token: str | None = None
    schema_version: int = SCHEMA_VERSION
    _base: str = field(init=False)

    def __post_init__(self) -> None:
        self._base = self.server.rstrip("/") + "/api/v1"

    def _headers(self, body: bool = False) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if body:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    async def _call(self, method: str, path: str, payload: Any = None) -> HttpResponse:
        body = None if payload is None else json.dumps(payload, separators=(",", ":")).encode()
        response = await self.transport.request(method, self._base + path,
                                                self._headers(body is not None), body)
        if not 200 <= response.status < 300:
            raise ApiError.from_response(response)
        return response

    async def health(self) -> int:
        """The server's protocol version (``ApiError``/``NetworkError`` if it is no server)."""
        response = await self._call("GET", "/health")
        data = json.loads(response.body)
        if data.get("status") != "ok":
            raise ApiError(response.status, "not_a_server", "no Lorekeeper sync server there")
        return int(data.get("protocol", PROTOCOL_VERSION))

    async def register(self, username: str, password: str) -> str:
        response = await self._call("POST", "/auth/register",
                                    {"username": username, "password": password})
        return str(json.loads(response.body)["user_id"])

    async def login(self, username: str, password: str) -> LoginResponse:
        response = await self._call("POST", "/auth/login",
                                    {"username": username, "password": password})
        login = LoginResponse.model_validate_json(response.body)
        self.token = login.token
        return login

    async def logout(self) -> None:
        await self._call("POST", "/auth/logout")
        self.token = None

    async def push_raw(self, body: bytes) -> PushResponse:
        """Push an already encoded request body (the replica builds it to measure it)."""
        response = await self.transport.request("POST", self._base + "/sync/push",
                                                self._headers(True), body)
        if not 200 <= response.status < 300:
            raise ApiError.from_response(response)
        return PushResponse.model_validate_json(response.body)

    async def pull(self, cursor: int, limit: int) -> PullPage:
        response = await self._call(
            "GET", f"/sync/pull?cursor={cursor}&limit={limit}&schema_version={self.schema_version}")
        end = response.headers.get("lk-cursor-end")
        return decode_pull(response.body, int(end) if end and end.isdigit() else None)

    async def events(self) -> AsyncIterator[str]:
        """Event names from ``/sync/events`` as they arrive (``poke``); first ``"open"``
        (not sent by the server) once the stream is connected."""
        parser = SseParser()
        opened = False
        async for text in self.transport.stream(self._base + "/sync/events", self._headers()):
            if not opened:
                opened = True
                yield "open"
            for name in parser.feed(text):
                yield name
