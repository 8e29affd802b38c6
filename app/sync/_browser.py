"""The browser's side of the sync (Pyodide only): fetch, Web Locks, BroadcastChannel and
the page events that wake the task. Imported only when a library syncs."""

from __future__ import annotations

import codecs
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

from ._api import ApiError, HttpResponse, NetworkError
from ._tabs import Listeners, Message

__all__ = ["BrowserTabs", "FetchTransport", "page_origin", "watch_page"]

_TIMEOUT_MS = 60_000


def _js() -> Any:
    import js  # Pyodide's bridge to the page

    return js


class FetchTransport:
    """Requests through the page's ``fetch`` (a CORS failure is a ``NetworkError``)."""

    async def request(self, method: str, url: str, headers: Mapping[str, str],
                      body: bytes | None) -> HttpResponse:
        from pyodide.http import pyfetch

        options: dict[str, Any] = {"method": method, "headers": dict(headers),
                                   "signal": _js().AbortSignal.timeout(_TIMEOUT_MS),
                                   "cache": "no-store"}
        if body is not None:
            options["body"] = body.decode("utf-8")
        try:
            response = await pyfetch(url, **options)
            data = await response.bytes()
        except Exception as error:  # fetch rejects: offline, refused, CORS, timeout
            raise NetworkError(f"{type(error).__name__}: {error}") from None
        return HttpResponse(response.status,
                            {k.lower(): v for k, v in dict(response.headers).items()}, data)

    async def stream(self, url: str, headers: Mapping[str, str]) -> AsyncIterator[str]:
        from pyodide.http import pyfetch

        js = _js()
        controller = js.AbortController.new()
        try:
            response = await pyfetch(url, headers=dict(headers), signal=controller.signal,
                                     cache="no-store")
        except Exception as error:
            raise NetworkError(f"{type(error).__name__}: {error}") from None
        if response.status != 200:
            data = await response.bytes()
            raise ApiError.from_response(HttpResponse(
                response.status, {k.lower(): v for k, v in dict(response.headers).items()}, data))
        reader = response.js_response.body.getReader()
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while True:
                try:
                    chunk = await reader.read()
                except Exception as error:
                    raise NetworkError(f"{type(error).__name__}: {error}") from None
                if chunk.done:
                    return
                yield decoder.decode(chunk.value.to_bytes())
        finally:
            controller.abort()


class BrowserTabs:
    """Web Locks choose the tab that syncs; BroadcastChannel carries status and wakes."""

    def __init__(self, name: str) -> None:
        from pyodide.ffi import create_proxy

        js = _js()
        self.name = f"lorekeeper-sync:{name}"
        self._listeners = Listeners()
        self._channel = js.BroadcastChannel.new(self.name)
        self._on_message = create_proxy(self._heard)
        self._channel.addEventListener("message", self._on_message)

    def _heard(self, event: Any) -> None:
        try:
            message = json.loads(event.data)
        except (TypeError, ValueError):
            return
        self._listeners.emit(message)

    async def lead(self, run: Callable[[], Awaitable[None]]) -> None:
        from pyodide.ffi import create_proxy

        async def held(_lock: Any) -> None:
            await run()

        callback = create_proxy(held)
        try:
            await _js().navigator.locks.request(self.name, callback)
        finally:
            callback.destroy()

    def post(self, message: Message) -> None:
        self._channel.postMessage(json.dumps(message))

    def listen(self, fn: Callable[[Message], None]) -> Callable[[], None]:
        return self._listeners.add(fn)

    def close(self) -> None:
        self._channel.removeEventListener("message", self._on_message)
        self._channel.close()
        self._on_message.destroy()


def watch_page(wake: Callable[[str], None]) -> Callable[[], None]:
    """Wake on ``online`` and on the tab becoming visible; returns a function that stops."""
    from pyodide.ffi import create_proxy

    js = _js()

    def online(_event: Any) -> None:
        wake("online")

    def visible(_event: Any) -> None:
        if js.document.visibilityState == "visible":
            wake("visible")

    handlers = [(js.window, "online", create_proxy(online)),
                (js.document, "visibilitychange", create_proxy(visible))]
    for target, name, proxy in handlers:
        target.addEventListener(name, proxy)

    def stop() -> None:
        for target, name, proxy in handlers:
            target.removeEventListener(name, proxy)
            proxy.destroy()

    return stop


def page_origin() -> str | None:
    """The page's own origin (``http://host:port``), if it is served over HTTP."""
    origin = str(_js().location.origin)
    return origin if origin.startswith(("http://", "https://")) else None
