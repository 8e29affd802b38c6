"""The screen table: every page of the app, in one list.

Router, navigation, page titles and the state levels a page opens all derive from
``SCREENS`` (see ``app.ui.Screen``). A screen's view is ``app.ui.screens.<module>``'s
``render(ctx, page)``, imported the first time its route is opened; ``module=None`` shows
the "not built yet" placeholder. Order matters twice: routes are matched in this order
(put ``/lorebook/global`` before ``/lorebook/{level}/{scope_id}``), and navigation links
appear in this order. The first screen is the home page. How to add a screen:
``app/ui/README.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.reactive import Subscribable, derived
from app.state import Level
from app.ui import CharacterRecord, ChatRecord, Opening, Page, Screen, opens_record

__all__ = ["LOREBOOK_LEVELS", "SCREENS"]

LOREBOOK_LEVELS = ("series", "story", "character", "chat", "module")


def character_name(page: Page) -> Subscribable[str]:
    def name(character: CharacterRecord | None) -> str:
        return character.name if character is not None else "Character"

    return derived(page.state.active_character, name)


def chat_title(page: Page) -> Subscribable[str]:
    def title(values: list[Any]) -> str:
        chat: ChatRecord | None = values[0]
        character: CharacterRecord | None = values[1]
        if chat is not None and chat.title.strip():
            return chat.title
        return f"Chat with {character.name}" if character is not None else "Chat"

    return derived([page.state.active_chat, page.state.active_character], title)


def series_name(page: Page) -> Subscribable[str]:
    from app.ui._record_page import record_title

    return record_title(page.state.writing.series(page.params["id"]), lambda s: s.name, "Series")


def story_title(page: Page) -> Subscribable[str]:
    from app.ui._record_page import record_title

    return record_title(page.state.writing.story(page.params["id"]), lambda s: s.title, "Story")


def chapter_title(page: Page) -> Subscribable[str]:
    from app.ui.screens.chapter import title

    return title(page)


def lorebook_title(page: Page) -> Subscribable[str]:
    from app.ui.screens.lorebook import title

    return title(page)


def lorebook_scope(params: Mapping[str, str]) -> Opening | None:
    """A character's or a chat's lorebook opens that character or chat."""
    level, scope_id = params["level"], params["scope_id"]
    if level == "character":
        return Opening(Level.CHARACTER, scope_id, "character")
    if level == "chat":
        return Opening(Level.CHAT, scope_id, "chat")
    return None


_LEVEL = "|".join(LOREBOOK_LEVELS)

SCREENS: tuple[Screen, ...] = (
    Screen("/characters", "characters", "Characters", module="characters", nav="Characters"),
    Screen(
        "/characters/{id}",
        "character",
        character_name,
        module="character",
        section="characters",
        opens=opens_record(Level.CHARACTER, "character"),
    ),
    Screen(
        "/chats/{id}",
        "chat",
        chat_title,
        "chat",
        section="characters",
        opens=opens_record(Level.CHAT, "chat"),
    ),
    Screen("/personas", "personas", "Personas", "personas", nav="Personas"),
    Screen("/series", "series_list", "Stories", "series_list", nav="Stories"),
    Screen("/series/{id}", "series", series_name, "series", section="series_list"),
    Screen("/stories/{id}", "story", story_title, "story", section="series_list"),
    Screen(
        "/stories/{id}/chapters/{chapter_id}",
        "chapter",
        chapter_title,
        "chapter",
        section="series_list",
    ),
    Screen("/lorebook/global", "global_lorebook", "Global lorebook", "lorebook", nav="Lorebook"),
    Screen(
        f"/lorebook/{{level:{_LEVEL}}}/{{scope_id}}",
        "lorebook",
        lorebook_title,
        "lorebook",
        section="global_lorebook",
        opens=lorebook_scope,
    ),
    Screen("/presets", "presets", "Presets", "presets", nav="Presets"),
    Screen("/library", "library", "Library", "library", nav="Library"),
    Screen("/settings", "settings", "Settings", "settings", nav="Settings"),
    Screen("/settings/providers", "providers", "Providers", "providers", section="settings"),
    Screen("/settings/sync", "sync", "Sync", "sync", section="settings"),
)
"""Screen(path, name, title, module=…, nav=…, section=…, opens=…): one line per page."""
