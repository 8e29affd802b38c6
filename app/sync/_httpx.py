"""A ``Transport`` over httpx, for CPython (tests, benchmarks, scripts); never in the browser."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx

from ._api import ApiError, HttpResponse, NetworkError

__all__ = ["HttpxTransport"]


class HttpxTransport:
    """``HttpxTransport(httpx.AsyncClient(...))``; an ASGI app can stand in for a server
    with ``httpx.ASGITransport``."""

    def __init__(self, client: httpx.AsyncClient | None = None, **kwargs: Any) -> None:
        self.client = client or httpx.AsyncClient(timeout=60, **kwargs)

    async def request(self, method: str, url: str, headers: Mapping[str, str],
                      body: bytes | None) -> HttpResponse:
        try:
            response = await self.client.request(method, url, headers=dict(headers),
                                                 content=body)
        except httpx.TransportError as error:
            raise NetworkError(f"{type(error).__name__}: {error}") from error
        return HttpResponse(response.status_code,
                            {k.lower(): v for k, v in response.headers.items()},
                            response.content)

    async def stream(self, url: str, headers: Mapping[str, str]) -> AsyncIterator[str]:
        try:
            async with self.client.stream("GET", url, headers=dict(headers),
                                          timeout=httpx.Timeout(60, read=None)) as response:
                if response.status_code != 200:
                    await response.aread()
                    raise ApiError.from_response(HttpResponse(
                        response.status_code, {k.lower(): v for k, v in response.headers.items()},
                        response.content))
                async for text in response.aiter_text():
                    yield text
        except httpx.TransportError as error:
            raise NetworkError(f"{type(error).__name__}: {error}") from error

    async def aclose(self) -> None:
        await self.client.aclose()
