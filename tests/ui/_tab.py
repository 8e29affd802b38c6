"""The app as the boot starts it, on a harness, over a library of its own: a ``Tab``.

``AppState`` on the real domain repositories, on a memory database in CPython and on
IndexedDB in the browser tier; ``FlakyBackend`` lets a test make the next write fail.
``recording_logs`` collects what the app logs (in both tiers, unlike ``caplog``).
"""

from __future__ import annotations

import itertools
import logging
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

from app.db import Database
from app.domain import Domain, open_domain
from app.startup import Library, open_library
from app.state import AppState, DomainBackend, Level
from app.ui import App, Dom, Screen, start

from ._support import Harness, make_harness


class FlakyBackend(DomainBackend):
    """The real backend, whose next write can be made to fail (``fail_next``)."""

    def __init__(self, domain: Any) -> None:
        super().__init__(domain)
        self.fail_next: Exception | None = None
        self.opened: list[tuple[str, str]] = []

    def _check(self) -> None:
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error

    async def load(self, level: Level, key: Any) -> Mapping[str, Any]:
        if level in (Level.CHARACTER, Level.CHAT):
            self.opened.append((level.name.lower(), key))
        return await super().load(level, key)

    async def create(self, kind: Any, data: Any) -> Any:
        self._check()
        return await super().create(kind, data)

    async def update(self, kind: Any, id: str, changes: Any) -> Any:
        self._check()
        return await super().update(kind, id, changes)

    async def delete(self, kind: Any, id: str) -> None:
        self._check()
        await super().delete(kind, id)


@dataclass
class Tab:
    """The app running on a harness, over a library of its own (memory in CPython,
    IndexedDB in the browser tier): what a person sees in one browser tab."""

    harness: Harness
    library: Library
    backend: FlakyBackend
    state: AppState
    app: App

    @property
    def dom(self) -> Dom:
        return self.harness.dom

    @property
    def domain(self) -> Any:
        return self.library.domain

    async def go(self, path: str) -> None:
        """Navigate (as a link would) and wait for the page to open."""
        self.app.router.navigate(path)
        await self.app.settle()

    def heading(self) -> str:
        (h1,) = self.harness.query("main h1")
        return self.harness.text(h1)

    def title(self) -> str:
        return self.dom.get_title()

    def close(self) -> None:
        self.app.stop()
        self.state.close()
        self.harness.close()


_libraries = itertools.count()


async def open_library_for_test() -> Library:
    """A fresh, empty library: the boot's ``open_library`` on a database of its own."""
    return await open_library(f"ui-test-{next(_libraries)}-{uuid.uuid4().hex[:8]}")


@asynccontextmanager
async def open_tab(
    characters: Sequence[str] = (),
    hash: str = "",
    *,
    library: Library | None = None,
    screens: Sequence[Screen] | None = None,
) -> AsyncIterator[Tab]:
    """Start the app the way the boot does, over a library holding ``characters``."""
    own = library is None
    lib = library if library is not None else await open_library_for_test()
    for name in characters:
        await lib.domain.characters.create({"name": name})
    harness = make_harness(hash)
    backend = FlakyBackend(lib.domain)
    state = AppState(backend)
    app = await start(harness.root, state, dom=harness.dom, screens=screens)
    tab = Tab(harness, lib, backend, state, app)
    try:
        yield tab
    finally:
        tab.close()
        if own:
            lib.domain.store.close()
            await lib.domain.store.db.delete()


class LogRecorder(logging.Handler):
    """Collects the records the app logs (works in both tiers, unlike ``caplog``)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    @property
    def tracebacks(self) -> list[logging.LogRecord]:
        return [r for r in self.records if r.exc_info]

    @property
    def errors(self) -> list[logging.LogRecord]:
        return [r for r in self.records if r.levelno >= logging.WARNING]


@contextmanager
def recording_logs(name: str = "app") -> Iterator[LogRecorder]:
    recorder = LogRecorder()
    logger = logging.getLogger(name)
    old_level = logger.level
    logger.addHandler(recorder)
    logger.setLevel(logging.DEBUG)
    try:
        yield recorder
    finally:
        logger.removeHandler(recorder)
        logger.setLevel(old_level)


@asynccontextmanager
async def another_tab(tab: Tab) -> AsyncIterator[Domain]:
    """The same database opened on a second connection, as another browser tab would."""
    db = tab.domain.store.db
    other = await open_domain(Database(db.name, backend=db.backend))
    try:
        yield other
    finally:
        other.store.close()
