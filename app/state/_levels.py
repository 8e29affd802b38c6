"""The levels of the state hierarchy."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["Level"]


class Level(IntEnum):
    """Levels of the state hierarchy; leaving a level clears every level below it."""

    GLOBAL = 0  # settings
    LISTS = 1  # everything the app lists
    CHARACTER = 2  # the active character and what it owns
    CHAT = 3  # the active chat and what it owns

    @classmethod
    def named(cls, name: str) -> Level:
        """The level an entity declaration names (`"lists"`, `"character"`, `"chat"`)."""
        return cls[name.upper()]
