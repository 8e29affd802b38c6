"""Opening: the state level a page opens, and how entering a page moves the state's levels.

A character page opens ``Level.CHARACTER`` for its id (closing any chat); a chat page
opens ``Level.CHAT`` (and with it the chat's character); every other page leaves the
character level (and so the chat). The screen table says which page opens what.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from app.reactive import Subscribable, get
from app.state import Level

from ._state import UiState

__all__ = ["Opening", "Opens", "enter", "opened_id", "opens_record"]


@dataclass(frozen=True, slots=True)
class Opening:
    """A state level a page opens, for one record: ``Opening(Level.CHAT, chat_id, "chat")``.

    ``noun`` names the record on the "Not found" page when it does not exist.
    """

    level: Level
    id: str
    noun: str


Opens = Callable[[Mapping[str, str]], Opening | None]
"""From a route's params, the level to open (``None``: the page leaves the record levels)."""


def opens_record(level: Level, noun: str, param: str = "id") -> Opens:
    """The page opens ``level`` for the record whose id is the route's ``param``."""

    def opens(params: Mapping[str, str]) -> Opening:
        return Opening(level, params[param], noun)

    return opens


def opened_id(state: UiState, level: Level) -> Subscribable[str | None]:
    """The id of the record ``level`` shows now (``None`` when it shows none)."""
    if level == Level.CHARACTER:
        return state.active_character_id
    if level == Level.CHAT:
        return state.active_chat_id
    raise ValueError(f"pages cannot open {level!r}")


async def enter(state: UiState, opening: Opening | None) -> bool:
    """Move the state's levels to what a page opens.

    Raises ``LookupError`` when the record does not exist; ``False`` when a later
    navigation overtook this one.
    """
    if opening is None:
        state.close_character()
        return True
    if opening.level == Level.CHARACTER:
        state.close_chat()
        if get(state.active_character_id) == opening.id:
            return True
        return await state.open_character(opening.id)
    if opening.level == Level.CHAT:
        if get(state.active_chat_id) == opening.id:
            return True
        return await state.open_chat(opening.id)
    raise ValueError(f"pages cannot open {opening.level!r}")
