"""Two tabs of one origin: a query store in one tab follows writes made in the other.

CPython drives two real Chromium pages (BroadcastChannel exists only between tabs,
so this cannot be a single-page in-browser test).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

SETUP = """
import asyncio
from app.db import Database
from app.reactive import derived, query_store
_db = Database("qs-tabs")
await _db.delete()
_db = Database("qs-tabs")
_db.version(1).stores({"characters": "id, name"})
await _db.open()
_runs = [0]
async def _names():
    _runs[0] += 1
    return [c["name"] for c in await _db.characters.order_by("name").to_array()]
_names_store = query_store(_names, [], equals=lambda old, new: old == new)
_count = derived(_names_store, len)
_seen = []
_off = derived([_names_store, _count], lambda v: (tuple(v[0]), v[1])).subscribe(_seen.append)
True
"""

OTHER_TAB = """
from app.db import Database
_db2 = Database("qs-tabs")
_db2.version(1).stores({"characters": "id, name"})
await _db2.characters.put({"id": "%s", "name": "%s"})
True
"""


def _run(page: Any, source: str) -> Any:
    return page.evaluate("(source) => window.__lkEval(source)", source)


def _wait(page: Any, expr: str, want: Any, rounds: int = 200) -> Any:
    value = None
    for _ in range(rounds):
        value = _run(page, f"import asyncio\nawait asyncio.sleep(0.02)\n{expr}")
        if value == want:
            return value
    return value


@pytest.fixture
def tabs() -> Iterator[tuple[Any, Any]]:
    """Two fresh tabs of the test site, in the in-browser tier's browser if it is open.

    (Playwright's sync API cannot start a second browser while one runs in this process.)
    """
    tier = sys.modules.get("tests.browser.conftest")
    session = getattr(tier, "_SESSION", None)
    own = None
    if session is None:
        from tools.browser import browser_session

        own = browser_session()
        session = own.__enter__()
    pages = [session.context.new_page() for _ in range(2)]
    try:
        for page in pages:
            page.goto(session.url("/__test__/"))
            page.evaluate("() => window.__lkReady")
        yield pages[0], pages[1]
    finally:
        for page in pages:
            page.close()
        if own is not None:
            own.__exit__(None, None, None)


@pytest.mark.browser
def test_query_store_follows_another_tab_and_stops_when_unsubscribed(
    tabs: tuple[Any, Any],
) -> None:
    tab, other = tabs
    _run(tab, SETUP)
    assert _wait(tab, "_runs[0]", 1) == 1  # the first run found nothing: nothing to deliver
    _run(other, OTHER_TAB % ("a", "Alice"))
    want = [[[], 0], [["Alice"], 1]]
    assert _wait(tab, "[[list(x[0]), x[1]] for x in _seen]", want) == want
    _run(other, OTHER_TAB % ("b", "Bob"))
    want = [*want, [["Alice", "Bob"], 2]]
    assert _wait(tab, "[[list(x[0]), x[1]] for x in _seen]", want) == want
    runs = _run(tab, "_off(); _runs[0]")
    _run(other, OTHER_TAB % ("c", "Carol"))
    _run(tab, "import asyncio\nawait asyncio.sleep(0.3)\nTrue")
    assert _run(tab, "_runs[0]") == runs  # the query stopped with the last subscriber
    _run(tab, "_db.close(); await _db.delete(); True")
