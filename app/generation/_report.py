"""What the prompt inspector shows: the exact messages, each part with its token count,
the history kept, the budget, and the lore trace (every entry considered, which key
matched where, its scope, and why it went in or stayed out)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ._provider import ChatMessage, CompletionRequest
from ._settings import SamplingSettings
from ._tokens import TokenizerInfo

__all__ = [
    "BudgetReport",
    "BuiltPrompt",
    "HistoryReport",
    "LoreEntryReport",
    "LoreHit",
    "LoreReport",
    "PromptPart",
    "PromptTooLongError",
]


@dataclass(frozen=True)
class PromptPart:
    """One piece of the prompt. `message` is the index of the request message holding it
    (None when it was left out, with `reason` saying why)."""

    kind: str  # system_prompt | character | persona | examples | lore | history | post_history | instruction | story
    label: str
    role: str
    text: str
    tokens: int
    message: int | None = None
    reason: str = ""
    source_id: str | None = None

    @property
    def included(self) -> bool:
        return self.message is not None


@dataclass(frozen=True)
class LoreHit:
    """One key occurrence: `where` is "message" (a chat message; `message_id`), "story
    text", "scene beat", or "recursion" (inside another entry's content)."""

    key: str
    kind: str  # primary | secondary
    where: str
    start: int
    end: int
    excerpt: str = ""
    message_id: str | None = None
    message_index: int | None = None
    from_entry_id: str | None = None
    from_entry_name: str | None = None


@dataclass(frozen=True)
class LoreEntryReport:
    entry_id: str
    name: str
    level: str
    scope_id: str | None
    included: bool
    #: A key of `app.lore.REASONS`: constant, matched, budget, secondary_logic, probability,
    #: recursion_limit, exclude_recursion, delay_until_recursion, scan_depth, disabled.
    reason: str
    explanation: str
    tokens: int | None
    step: int | None
    constant: bool
    #: Where the content went ("before character", "at depth 4", ...), or "" if left out.
    placement: str = ""
    hits: tuple[LoreHit, ...] = ()


@dataclass(frozen=True)
class LoreReport:
    entries: tuple[LoreEntryReport, ...] = ()
    #: Entries the chat or story sees (every scope), and how many were candidates.
    in_scope: int = 0
    considered: int = 0
    scan_depth: int = 0
    scanned_message_ids: tuple[str, ...] = ()
    token_budget: int | None = None
    tokens_used: int = 0
    recursion_steps: int = 0
    seed: str = ""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class HistoryReport:
    total: int = 0
    kept: int = 0
    #: Older messages left out for the budget.
    dropped: int = 0
    #: Messages never sent (roles info, error, tool).
    not_sent: int = 0
    first_kept_id: str | None = None


@dataclass(frozen=True)
class BudgetReport:
    context_size: int
    reply_tokens: int
    available: int
    used: int

    @property
    def free(self) -> int:
        return self.available - self.used


@dataclass(frozen=True)
class BuiltPrompt:
    """The request to send and everything the inspector shows about it."""

    mode: Literal["chat", "text"]
    messages: tuple[ChatMessage, ...]
    parts: tuple[PromptPart, ...]
    budget: BudgetReport
    history: HistoryReport
    lore: LoreReport
    tokenizer: TokenizerInfo
    sampling: SamplingSettings
    #: Text mode: the prompt as sent, and the template's stop strings.
    text: str | None = None
    stop: tuple[str, ...] = ()
    continue_last: bool = False
    warnings: tuple[str, ...] = ()
    message_tokens: tuple[int, ...] = field(default=())

    @property
    def total_tokens(self) -> int:
        return self.budget.used

    def request(self, model: str | None = None) -> CompletionRequest:
        """The `CompletionRequest` for `start_generation`."""
        sampling = self.sampling
        if self.stop:
            stops = list(dict.fromkeys([*sampling.stop, *self.stop]))
            sampling = sampling.model_copy(update={"stop": stops})
        return CompletionRequest(
            messages=self.messages,
            sampling=sampling,
            prompt=self.text,
            model=model,
            continue_last=self.continue_last,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (to keep with the reply, so the inspector can show it later)."""
        data = asdict(self)
        data["sampling"] = self.sampling.model_dump(mode="json")
        data["total_tokens"] = self.total_tokens
        return data


class PromptTooLongError(ValueError):
    """The parts that must be sent do not fit the context; the message says which."""

    def __init__(self, message: str, parts: list[PromptPart], available: int) -> None:
        super().__init__(message)
        self.parts = parts
        self.available = available
