"""Test-suite wide settings. Browser-safe: the in-browser tier imports it too."""

from __future__ import annotations

import os
import sys
from collections import Counter
from typing import Any

TIERS = ("cpython", "browser", "e2e")
_session: list[Any] = []


def _tier(item: Any) -> int:
    if item.get_closest_marker("e2e") is not None or "/e2e/" in str(item.path):
        return 2
    return 1 if item.get_closest_marker("browser") is not None else 0


def pytest_collection_modifyitems(session: Any, config: Any, items: list[Any]) -> None:
    """CPython tests first, then the in-browser tier, then end-to-end.

    Playwright's sync API keeps an event loop running on the main thread while a browser
    is open, which would break asyncio tests that come after it.
    """
    items.sort(key=_tier)


def pytest_sessionstart(session: Any) -> None:
    _session[:] = [session]


def _counts(session: Any) -> Counter[str]:
    return Counter(TIERS[_tier(item)] for item in getattr(session, "items", []))


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    """Close the shared Chromium; with LK_REQUIRE_ALL_TIERS=1 (``./lk test``), fail the
    run if a tier ran no test."""
    browser = sys.modules.get("tools.browser")
    if browser is not None:
        browser.close_shared()
    if os.environ.get("LK_REQUIRE_ALL_TIERS") != "1":
        return
    counts = _counts(session)
    empty = [name for name in TIERS if not counts[name]]
    if empty:
        print(f"\nERROR: these test tiers ran no test: {', '.join(empty)}")
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    counts = _counts(_session[0]) if _session else Counter()
    if counts:
        terminalreporter.write_line(
            "tests per tier: " + ", ".join(f"{name} {counts[name]}" for name in TIERS))
