"""Settings for matching: global defaults that entries may override."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["MatchOptions", "approx_tokens"]


def approx_tokens(text: str) -> int:
    """A tokenizer-free estimate: about four characters per token."""
    return (len(text) + 3) // 4


@dataclass(frozen=True)
class MatchOptions:
    """Global defaults for a scan.

    case_sensitive / match_whole_words: defaults for entries that leave them unset (None).
    scan_depth: how many of the latest chat messages are scanned (entries may ask for more).
    recursive / max_recursion: whether activated content can activate further entries, and
        how many such steps are taken (steps beyond are reported as "recursion_limit").
    token_budget: tokens available to activated content (None: unlimited).
    count_tokens: token counter for content (results are cached per content string).
    seed: seeds probability rolls and inclusion-group draws; None draws a fresh seed per scan.
    use_group_scoring: inclusion groups keep only the members that matched the most keys
        (entries may override it with `use_group_scoring`).
    min_activations / min_activations_depth_max: while fewer entries than this are active,
        scan one older message more (up to the maximum depth; 0: the whole chat), as
        SillyTavern's "Min Activations" does. 0 turns it off.
    """

    case_sensitive: bool = False
    match_whole_words: bool = True
    scan_depth: int = 2
    recursive: bool = True
    max_recursion: int = 3
    token_budget: int | None = None
    count_tokens: Callable[[str], int] = approx_tokens
    seed: int | str | None = None
    use_group_scoring: bool = False
    min_activations: int = 0
    min_activations_depth_max: int = 0

    @classmethod
    def from_settings(cls, settings: Any) -> MatchOptions:
        """The Settings screen's matching defaults (an ``app.domain.AppSettings``; None:
        the built-in defaults)."""
        if settings is None:
            return cls()
        return cls(
            case_sensitive=settings.lore_case_sensitive,
            match_whole_words=settings.lore_match_whole_words,
            scan_depth=settings.lore_scan_depth,
            recursive=settings.lore_recursive_scanning,
            max_recursion=settings.lore_max_recursion,
            token_budget=settings.lore_token_budget,
        )
