"""End-to-end fixtures: the built site on 127.0.0.1 and Debian's headless Chromium.

Every page records each request it makes; a test fails if any of them went anywhere but
127.0.0.1 (no CDN, no telemetry, nothing).

Tests share one browser profile (``warm_context``): after its first visit the service
worker holds the site and the interpreter snapshot is kept, so a test's page boots warm
(about 1.2 s instead of 4 s cold), as a returning user's does. Each test starts with an
empty library all the same: every IndexedDB database, ``localStorage`` and
``sessionStorage`` of the site's origin are cleared first. A module that is about the
first visit itself (the boot, what a cold load fetches) sets ``FRESH_PROFILE = True`` and
gets a new, empty profile per test.
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


_RESET = """async () => {
  for (const { name } of await indexedDB.databases()) {
    await new Promise((done, fail) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = () => done();
      request.onerror = () => fail(request.error);
    });
  }
  localStorage.clear();
  sessionStorage.clear();
}"""


@pytest.fixture(scope="session")
def warm_context(browser: Any, live_server: StaticServer) -> Iterator[Any]:
    """The shared profile, after one visit (service worker installed, snapshot kept)."""
    context = browser.new_context()
    context.set_default_timeout(60_000)
    first = context.new_page()
    fetched: list[str] = []
    first.on("request", lambda request: fetched.append(request.url))
    first.goto(live_server.url("/"))
    first.wait_for_function("document.documentElement.dataset.ready === 'true'")
    first.wait_for_function("window.lkBoot.snapshot !== undefined", timeout=120_000)
    first.close()
    assert all(urlsplit(url).hostname in LOCAL_HOSTS for url in fetched if "://" in url), fetched
    yield context
    context.close()


def _emptied(context: Any, live_server: StaticServer) -> Any:
    """``context`` with the site's origin storage cleared (no page of it open)."""
    for open_page in list(context.pages):
        open_page.close()
    page = context.new_page()
    page.goto(live_server.url("/static/boot.js"))  # any document of the origin
    page.evaluate(_RESET)
    page.close()
    return context


@pytest.fixture
def context(request: pytest.FixtureRequest, browser: Any, requests_seen: list[str]) -> Iterator[Any]:
    fresh = bool(getattr(request.module, "FRESH_PROFILE", False))
    if fresh:
        context = browser.new_context()
        context.set_default_timeout(60_000)
    else:
        live_server = request.getfixturevalue("live_server")
        context = _emptied(request.getfixturevalue("warm_context"), live_server)

    def seen(request: Any) -> None:
        requests_seen.append(request.url)

    context.on("request", seen)
    yield context
    if fresh:
        context.close()
    else:
        context.remove_listener("request", seen)
        for open_page in list(context.pages):
            open_page.close()
    foreign = [url for url in requests_seen
               if urlsplit(url).scheme in {"http", "https", "ws", "wss"}
               and urlsplit(url).hostname not in LOCAL_HOSTS]
    assert not foreign, f"requests left 127.0.0.1: {foreign[:5]}"


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()
