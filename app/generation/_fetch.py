"""The browser transport: `fetch` with an `AbortController`, body read through
`response.body.getReader()` chunk by chunk (Pyodide's `pyfetch` has no streaming reader).

Stop calls the JS controller's `abort()`, which closes the connection, so the server sees
the client go away. A fetch that fails before any response is either a blocked response
(CORS) or no connection at all; the browser reports both as the same `TypeError`, so a
`no-cors` probe of the server tells them apart: if the server answers it, CORS blocked us.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

from ._errors import CorsError, NetworkError, StreamError, cors_hint
from ._http import Aborted, AbortSignal, HttpRequest
from ._httpx import where

__all__ = ["FetchResponse", "FetchTransport", "mixed_content"]

_LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def _js() -> Any:
    import js

    return js


def _to_js(value: Any) -> Any:
    from pyodide.ffi import to_js

    return to_js(value, dict_converter=_js().Object.fromEntries)


def mixed_content(page_protocol: str, url: str) -> bool:
    """Whether a page served over `page_protocol` may not fetch `url` (plain http from an
    https page, except localhost, which browsers treat as secure)."""
    parts = urlsplit(url)
    return (
        page_protocol == "https:"
        and parts.scheme == "http"
        and (parts.hostname or "") not in _LOCAL_HOSTS
    )


def _error_name(error: BaseException) -> str:
    js_error = getattr(error, "js_error", None)
    name = getattr(js_error, "name", None)
    return str(name) if name else type(error).__name__


class FetchResponse:
    def __init__(self, response: Any, controller: Any, signal: AbortSignal, url: str) -> None:
        self._response = response
        self._controller = controller
        self._signal = signal
        self._url = url
        self.status: int = int(response.status)
        headers: dict[str, str] = {}
        for pair in response.headers.entries():
            headers[str(pair[0]).lower()] = str(pair[1])
        self.headers = headers
        self._reader: Any = None
        self._closed = False

    async def chunks(self) -> AsyncIterator[bytes]:
        body = self._response.body
        if body is None:
            return
        self._reader = body.getReader()
        try:
            while True:
                try:
                    result = await self._reader.read()
                except Exception as error:
                    if self._signal.aborted:
                        raise Aborted(self._signal.reason) from None
                    raise StreamError(
                        f"The connection to {where(self._url)} broke off during the reply.",
                        "The partial reply was kept; try again.",
                        detail=_error_name(error),
                    ) from None
                if result.done:
                    return
                chunk = result.value.to_bytes()
                if chunk:
                    yield chunk
        finally:
            await self.close()

    async def read(self) -> bytes:
        return b"".join([chunk async for chunk in self.chunks()])

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._reader is not None:
            try:
                self._reader.releaseLock()
            except Exception:
                pass
        # Aborting after the end is a no-op; before it, it closes the connection.
        self._controller.abort()


class FetchTransport:
    """`Transport` over the browser's `fetch`."""

    probe_timeout_ms = 4000

    async def open(self, request: HttpRequest, signal: AbortSignal) -> FetchResponse:
        js = _js()
        signal.raise_if_aborted()
        controller = js.AbortController.new()
        remove = signal.add_listener(lambda: controller.abort())
        options: dict[str, Any] = {
            "method": request.method,
            "headers": request.revealed_headers(),
            "signal": controller.signal,
            "credentials": "omit",
            "cache": "no-store",
        }
        if request.body is not None:
            options["body"] = request.body.decode("utf-8")
        try:
            response = await js.fetch(request.url, _to_js(options))
        except Exception as error:
            remove()
            if signal.aborted:
                raise Aborted(signal.reason) from None
            raise await self._why_no_response(request.url, error) from None
        # Keep aborting the JS controller for the rest of the body.
        return FetchResponse(response, controller, signal, request.url)

    async def _why_no_response(self, url: str, error: BaseException) -> Exception:
        js = _js()
        detail = _error_name(error)
        if not bool(js.navigator.onLine):
            return NetworkError(
                "This device is offline.",
                "Connect to the network and try again (local servers on this machine still "
                "work offline: check the base URL).",
                detail=detail,
            )
        if mixed_content(str(js.location.protocol), url):
            return NetworkError(
                f"The browser blocked {where(url)}: this page is served over HTTPS, and "
                "browsers block plain-http addresses other than localhost (mixed content).",
                "Use an https address for the server, or open Lorekeeper from http://localhost.",
                detail=detail,
            )
        reachable = False
        try:
            probe = _to_js(
                {"mode": "no-cors", "signal": js.AbortSignal.timeout(self.probe_timeout_ms)}
            )
            await js.fetch(where(url) + "/", probe)
            reachable = True
        except Exception:
            reachable = False
        if not reachable:
            return NetworkError(
                f"Could not reach {where(url)}.",
                "Check that the server is running and the base URL is right.",
                detail=detail,
            )
        origin = str(js.location.origin)
        hint = cors_hint(url, origin)
        error = CorsError(
            f"The browser blocked the reply from {where(url)} (CORS): the server is running "
            "but does not allow this page.",
            hint,
            detail=detail,
        )
        error.origin = origin
        return error
