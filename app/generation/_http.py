"""The HTTP seam: a request, a streamed response, a transport, and an abort signal.

One `Transport` protocol, two implementations: the browser's `fetch` (`_fetch.py`) and
httpx in CPython (`_httpx.py`). Providers build `HttpRequest`s and read `HttpResponse`
chunks; they never see which transport runs underneath.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from ._secret import Secret

__all__ = [
    "AbortController",
    "AbortSignal",
    "Aborted",
    "HttpRequest",
    "HttpResponse",
    "Transport",
    "default_transport",
    "race_abort",
]

T = TypeVar("T")


class Aborted(Exception):
    """The request was stopped through its `AbortSignal` (not an error: a choice)."""


class AbortSignal:
    """Tells a request to stop. Listeners run once, when `abort` is first called."""

    def __init__(self) -> None:
        self.aborted = False
        self.reason = ""
        self._listeners: list[Callable[[], None]] = []

    def add_listener(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` on abort (at once if already aborted); returns a remover."""
        if self.aborted:
            listener()
            return lambda: None
        self._listeners.append(listener)

        def remove() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return remove

    def _fire(self, reason: str) -> None:
        if self.aborted:
            return
        self.aborted = True
        self.reason = reason
        listeners, self._listeners = self._listeners, []
        for listener in listeners:
            listener()

    def raise_if_aborted(self) -> None:
        if self.aborted:
            raise Aborted(self.reason)


class AbortController:
    """Owns a signal; `abort()` stops every request given `controller.signal`."""

    def __init__(self) -> None:
        self.signal = AbortSignal()

    def abort(self, reason: str = "stopped") -> None:
        self.signal._fire(reason)


async def race_abort(awaitable: Awaitable[T], signal: AbortSignal) -> T:
    """Await `awaitable`, or cancel it and raise `Aborted` as soon as `signal` fires."""
    signal.raise_if_aborted()
    task = asyncio.ensure_future(awaitable)
    stopped = asyncio.get_running_loop().create_future()

    def on_abort() -> None:
        if not stopped.done():
            stopped.set_result(None)

    remove = signal.add_listener(on_abort)
    try:
        await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        task.cancel()
        raise
    finally:
        remove()
    if task.done():
        return task.result()
    task.cancel()
    try:
        await task
    except (asyncio.CancelledError, Exception):
        pass
    raise Aborted(signal.reason)


@dataclass(frozen=True)
class HttpRequest:
    """A request as providers describe it. Header values may be `Secret`s; only the
    transport reveals them, when sending. The repr never shows them."""

    method: str
    url: str
    headers: Mapping[str, str | Secret] = field(default_factory=dict)
    body: bytes | None = None
    #: The JSON body as sent, for the prompt inspector (never holds a key).
    json_body: Any = None

    @classmethod
    def post_json(cls, url: str, payload: Any, headers: Mapping[str, str | Secret]) -> HttpRequest:
        all_headers: dict[str, str | Secret] = {"Content-Type": "application/json", **headers}
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return cls("POST", url, all_headers, data, payload)

    def revealed_headers(self) -> dict[str, str]:
        """Header values as they go on the wire (transports only)."""
        return {
            k: v.reveal() if isinstance(v, Secret) else v for k, v in self.headers.items()
        }

    def __repr__(self) -> str:
        shown = {k: (repr(v) if isinstance(v, Secret) else v) for k, v in self.headers.items()}
        return f"HttpRequest({self.method} {self.url}, headers={shown})"


class HttpResponse(Protocol):
    """A response whose body is read as it arrives."""

    status: int
    #: Header names in lower case.
    headers: dict[str, str]

    def chunks(self) -> AsyncIterator[bytes]:
        """The body, chunk by chunk, as the network delivers it."""
        ...

    async def read(self) -> bytes:
        """The whole (rest of the) body."""
        ...

    async def close(self) -> None:
        """Stop reading and close the connection (idempotent)."""
        ...


class Transport(Protocol):
    """Sends a request and returns as soon as the response headers are in.

    Raises `Aborted` when `signal` fires (also while the body is read: the connection
    is closed so the server sees it), `NetworkError` when there is no connection, and in
    the browser `CorsError` when the response was blocked.
    """

    async def open(self, request: HttpRequest, signal: AbortSignal) -> HttpResponse: ...


def in_browser() -> bool:
    return sys.platform == "emscripten"


def default_transport() -> Transport:
    """`fetch` in Pyodide, httpx in CPython (imported only when first used)."""
    if in_browser():
        from ._fetch import FetchTransport

        return FetchTransport()
    from ._httpx import HttpxTransport

    return HttpxTransport()
