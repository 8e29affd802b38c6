"""What the engine reads from a lorebook entry.

The engine duck-types entries: anything with the fields of `app.domain.LorebookEntry`
works (the pydantic model, `LoreEntry` below, or a test double). `LoreEntry` is the plain
dataclass the format importers produce; `LorebookEntry.parse(entry.to_record())` turns it
into the domain model.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, get_args

from app.domain import new_id
from app.domain.lorebook import LEVELS, SelectiveLogic

__all__ = ["LEVELS", "SELECTIVE_LOGICS", "EntryLike", "LoreEntry", "layer_of", "level_rank"]

SELECTIVE_LOGICS: tuple[str, ...] = get_args(SelectiveLogic)
_RANK = {level: i for i, level in enumerate(LEVELS)}


class EntryLike(Protocol):
    """The fields the engine reads."""

    id: str
    level: str
    scope_id: str | None
    name: str
    content: str
    keys: list[str]
    secondary_keys: list[str]
    selective_logic: str
    category: str | None
    enabled: bool
    constant: bool
    case_sensitive: bool | None
    match_whole_words: bool | None
    probability: int
    insertion_order: int
    priority: int
    scan_depth: int | None
    exclude_recursion: bool
    prevent_recursion: bool
    delay_until_recursion: bool


def level_rank(level: str) -> int:
    """Global first, module last; unknown levels after all known ones."""
    return _RANK.get(level, len(LEVELS))


def layer_of(entry: Any) -> tuple[str, str | None]:
    """The scope layer an entry belongs to: `(level, scope_id)`."""
    return (entry.level, entry.scope_id)


@dataclass
class LoreEntry:
    """A lorebook entry as plain data (same fields as the domain model)."""

    id: str = field(default_factory=new_id)
    level: str = "global"
    scope_id: str | None = None
    name: str = ""
    content: str = ""
    keys: list[str] = field(default_factory=list)
    secondary_keys: list[str] = field(default_factory=list)
    selective_logic: str = "and_any"
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    enabled: bool = True
    constant: bool = False
    case_sensitive: bool | None = None
    match_whole_words: bool | None = None
    probability: int = 100
    insertion_order: int = 100
    priority: int = 0
    position: str = "after_char"
    depth: int | None = None
    scan_depth: int | None = None
    exclude_recursion: bool = False
    prevent_recursion: bool = False
    delay_until_recursion: bool = False
    extensions: dict[str, Any] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        """The fields as a dict (what `LorebookEntry.parse` accepts)."""
        return asdict(self)
