"""What `formats.load` returns: a lorebook plus, for character cards, the card itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .._entry import LoreEntry

__all__ = ["LoreBook"]


@dataclass
class LoreBook:
    """A lorebook in our model.

    `format` names what it was loaded from ("ccv2", "ccv3", "lorebook_v3", "st", "novelai",
    "agnai"). `card` is the whole character card (spec, spec_version and data, without the
    book) when the book came from a card; `extra` holds the book object's fields we do not
    model, written back verbatim on export.
    """

    name: str = ""
    description: str = ""
    entries: list[LoreEntry] = field(default_factory=list)
    scan_depth: int | None = None
    token_budget: int | None = None
    recursive_scanning: bool | None = None
    extensions: dict[str, Any] = field(default_factory=dict)
    format: str = ""
    card: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
