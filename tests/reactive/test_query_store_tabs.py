"""Two tabs of one origin: a query store in one tab follows writes made in the other.

CPython drives two real Chromium pages (BroadcastChannel exists only between tabs,
so this cannot be a single-page in-browser test).
"""

from __future__ import annotations

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


def _wait(session: Any, expr: str, want: Any, rounds: int = 200) -> Any:
    value = None
    for _ in range(rounds):
        value = session.run_python(f"import asyncio\nawait asyncio.sleep(0.02)\n{expr}")
        if value == want:
            return value
    return value


@pytest.mark.browser
def test_query_store_follows_another_tab_and_stops_when_unsubscribed() -> None:
    from tools.browser import browser_session

    with browser_session() as s:
        other = s.context.new_page()
        other.goto(s.url("/__test__/"))
        other.evaluate("() => window.__lkReady")
        s.run_python(SETUP)
        assert _wait(s, "_runs[0]", 1) == 1  # the first run found nothing: nothing to deliver
        other.evaluate("(src) => window.__lkEval(src)", OTHER_TAB % ("a", "Alice"))
        want = [[[], 0], [["Alice"], 1]]
        assert _wait(s, "[[list(x[0]), x[1]] for x in _seen]", want) == want
        other.evaluate("(src) => window.__lkEval(src)", OTHER_TAB % ("b", "Bob"))
        want = [*want, [["Alice", "Bob"], 2]]
        assert _wait(s, "[[list(x[0]), x[1]] for x in _seen]", want) == want
        runs = s.run_python("_off(); _runs[0]")
        other.evaluate("(src) => window.__lkEval(src)", OTHER_TAB % ("c", "Carol"))
        s.run_python("await asyncio.sleep(0.3)\nTrue")
        assert s.run_python("_runs[0]") == runs  # the query stopped with the last subscriber
        s.run_python("_db.close(); await _db.delete(); True")
