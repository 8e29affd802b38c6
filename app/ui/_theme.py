"""The theme the person chose (Settings): "system", "light" or "dark", applied at once.

The shell carries it as ``data-theme`` on its root; the stylesheet's colours follow
(``system`` follows ``prefers-color-scheme``).
"""

from __future__ import annotations

from typing import Any

from app.reactive import Readable, Subscribable, derived

__all__ = ["THEME_NAMES", "theme_of"]

THEME_NAMES = ("system", "light", "dark")


def theme_of(settings: Subscribable[Any]) -> Readable[str]:
    """The theme setting as a store (``"system"`` until the settings are loaded)."""

    def pick(found: Any) -> str:
        theme = getattr(found, "theme", None)
        return theme if theme in THEME_NAMES else "system"

    return derived(settings, pick)
