"""Two real tabs of the test site in Chromium, for tests that cross tabs (CPython side).

BroadcastChannel only carries messages between different tabs, so these tests drive
two pages from CPython (one Chromium, see ``tools.browser``). Each page has Pyodide and
the ``app`` package loaded; ``run(page, source)`` runs Python there (top-level await
allowed) and returns the last expression's value.

Waiting happens inside the page, on the event itself: ``AWAIT_HEARD`` (after ``HEAR``)
waits until a listener has been called ``n`` times.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["HIDDEN_TAB_JS", "hear", "run", "two_tabs", "wait_heard"]

#: What a hidden tab looks like to the page, as far as our code can tell: the page says
#: it is hidden, and timers never fire (Chromium only delays them, by up to a second or
#: a minute; never firing makes any dependence on a timer fail instead of being slow).
#: Headless Chromium never hides a page by itself (every tab reports "visible" and runs
#: timers on time), so tests and benchmarks apply this once the tab has loaded.
HIDDEN_TAB_JS = """
() => {
  Object.defineProperty(document, "visibilityState", { get: () => "hidden" });
  Object.defineProperty(document, "hidden", { get: () => true });
  window.setTimeout = () => 0;
  window.setInterval = () => 0;
}
"""


def run(page: Any, source: str) -> Any:
    """Run Python ``source`` in ``page``; the value of its last expression."""
    return page.evaluate("(source) => window.__lkEval(source)", source)


@contextmanager
def two_tabs(*, hidden_second: bool = False) -> Iterator[tuple[Any, Any]]:
    """Two fresh tabs of the test site in one browser context (one origin).

    Uses the in-browser tier's browser session when it is open (Playwright's sync API
    cannot start a second browser in this process), else starts one. With
    ``hidden_second`` the second tab behaves as a hidden one (``HIDDEN_TAB_JS``).
    """
    tier = sys.modules.get("tests.browser.conftest")
    session = getattr(tier, "_SESSION", None)
    own = None
    if session is None:
        from tools.browser import BrowserSession

        own = session = BrowserSession().start()
    context = session.browser.new_context()
    try:
        first = context.new_page()
        second = context.new_page()
        for page in (first, second):
            page.set_default_timeout(120_000)
            page.goto(session.url("/__test__/"))
            page.evaluate("() => window.__lkReady")
        if hidden_second:
            second.evaluate(HIDDEN_TAB_JS)
        yield first, second
    finally:
        context.close()
        if own is not None:
            own.stop()


def hear(page: Any, db: str, name: str, schema: dict[str, str]) -> None:
    """In ``page``: open ``Database(db)`` as ``name`` and record its storagemutated
    events in ``name_heard`` (an ``asyncio.Condition`` ``name_cond`` tells of each)."""
    run(
        page,
        f"""
import asyncio
from app.db import Database
{name} = Database({db!r})
{name}.version(1).stores({schema!r})
await {name}.open()
{name}_heard = []
{name}_cond = asyncio.Condition()
async def _{name}_on(mutated):
    async with {name}_cond:
        {name}_heard.append(mutated)
        {name}_cond.notify_all()
{name}.on("storagemutated", _{name}_on)
True
""",
    )


def wait_heard(page: Any, name: str, n: int, timeout: float = 20) -> Any:
    """In ``page``: wait until ``name`` heard ``n`` events; return all it heard."""
    return run(
        page,
        f"""
import asyncio
async def _wait():
    async with {name}_cond:
        await {name}_cond.wait_for(lambda: len({name}_heard) >= {n})
await asyncio.wait_for(_wait(), {timeout})
{name}_heard
""",
    )
