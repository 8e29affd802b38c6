"""A real storage quota in Chromium: a write past it surfaces as QuotaExceededError.

CPython drives the page so it can shrink the origin's quota through the DevTools
protocol (Storage.overrideQuotaForOrigin), then fills the database from Pyodide.
"""

from __future__ import annotations

import pytest

FILL = """
import base64
import os
from app.db import Database
from app.db.errors import AbortError, QuotaExceededError
db = Database("quota-real")
await db.delete()
db = Database("quota-real")
db.version(1).stores({"blobs": "id"})
await db.open()
outcome = None
try:
    for i in range(200):
        await db.blobs.put({"id": i, "text": base64.b64encode(os.urandom(150_000)).decode()})
except QuotaExceededError as error:
    outcome = ["quota", str(error), type(error.inner).__name__ if error.inner else None]
except AbortError as error:
    outcome = ["abort", str(error)]
stored = await db.blobs.count()
db.close()
await db.delete()
[outcome, stored]
"""


@pytest.mark.browser
def test_a_write_past_the_quota_is_a_quota_error() -> None:
    from tools.browser import browser_session

    with browser_session() as session:
        cdp = session.context.new_cdp_session(session.page)
        cdp.send("Storage.overrideQuotaForOrigin",
                 {"origin": session.url("").rstrip("/"), "quotaSize": 2_000_000})
        outcome, stored = session.run_python(FILL)
        assert outcome is not None and outcome[0] == "quota", outcome
        assert outcome[2] is not None  # the browser's own error is kept as .inner
        assert 0 < stored < 200
