"""Keyboard events with modifiers, in both tiers (the harness's ``fire`` sends only a key)."""

from __future__ import annotations

from typing import Any

from ._support import IN_BROWSER, Harness, to_js_dict


def press(harness: Harness, node: Any, key: str, **modifiers: bool) -> bool:
    """Dispatch a ``keydown`` of ``key`` (``altKey=True``...); True if it was cancelled."""
    if IN_BROWSER:
        import js

        init = {"key": key, "bubbles": True, "cancelable": True, **modifiers}
        return not node.dispatchEvent(js.KeyboardEvent.new("keydown", to_js_dict(init)))
    return bool(harness.dom.dispatch(node, "keydown", key=key, **modifiers).default_prevented)  # type: ignore[attr-defined]
