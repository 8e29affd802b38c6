"""End-to-end fixtures: the built site on 127.0.0.1 and Debian's headless Chromium.

Every page records each request it makes; a test fails if any of them went anywhere but
127.0.0.1 (no CDN, no telemetry, nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tools.browser import shared_browser, shared_site
from tools.server import StaticServer

LOCAL_HOSTS = {"127.0.0.1"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker("e2e")


@pytest.fixture(scope="session")
def site() -> Path:
    """This test process's build of the site (shared with the in-browser tier)."""
    return shared_site()


@pytest.fixture(scope="session")
def live_server(site: Path) -> Iterator[StaticServer]:
    with StaticServer({"/": site}) as server:
        yield server


@pytest.fixture
def make_server() -> Iterator[Callable[..., StaticServer]]:
    """Start extra servers (e.g. under a sub-path, or one a test will stop)."""
    started: list[StaticServer] = []

    def make(mounts: dict[str, Path], port: int = 0) -> StaticServer:
        server = StaticServer(mounts, port=port).start()
        started.append(server)
        return server

    yield make
    for server in started:
        try:
            server.stop()
        except OSError:
            pass


@pytest.fixture(scope="session")
def browser() -> Any:
    """The process's shared Chromium (see tools.browser.shared_browser)."""
    return shared_browser()


@pytest.fixture
def requests_seen() -> list[str]:
    return []


@pytest.fixture
def context(browser: Any, requests_seen: list[str]) -> Iterator[Any]:
    context = browser.new_context()
    context.set_default_timeout(60_000)
    context.on("request", lambda request: requests_seen.append(request.url))
    yield context
    context.close()
    foreign = [url for url in requests_seen
               if urlsplit(url).scheme in {"http", "https", "ws", "wss"}
               and urlsplit(url).hostname not in LOCAL_HOSTS]
    assert not foreign, f"requests left 127.0.0.1: {foreign[:5]}"


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()
