"""Two tabs of one origin: a live query in one re-runs on a write made in the other.

CPython drives two real Chromium pages (BroadcastChannel only exists between tabs,
so this cannot be a single-page in-browser test).
"""

from __future__ import annotations

import pytest

SETUP = """
import asyncio
from app.db import Database, live_query
_db = Database("xtab-live")
await _db.delete()
_db = Database("xtab-live")
_db.version(1).stores({"t": "id, v"})
await _db.open()
_vals = []
_runs = [0]
async def _q():
    _runs[0] += 1
    return await _db.t.where("v").equals(1).primary_keys()
_off = live_query(_q).subscribe(_vals.append)
True
"""

OTHER_TAB = """
from app.db import Database
_db2 = Database("xtab-live")
_db2.version(1).stores({"t": "id, v"})
await _db2.t.put({"id": "%s", "v": %d})
True
"""


def _wait(session, expr: str, want, rounds: int = 200):
    value = None
    for _ in range(rounds):
        value = session.run_python(f"import asyncio\nawait asyncio.sleep(0.02)\n{expr}")
        if value == want:
            return value
    return value


@pytest.mark.browser
def test_live_query_reruns_on_write_in_other_tab():
    from tools.browser import browser_session

    with browser_session() as s:
        other = s.context.new_page()
        other.goto(s.url("/__test__/"))
        other.evaluate("() => window.__lkReady")
        s.run_python(SETUP)
        assert _wait(s, "_vals", [[]]) == [[]]
        # a write outside what the query read: no re-run
        other.evaluate("(src) => window.__lkEval(src)", OTHER_TAB % ("a", 2))
        # a write inside it: exactly one re-run, with the new result
        other.evaluate("(src) => window.__lkEval(src)", OTHER_TAB % ("b", 1))
        assert _wait(s, "_vals", [[], ["b"]]) == [[], ["b"]]
        s.run_python("await asyncio.sleep(0.2)\nTrue")
        assert s.run_python("_runs[0]") == 2
        s.run_python("_off(); _db.close(); await _db.delete(); True")
