"""What a scan returns: the activated entries and a trace explaining every candidate."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = ["REASONS", "KeyHit", "ScanResult", "TraceItem"]

#: Why an entry was included or left out.
REASONS: dict[str, str] = {
    "constant": "always included (constant)",
    "matched": "a primary key matched",
    "disabled": "entry is disabled",
    "secondary_logic": "secondary keys did not satisfy the entry's logic",
    "probability": "probability roll failed",
    "budget": "did not fit in the remaining token budget",
    "recursion_limit": "would be activated by recursion beyond the maximum depth",
    "exclude_recursion": "only recursion text matched, and the entry excludes recursion",
    "delay_until_recursion": "waits for a recursion step that never came",
    "scan_depth": "keys matched only outside the entry's scan depth",
}


class KeyHit(NamedTuple):
    """One key occurrence.

    `source` is "text" (the scanned text), "message" (`message` is its index in the list
    given to `scan`) or "recursion" (`from_entry` is the id of the entry whose content
    matched). `start`/`end` are offsets within that text, message or content.
    """

    key: str
    kind: str  # "primary" | "secondary"
    key_index: int
    start: int
    end: int
    source: str
    message: int | None = None
    from_entry: str | None = None


@dataclass(slots=True)
class TraceItem:
    """The fate of one candidate entry."""

    entry_id: str
    name: str
    level: str
    scope_id: str | None
    included: bool
    reason: str
    step: int | None = None
    tokens: int | None = None
    hits: list[KeyHit] = field(default_factory=list)
    detail: str = ""

    @property
    def explanation(self) -> str:
        text = REASONS.get(self.reason, self.reason)
        return f"{text}: {self.detail}" if self.detail else text


@dataclass(slots=True)
class ScanResult:
    """Activated entries (in insertion order) plus the trace and budget figures."""

    entries: list[Any]
    trace: list[TraceItem]
    tokens_used: int = 0
    token_budget: int | None = None
    steps: int = 0
    warnings: list[str] = field(default_factory=list)

    def item(self, entry_id: str) -> TraceItem | None:
        """The trace item of one entry, if it was a candidate."""
        for item in self.trace:
            if item.entry_id == entry_id:
                return item
        return None

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.entries]
