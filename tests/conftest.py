"""Test-suite wide settings. Browser-safe: the in-browser tier imports it too."""

from __future__ import annotations

from typing import Any


def pytest_collection_modifyitems(session: Any, config: Any, items: list[Any]) -> None:
    """CPython tests first, then the in-browser tier, then end-to-end.

    Playwright's sync API keeps an event loop running on the main thread while a browser
    is open, which would break asyncio tests that come after it.
    """

    def tier(item: Any) -> int:
        if item.get_closest_marker("e2e") is not None or "/e2e/" in str(item.path):
            return 2
        return 1 if item.get_closest_marker("browser") is not None else 0

    items.sort(key=tier)
