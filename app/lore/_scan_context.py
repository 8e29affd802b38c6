"""What a scan knows besides the scanned text (SillyTavern's `WIGlobalScanData` and more)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["GENERATION_TRIGGERS", "ScanContext"]

#: Generation types an entry's `triggers` may name (SillyTavern's `GENERATION_TYPE_TRIGGERS`).
GENERATION_TRIGGERS = ("normal", "continue", "impersonate", "swipe", "regenerate", "quiet")


@dataclass(frozen=True)
class ScanContext:
    """The extra facts of one scan.

    * `persona_description` ... `creator_notes`: texts an entry may ask to be matched
      against (its `match_*` fields), besides the chat or chapter;
    * `character_name` / `character_id` / `character_tags`: the character the prompt is
      for, checked against entries' character filters (a filter name matches the name or
      the id; with no character, a filter that lists names keeps the entry out, and tag
      filters are not applied, as in SillyTavern);
    * `trigger`: the generation type, checked against entries' `triggers`;
    * `lore_state`: the chat's timed-effects state (`chat.lore_state`); None: the scan
      tracks no sticky / cooldown effects (delays still apply);
    * `chat_length`: how many messages the chat has (default: the number of messages given
      to the scan) — timed effects count in messages;
    * `dry_run`: a preview: timed effects are neither read nor written (as SillyTavern's).
    """

    persona_description: str = ""
    character_description: str = ""
    character_personality: str = ""
    character_depth_prompt: str = ""
    scenario: str = ""
    creator_notes: str = ""
    character_name: str | None = None
    character_id: str | None = None
    character_tags: Sequence[str] = ()
    trigger: str = "normal"
    lore_state: Mapping[str, Any] | None = None
    chat_length: int | None = None
    dry_run: bool = False

    def source_text(self, name: str) -> str:
        """The extra text an entry's `match_<name>` field asks for."""
        return str(getattr(self, name.removeprefix("match_"), "") or "")

    @property
    def has_character(self) -> bool:
        return bool(self.character_name or self.character_id)
