"""The fake LLM server as a test sees it, in CPython and in the browser tier.

In CPython the fixture starts (once per process) `tests.fakes.llm_server`; in the browser
tier the host process starts it and hands its origin to Pyodide through the
``LK_FAKE_LLM`` environment variable (`browser_host_env`, read by tests/browser). Logs
are read directly in CPython and over HTTP (the server answers CORS) in the browser.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from typing import Any

import pytest

from tests._wait import eventually

__all__ = ["GOOD_KEY", "FakeLLM", "browser_host_env", "closed_port", "fake_llm"]

#: Same value as tests.fakes.llm_server.GOOD_KEY (not imported: that module is CPython-only).
GOOD_KEY = "sk-test-good-0123456789"
ENV = "LK_FAKE_LLM"
CLOSED_PORT = "LK_CLOSED_PORT"


def browser_host_env() -> dict[str, str]:
    """Run by the browser tier's host (CPython) before each in-browser case."""
    from tests.fakes.llm_server import shared_fake_llm

    return {ENV: shared_fake_llm().origin, CLOSED_PORT: str(_free_port())}


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (chosen by the host in the browser)."""
    given = os.environ.get(CLOSED_PORT)
    return int(given) if given else _free_port()


class FakeLLM:
    def __init__(self, origin: str, server: Any = None) -> None:
        self.origin = origin
        self._server = server

    def base_url(self, scenario: str = "ok") -> tuple[str, str]:
        run = uuid.uuid4().hex[:12]
        return f"{self.origin}/{scenario}/{run}/v1", run

    async def log(self, run: str) -> dict[str, Any]:
        if self._server is not None:
            data: dict[str, Any] = self._server.run(run).as_json()
            return data
        import js

        response = await js.fetch(f"{self.origin}/__runs/{run}")
        text = await response.text()
        loaded: dict[str, Any] = json.loads(str(text))
        return loaded

    async def ended(self, run: str) -> dict[str, Any]:
        """The run's log once the server finished handling its request."""

        async def check() -> dict[str, Any] | None:
            log = await self.log(run)
            return log if log["ended"] else None

        found = await eventually(check, f"the fake server to finish run {run}", timeout=10)
        assert isinstance(found, dict)
        return found


@pytest.fixture
def fake_llm() -> FakeLLM:
    origin = os.environ.get(ENV)
    if origin:
        return FakeLLM(origin)
    if sys.platform == "emscripten":
        raise RuntimeError(f"{ENV} is not set: the browser tier's host did not start the fake server")
    from tests.fakes.llm_server import shared_fake_llm

    server = shared_fake_llm()
    return FakeLLM(server.origin, server)
