"""A faulty network between in-process clients and a server app that can restart.

Each request draws its fate from a script: delivered, dropped before the server sees
it, answered but the answer lost, delivered twice (the copy arrives later, after other
requests), held back (so concurrent requests overtake it), or the server crashing in the
middle of the request (before or after its commit) and coming back as a new process on
the same database.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

import httpx

from app.server import ServerConfig, create_app
from app.sync._api import HttpResponse, NetworkError
from tests.server._support import FAST_HASHER

__all__ = ["FAULTS", "FaultyNetwork", "RestartableServer"]

FAULTS = ("ok", "drop_request", "drop_response", "duplicate", "delay", "crash_before_commit",
          "crash_after_commit")


class _Crash(Exception):
    pass


class RestartableServer:
    """The app on one database; ``restart()`` is a new process on the same database."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.app: Any = None
        self._lifespan: Any = None
        self.restarts = 0
        self.crash_next_push = False
        self._restarting = asyncio.Lock()

    async def start(self) -> None:
        self.app = create_app(self.config, hasher=FAST_HASHER)
        self._lifespan = self.app.router.lifespan_context(self.app)
        await self._lifespan.__aenter__()
        store = self.app.state.server.records
        original = store._apply

        async def apply(*args: Any) -> int:
            result: int = await original(*args)
            if self.crash_next_push:  # dies after applying, before the commit
                self.crash_next_push = False
                raise _Crash("the server process died")
            return result

        store._apply = apply

    async def stop(self) -> None:
        if self._lifespan is not None:
            await self._lifespan.__aexit__(None, None, None)
            self._lifespan = None

    async def restart(self, seen: int | None = None) -> None:
        """A new process; ``seen``: the restart count the caller saw (two requests that
        watched the same process die restart it once)."""
        async with self._restarting:
            if seen is not None and seen != self.restarts:
                return
            await self.stop()
            await self.start()
            self.restarts += 1

    async def handle(self, method: str, url: str, headers: Mapping[str, str],
                     body: bytes | None) -> HttpResponse:
        transport = httpx.ASGITransport(self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://lk.test") as client:
            response = await client.request(method, url, headers=dict(headers), content=body)
        return HttpResponse(response.status_code,
                            {k.lower(): v for k, v in response.headers.items()},
                            response.content)


class FaultyNetwork:
    """``transport(name)`` for each device; faults come from ``script`` then all is well."""

    def __init__(self, server: RestartableServer, script: list[str]) -> None:
        self.server = server
        self._script: Iterator[str] = iter(script)
        self.partitioned: set[str] = set()
        self.replays: list[tuple[str, str, Mapping[str, str], bytes | None]] = []
        self.healed = False
        self._held: list[asyncio.Event] = []
        self.log: list[str] = []

    def _fate(self) -> str:
        if self.healed:
            return "ok"
        return next(self._script, "ok")

    def heal(self) -> None:
        self.healed = True
        self.partitioned.clear()
        for event in self._held:
            event.set()

    async def deliver_replays(self) -> None:
        """Copies of duplicated requests arrive now (their answers go nowhere)."""
        replays, self.replays = self.replays, []
        for method, url, headers, body in replays:
            with contextlib.suppress(Exception):
                await self.server.handle(method, url, headers, body)

    def transport(self, device: str) -> _DeviceTransport:
        return _DeviceTransport(self, device)


class _DeviceTransport:
    def __init__(self, network: FaultyNetwork, device: str) -> None:
        self.network = network
        self.device = device

    async def request(self, method: str, url: str, headers: Mapping[str, str],
                      body: bytes | None) -> HttpResponse:
        network = self.network
        if self.device in network.partitioned:
            raise NetworkError("partitioned")
        fate = network._fate()
        network.log.append(f"{self.device} {method} {url.split('/api/v1')[-1][:20]} {fate}")
        if fate == "drop_request":
            raise NetworkError("the request was lost")
        if fate == "delay":  # let whatever runs concurrently go first
            release = asyncio.Event()
            network._held.append(release)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(release.wait(), 0.02)
        if fate == "crash_before_commit" and url.endswith("/sync/push"):
            network.server.crash_next_push = True
        generation = network.server.restarts
        try:
            response = await network.server.handle(method, url, headers, body)
        except _Crash:
            await network.server.restart(generation)
            raise NetworkError("the server went away") from None
        except Exception as error:  # the process this request reached was restarted
            raise NetworkError(f"the connection broke: {type(error).__name__}") from None
        finally:
            network.server.crash_next_push = False
        if fate == "crash_after_commit":
            await network.server.restart(generation)
            raise NetworkError("the server went away before answering")
        if fate == "drop_response":
            raise NetworkError("the answer was lost")
        if fate == "duplicate":
            network.replays.append((method, url, headers, body))
        return response

    async def stream(self, url: str, headers: Mapping[str, str]) -> AsyncIterator[str]:
        raise NetworkError("no event stream in this network")
        yield ""  # pragma: no cover
