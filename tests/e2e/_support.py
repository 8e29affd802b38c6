"""Helpers for end-to-end tests: open the app the way a person does and wait for it."""

from __future__ import annotations

from typing import Any

__all__ = ["READY", "open_app", "wait_ready"]

READY = "html[data-ready='true']"


def wait_ready(page: Any, timeout_ms: int = 60_000) -> None:
    """Wait until the first screen has rendered from IndexedDB (or fail with the boot error)."""
    page.wait_for_function(
        "document.documentElement.dataset.ready === 'true'"
        " || document.documentElement.dataset.boot === 'failed'", timeout=timeout_ms)
    if page.evaluate("document.documentElement.dataset.boot") == "failed":
        message = page.text_content("#boot-error-message")
        detail = page.text_content("#boot-error-detail")
        raise AssertionError(f"the app failed to boot: {message}\n{detail}")


def open_app(page: Any, url: str, timeout_ms: int = 60_000) -> None:
    page.goto(url)
    wait_ready(page, timeout_ms)
