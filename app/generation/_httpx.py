"""The CPython transport: httpx, streaming (used by tests and tools; not shipped to the
browser's boot path, and imported only when first used)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

from ._errors import NetworkError, StreamError
from ._http import Aborted, AbortSignal, HttpRequest, race_abort

__all__ = ["HttpxResponse", "HttpxTransport", "where"]


def where(url: str) -> str:
    """The address people recognise, without path, query or credentials."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"


class HttpxResponse:
    def __init__(self, response: Any, signal: AbortSignal, url: str) -> None:
        self._response = response
        self._signal = signal
        self._url = url
        self.status: int = response.status_code
        self.headers: dict[str, str] = {k.lower(): v for k, v in response.headers.items()}
        self._closed = False

    async def chunks(self) -> AsyncIterator[bytes]:
        import httpx

        stream = self._response.aiter_bytes().__aiter__()
        try:
            while True:
                try:
                    chunk = await race_abort(stream.__anext__(), self._signal)
                except StopAsyncIteration:
                    return
                except Aborted:
                    raise
                except httpx.TransportError as error:
                    raise StreamError(
                        f"The connection to {where(self._url)} broke off during the reply.",
                        "The partial reply was kept; try again.",
                        detail=type(error).__name__,
                    ) from None
                if chunk:
                    yield chunk
        finally:
            await self.close()

    async def read(self) -> bytes:
        parts = [chunk async for chunk in self.chunks()]
        return b"".join(parts)

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            # Closing before the body is complete closes the connection itself, so the
            # server sees the client go away (and a local model stops generating).
            await self._response.aclose()


class HttpxTransport:
    """`Transport` over an `httpx.AsyncClient` (no read timeout: a local model may think
    for minutes; the person has Stop)."""

    def __init__(self, client: Any = None) -> None:
        self._client = client

    def _get_client(self) -> Any:
        if self._client is None:
            import httpx

            timeout = httpx.Timeout(connect=15.0, read=None, write=60.0, pool=15.0)
            self._client = httpx.AsyncClient(timeout=timeout, trust_env=False)
        return self._client

    async def open(self, request: HttpRequest, signal: AbortSignal) -> HttpxResponse:
        import httpx

        client = self._get_client()
        built = client.build_request(
            request.method, request.url, headers=request.revealed_headers(), content=request.body
        )
        try:
            response = await race_abort(client.send(built, stream=True), signal)
        except httpx.TransportError as error:
            raise NetworkError(
                f"Could not reach {where(request.url)}.",
                "Check that the server is running and the base URL is right, and that this "
                "device is online.",
                detail=type(error).__name__,
            ) from None
        return HttpxResponse(response, signal, request.url)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
