"""What a scan returns: the activated entries and a trace explaining every candidate."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ._entry import attr

__all__ = ["KEY_PROBLEMS", "REASONS", "KeyHit", "KeyProblem", "ScanResult", "TraceItem"]

#: Why an entry was included or left out.
REASONS: dict[str, str] = {
    "constant": "always included (constant)",
    "matched": "a primary key matched",
    "sticky": "still active (sticky)",
    "disabled": "entry is disabled",
    "trigger": "not for this kind of generation (triggers)",
    "character_filter": "not for this character (character filter)",
    "delay": "the chat is not long enough yet (delay)",
    "cooldown": "on cooldown",
    "secondary_logic": "secondary keys did not satisfy the entry's logic",
    "group": "another entry of its inclusion group was chosen",
    "probability": "probability roll failed",
    "budget": "did not fit in the remaining token budget",
    "recursion_limit": "would be activated by recursion beyond the maximum depth",
    "exclude_recursion": "only recursion text matched, and the entry excludes recursion",
    "delay_until_recursion": "waits for a recursion step that never came",
    "scan_depth": "keys matched only outside the entry's scan depth",
    "key_problem": "a key could not be run to the end (see its key problems)",
}
#: What can be wrong with one key (`KeyProblem.problem`).
KEY_PROBLEMS: dict[str, str] = {
    "as_text": "written as /regex/ but matched as plain text",
    "timeout": "gave up: the regular expression ran past the time limit",
    "unsupported": "this regular expression can only be run in the browser",
    "not_run": "not run by a synchronous scan in the browser (it may run for very long)",
}


class KeyHit(NamedTuple):
    """One key occurrence.

    `source` is "text" (the scanned text), "message" (`message` is its index in the list
    given to `scan`), "recursion" (`from_entry` is the id of the entry whose content
    matched) or the name of an extra text the entry asked for ("persona_description",
    "character_description", "character_personality", "character_depth_prompt",
    "scenario", "creator_notes"). `start`/`end` are offsets within that text, message or
    content.
    """

    key: str
    kind: str  # "primary" | "secondary"
    key_index: int
    start: int
    end: int
    source: str
    message: int | None = None
    from_entry: str | None = None


class KeyProblem(NamedTuple):
    """A key that could not be used as written: `problem` is a `KEY_PROBLEMS` name."""

    key: str
    problem: str
    detail: str = ""


@dataclass(slots=True)
class TraceItem:
    """The fate of one candidate entry.

    `group` names the inclusion group that decided it and `group_winner` the entry id that
    won it; `sticky_since` / `timed_until` give the message counts of its timed effect.
    """

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
    key_problems: list[KeyProblem] = field(default_factory=list)
    group: str | None = None
    group_winner: str | None = None
    sticky_since: int | None = None
    timed_until: int | None = None

    @property
    def explanation(self) -> str:
        text = REASONS.get(self.reason, self.reason)
        return f"{text}: {self.detail}" if self.detail else text


@dataclass(slots=True)
class ScanResult:
    """Activated entries (in prompt order) plus the trace and budget figures.

    `lore_state` is the chat's timed-effects state after this scan (store it on the chat:
    `chat.lore_state`); None when the scan tracked no timed effects or was a dry run.
    """

    entries: list[Any]
    trace: list[TraceItem]
    tokens_used: int = 0
    token_budget: int | None = None
    steps: int = 0
    warnings: list[str] = field(default_factory=list)
    lore_state: dict[str, Any] | None = None

    def item(self, entry_id: str) -> TraceItem | None:
        """The trace item of one entry, if it was a candidate."""
        for item in self.trace:
            if item.entry_id == entry_id:
                return item
        return None

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.entries]

    @property
    def outlets(self) -> dict[str, list[Any]]:
        """Entries placed in named outlets (`position == "outlet"`), per outlet name, in
        prompt order. An outlet entry without a name goes nowhere (as in SillyTavern)."""
        out: dict[str, list[Any]] = {}
        for e in self.entries:
            name = attr(e, "outlet_name") or ""
            if attr(e, "position") == "outlet" and name.strip():
                out.setdefault(name.strip(), []).append(e)
        return out
