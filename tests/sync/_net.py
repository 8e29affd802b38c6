"""A transport that misbehaves on purpose: offline, failing, slow (CPython tests)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from app.sync._api import HttpResponse, NetworkError

__all__ = ["SwitchableTransport"]


class SwitchableTransport:
    """Passes requests to ``inner`` unless ``offline`` (NetworkError) or ``answer`` (a
    canned response) says otherwise; counts what it sent; ``gate`` can hold requests."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.offline = False
        self.answer: Callable[[str, str], HttpResponse | None] | None = None
        self.sent: list[tuple[str, str]] = []
        self.gate: asyncio.Event | None = None

    async def request(self, method: str, url: str, headers: Mapping[str, str],
                      body: bytes | None) -> HttpResponse:
        self.sent.append((method, url))
        if self.gate is not None:
            await self.gate.wait()
        if self.offline:
            raise NetworkError("offline")
        if self.answer is not None:
            canned = self.answer(method, url)
            if canned is not None:
                return canned
        response: HttpResponse = await self.inner.request(method, url, headers, body)
        return response

    async def stream(self, url: str, headers: Mapping[str, str]) -> AsyncIterator[str]:
        if self.offline:
            raise NetworkError("offline")
        async for text in self.inner.stream(url, headers):
            yield text

    async def aclose(self) -> None:
        if hasattr(self.inner, "aclose"):
            await self.inner.aclose()
