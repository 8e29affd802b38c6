"""Settings for matching: global defaults that entries may override."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
    seed: seeds probability rolls; None draws a fresh seed per scan.
    """

    case_sensitive: bool = False
    match_whole_words: bool = True
    scan_depth: int = 2
    recursive: bool = True
    max_recursion: int = 3
    token_budget: int | None = None
    count_tokens: Callable[[str], int] = approx_tokens
    seed: int | str | None = None
