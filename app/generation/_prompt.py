"""The prompt builder: from the active preset, a character card, a persona, the chat (or
the story) and the lore it sees, the exact request messages plus a breakdown for the
prompt inspector. Works on plain data and `app.domain` models, never on the UI.

Chat order (each part is its own system message, or merged when the preset says so):
system prompt · lore "before character" · description · personality · scenario · lore
"after character" · persona · lore "before examples" · example dialogue · lore "after
examples" · history (newest first until the budget is spent; lore "at depth N" inserted
N messages from the end) · post-history instructions.

Budget: the context size minus the reply's `max_tokens`. Every part but the history and
the example dialogue must fit, or `PromptTooLongError` says which parts are too large;
constant lore is never dropped silently (the lore engine keeps it even over its own
budget, and it is a part that must fit). The newest message must fit too; older ones
are dropped first. The total counted is exactly what is sent (each message's content
plus its per-message overhead, or in text mode each message as the template renders it).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from app.lore import VARIABLES, LayerCache, LoreContext, Matcher, MatchOptions, build_context

from ._instruct import INSTRUCT_TEMPLATES, InstructTemplate, render_prompt
from ._provider import ChatMessage
from ._report import (
    BudgetReport,
    BuiltPrompt,
    HistoryReport,
    LoreEntryReport,
    LoreHit,
    LoreReport,
    PromptPart,
    PromptTooLongError,
)
from ._settings import PresetSettings
from ._tokens import TokenCounter

__all__ = [
    "CHAT_MESSAGE_OVERHEAD",
    "ChatPromptInputs",
    "StoryPromptInputs",
    "build_chat_prompt",
    "build_story_prompt",
    "message_text",
]

#: Tokens each chat message costs beyond its content (role and separators), and the
#: tokens that prime the reply (OpenAI's published figures; close for other chat formats).
CHAT_MESSAGE_OVERHEAD = 3
CHAT_REPLY_PRIMING = 3
#: Where "author's note" lore goes (SillyTavern's default depth).
AUTHOR_NOTE_DEPTH = 4
CONTINUE_NUDGE = "[Continue your last message from where it stops, without repeating it.]"
DEFAULT_STORY_SYSTEM = (
    "You are a skilled novelist. Continue the story in its established voice, tense and "
    "point of view, consistent with the notes below."
)
_SENT_ROLES = {"user", "assistant", "system"}
_MACRO = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)(?:::([^}]*?))?\s*\}\}")
_EXCERPT = 40
Mode = Literal["chat", "text"]


def message_text(content: Any) -> str:
    """The text of a message's JSON content (a string, {"text": ...} or a list of parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        text = content.get("text")
        return text if isinstance(text, str) else ""
    if isinstance(content, list):
        return "\n".join(t for t in (message_text(p) for p in content) if t)
    return ""


@dataclass
class _PromptInputs:
    """What chat and story prompts share."""

    preset: Any | None = None
    #: Every lorebook entry in scope: for a chat global, character, chat and enabled
    #: modules (the app state's `all_lorebooks`); for a story global, series and story.
    lore_entries: Sequence[Any] = ()
    #: The app-wide `LayerCache` (unchanged lore layers are not re-indexed).
    lore_cache: LayerCache | None = None
    #: The provider continues a final assistant message by itself (Anthropic, text mode).
    prefill: bool = False
    mode: Mode = "chat"
    #: Seeds lore probability rolls (the report records the seed used).
    seed: int | str | None = None
    #: Overrides the settings stored in `preset`.
    settings: PresetSettings | None = None
    #: The app's matching defaults (`MatchOptions.from_settings`): case and whole words
    #: apply unless an entry says otherwise; the preset decides depth, budget, recursion.
    matching: MatchOptions | None = None


@dataclass
class ChatPromptInputs(_PromptInputs):
    """What a chat reply is built from. `messages` are the chat's messages, oldest first
    (`app.domain.Message` or anything with `id`, `role`, `content`)."""

    messages: Sequence[Any] = ()
    character: Any | None = None
    persona: Any | None = None
    user_name: str = "User"
    #: Continue the last (assistant) message instead of answering it.
    continue_last: bool = False


@dataclass
class StoryPromptInputs(_PromptInputs):
    """"Continue writing" (no `beat`) or "write this beat" for a story."""

    text: str = ""
    beat: str | None = None
    title: str = ""
    #: Point-of-view character and reader names for {{char}} / {{user}}.
    char_name: str = ""
    user_name: str = ""


@dataclass
class _Piece:
    kind: str
    label: str
    role: str
    text: str
    source_id: str | None = None
    tokens: int = 0
    message: int | None = None
    reason: str = ""
    #: Never merged into a neighbour (history messages, inserted lore).
    alone: bool = False


@dataclass
class _Lore:
    report: LoreReport
    #: placement name → pieces
    placed: dict[str, list[_Piece]] = field(default_factory=dict)
    #: depth → pieces (chat only)
    at_depth: dict[int, list[_Piece]] = field(default_factory=dict)
    outlets: dict[str, list[_Piece]] = field(default_factory=dict)


@dataclass
class _MatcherSlot:
    """A matcher kept for the next build while the same entry objects are in scope."""

    key: tuple[Any, ...]
    entries: Sequence[Any]
    matcher: Matcher
    by_id: dict[str, Any]


#: The last matchers used (a few, by LayerCache): building a Matcher over 5,000 entries
#: costs more than the scan itself, and a chat asks again and again with the same lore.
_MATCHERS: list[_MatcherSlot] = []
_KEEP_MATCHERS = 2


def _matcher_for(entries: Sequence[Any], options: MatchOptions, cache: LayerCache | None) -> _MatcherSlot:
    """The cached matcher when `entries` are the same objects in the same order (entries
    are immutable records: an edit brings a new object) and the options match."""
    key = (
        id(cache),
        tuple(map(id, entries)),
        options.recursive,
        options.max_recursion,
        options.case_sensitive,
        options.match_whole_words,
        id(options.count_tokens.__self__) if hasattr(options.count_tokens, "__self__") else id(options.count_tokens),
    )
    if cache is not None:
        for slot in _MATCHERS:
            if slot.key == key and slot.matcher.cache is cache:
                _MATCHERS.remove(slot)
                _MATCHERS.insert(0, slot)
                return slot
    matcher = Matcher(entries, options, cache=cache)
    slot = _MatcherSlot(key, entries, matcher, {e.id: e for e in matcher.entries})
    if cache is not None:
        _MATCHERS.insert(0, slot)
        del _MATCHERS[_KEEP_MATCHERS:]
    return slot


_PLACEMENTS = {
    "before_char": ("before_char", "before the character"),
    "after_char": ("after_char", "after the character"),
    "em_top": ("before_examples", "before the example dialogue"),
    "em_bottom": ("after_examples", "after the example dialogue"),
}


class _Builder:
    def __init__(self, counter: TokenCounter, settings: PresetSettings, inputs: _PromptInputs) -> None:
        self.counter = counter
        self.settings = settings
        self.inputs = inputs
        mode = self.mode = inputs.mode
        self.template: InstructTemplate | None = None
        if mode == "text":
            name = settings.prompt.instruct_template
            if name not in INSTRUCT_TEMPLATES:
                raise KeyError(f"no instruct template {name!r}")
            self.template = INSTRUCT_TEMPLATES[name]
        self.available = settings.prompt.context_size - settings.sampling.max_tokens
        self.macros: dict[str, str] = {}
        self.outlets: dict[str, str] = {}
        self.warnings: list[str] = []
        self._lore_context: Callable[[], LoreContext] | None = None
        self._costs: dict[tuple[str, str], int] = {}
        self._tokens: dict[str, int] = {}

    # -- text -----------------------------------------------------------------------------
    def fill(self, text: str) -> str:
        """Replace {{char}}, {{user}}, {{persona}}, ... and {{outlet::name}}; variables the
        lore context builder knows ({{all_characters}}, ...) are resolved by it."""
        if "{{" not in text:
            return text
        lore_vars: list[str] = []

        def one(m: re.Match[str]) -> str:
            name = m.group(1).lower()
            if name == "outlet" and m.group(2) is not None:
                return self.outlets.get(m.group(2).strip(), "")
            if name in self.macros:
                return self.macros[name]
            if name in VARIABLES:
                lore_vars.append(name)
            return m.group(0)

        out = _MACRO.sub(one, text)
        if lore_vars and self._lore_context is not None:
            built = build_context(out, self._lore_context())
            self.warnings.extend(built.warnings)
            out = built.text
        return out

    def cost(self, role: str, content: str) -> int:
        """Tokens one request message costs."""
        key = (role, content)
        got = self._costs.get(key)
        if got is None:
            if self.template is not None:
                got = self.counter.count(self.template.wrap(role, content))
            else:
                got = self.counter.count(content) + CHAT_MESSAGE_OVERHEAD
            self._costs[key] = got
        return got

    def tokens(self, text: str) -> int:
        got = self._tokens.get(text)
        if got is None:
            got = self._tokens[text] = self.counter.count(text)
        return got

    def priming(self) -> int:
        if self.template is not None:
            return self.counter.count(self.template.begin + self.template.reply_start)
        return CHAT_REPLY_PRIMING

    # -- lore -----------------------------------------------------------------------------
    def scan_lore(
        self,
        entries: Sequence[Any],
        texts: list[str],
        ids: list[str | None],
        where: Callable[[int], str],
        cache: LayerCache | None,
        seed: int | str | None,
    ) -> _Lore:
        p = self.settings.prompt
        budget = p.lore_budget(max(0, self.available))
        seed_value = seed if seed is not None else random.getrandbits(48)
        options = replace(
            self.inputs.matching or MatchOptions(),
            scan_depth=p.lore_scan_depth,
            recursive=p.lore_recursive,
            max_recursion=p.lore_max_recursion,
            token_budget=budget,
            count_tokens=self.counter.count,
            seed=seed_value,
        )
        reusable = _matcher_for(entries, options, cache)
        self._lore_context = lambda: LoreContext(
            entries=entries,
            messages=texts,
            char=self.macros.get("char", ""),
            user=self.macros.get("user", ""),
            persona=self.macros.get("persona", ""),
            description=self.macros.get("description", ""),
            scenario=self.macros.get("scenario", ""),
            options=options,
            cache=cache,
        )
        result = (
            reusable.matcher.scan(texts, seed=seed_value, token_budget=budget, scan_depth=p.lore_scan_depth)
            if entries
            else None
        )
        lore = _Lore(LoreReport(in_scope=len(entries), token_budget=budget, seed=str(seed_value)))
        if result is None:
            return lore
        placement: dict[str, str] = {}
        for entry in result.entries:
            content = self.fill(entry.content or "")
            if not content.strip():
                continue
            label = f"Lore: {entry.name or entry.id} ({entry.level})"
            piece = _Piece("lore", label, "system", content, entry.id)
            position = entry.position or "after_char"
            if position in _PLACEMENTS:
                slot, words = _PLACEMENTS[position]
                lore.placed.setdefault(slot, []).append(piece)
            elif position in ("at_depth", "an_top", "an_bottom"):
                depth = entry.depth if position == "at_depth" and entry.depth is not None else AUTHOR_NOTE_DEPTH
                piece.alone = True
                lore.at_depth.setdefault(depth, []).append(piece)
                words = f"at depth {depth}"
            elif position == "outlet":
                ext = entry.extensions or {}
                name = str(ext.get("outlet_name") or ext.get("outletName") or "")
                lore.outlets.setdefault(name, []).append(piece)
                words = f"outlet {name!r}"
            else:
                lore.placed.setdefault("after_char", []).append(piece)
                words = "after the character"
            placement[entry.id] = words
        self.outlets = {
            name: "\n\n".join(p.text for p in pieces) for name, pieces in lore.outlets.items()
        }
        by_id = reusable.by_id
        reports = []
        for item in result.trace:
            hits = []
            for hit in item.hits:
                if hit.source == "recursion":
                    source = by_id.get(hit.from_entry or "")
                    hits.append(
                        LoreHit(
                            hit.key, hit.kind, "recursion", hit.start, hit.end,
                            from_entry_id=hit.from_entry,
                            from_entry_name=getattr(source, "name", ""),
                        )
                    )
                    continue
                index = hit.message if hit.message is not None else 0
                text = texts[index] if index < len(texts) else ""
                excerpt = text[max(0, hit.start - _EXCERPT) : hit.end + _EXCERPT]
                hits.append(
                    LoreHit(
                        hit.key, hit.kind, where(index), hit.start, hit.end, excerpt,
                        message_id=ids[index] if index < len(ids) else None,
                        message_index=index,
                    )
                )
            constant = bool(getattr(by_id.get(item.entry_id), "constant", False))
            reports.append(
                LoreEntryReport(
                    entry_id=item.entry_id,
                    name=item.name,
                    level=item.level,
                    scope_id=item.scope_id,
                    included=item.included,
                    reason=item.reason,
                    explanation=item.explanation,
                    tokens=item.tokens,
                    step=item.step,
                    constant=constant,
                    placement=placement.get(item.entry_id, ""),
                    hits=tuple(hits),
                )
            )
        window = max(0, p.lore_scan_depth)
        lore.report = LoreReport(
            entries=tuple(reports),
            in_scope=len(entries),
            considered=len(reports),
            scan_depth=p.lore_scan_depth,
            scanned_message_ids=tuple(i for i in ids[len(ids) - window :] if i) if window else (),
            token_budget=budget,
            tokens_used=result.tokens_used,
            recursion_steps=result.steps,
            seed=str(seed_value),
            warnings=tuple(result.warnings),
        )
        return lore

    def unused_outlets(self, lore: _Lore, texts: Sequence[str]) -> None:
        joined = "\n".join(texts)
        for name in lore.outlets:
            if f"outlet::{name}" not in joined:
                self.warnings.append(
                    f"lore for outlet {name!r} matched, but no prompt text places "
                    f"{{{{outlet::{name}}}}}: it was not sent"
                )

    # -- assembly -------------------------------------------------------------------------
    def merge(self, pieces: list[_Piece]) -> list[tuple[str, str, list[_Piece]]]:
        """Group pieces into request messages: (role, content, pieces)."""
        merge_system = self.settings.prompt.merge_system
        out: list[tuple[str, str, list[_Piece]]] = []
        for piece in pieces:
            if (
                out
                and not piece.alone
                and not out[-1][2][-1].alone
                and out[-1][0] == piece.role
                and ((piece.role == "system" and merge_system) or piece.kind in ("story", "instruction"))
            ):
                role, content, group = out[-1]
                out[-1] = (role, content + "\n\n" + piece.text, [*group, piece])
            else:
                out.append((piece.role, piece.text, [piece]))
        return out

    def cost_of(self, pieces: list[_Piece]) -> int:
        return sum(self.cost(role, content) for role, content, _ in self.merge(pieces))

    def finish(
        self,
        ordered: list[_Piece],
        left_out: list[_Piece],
        history: HistoryReport,
        lore: LoreReport,
        continue_last: bool,
    ) -> BuiltPrompt:
        groups = self.merge(ordered)
        messages: list[ChatMessage] = []
        message_tokens: list[int] = []
        for index, (role, content, group) in enumerate(groups):
            messages.append(ChatMessage(role, content))  # type: ignore[arg-type]
            message_tokens.append(self.cost(role, content))
            for piece in group:
                piece.message = index
        used = sum(message_tokens) + self.priming()
        parts = []
        for piece in [*ordered, *left_out]:
            parts.append(
                PromptPart(
                    kind=piece.kind,
                    label=piece.label,
                    role=piece.role,
                    text=piece.text,
                    tokens=self.tokens(piece.text),
                    message=piece.message,
                    reason=piece.reason,
                    source_id=piece.source_id,
                )
            )
        text: str | None = None
        stop: tuple[str, ...] = ()
        if self.template is not None:
            text, stops = render_prompt(messages, self.template.name, continue_last=continue_last)
            stop = tuple(stops)
        s = self.settings
        return BuiltPrompt(
            mode=self.mode,
            messages=tuple(messages),
            parts=tuple(parts),
            budget=BudgetReport(s.prompt.context_size, s.sampling.max_tokens, self.available, used),
            history=history,
            lore=lore,
            tokenizer=self.counter.info,
            sampling=s.sampling,
            text=text,
            stop=stop,
            continue_last=continue_last,
            warnings=tuple(dict.fromkeys(self.warnings)),
            message_tokens=tuple(message_tokens),
        )

    def too_long(self, required: list[_Piece], what: str) -> PromptTooLongError:
        for piece in required:
            piece.tokens = self.counter.count(piece.text)
        largest = sorted(required, key=lambda p: -p.tokens)[:3]
        named = ", ".join(f"{p.label} ({p.tokens})" for p in largest)
        s = self.settings
        message = (
            f"The prompt does not fit: {what}, but the preset leaves {max(0, self.available)} "
            f"tokens (context size {s.prompt.context_size} minus {s.sampling.max_tokens} for "
            f"the reply). Largest parts: {named}. Raise the context size, lower the reply "
            "length, or shorten those parts."
        )
        parts = [
            PromptPart(p.kind, p.label, p.role, p.text, p.tokens, None, "budget", p.source_id)
            for p in required
        ]
        return PromptTooLongError(message, parts, self.available)


def _example_blocks(examples: str) -> list[str]:
    blocks = re.split(r"<START>", examples, flags=re.IGNORECASE)
    return [b.strip() for b in blocks if b.strip()]


def _prefer(own: str, preset_text: str, prefer_own: bool) -> str:
    """A character's own prompt wins (with {{original}} = the preset's) when preferred."""
    if own.strip() and prefer_own:
        return re.sub(r"\{\{\s*original\s*\}\}", lambda _: preset_text, own, flags=re.I)
    return preset_text


def build_chat_prompt(inputs: ChatPromptInputs, counter: TokenCounter) -> BuiltPrompt:
    """The request for the next reply of a chat (or the continuation of the last one)."""
    settings = inputs.settings or PresetSettings.of(inputs.preset)
    p = settings.prompt
    b = _Builder(counter, settings, inputs)
    char = inputs.character
    persona = inputs.persona
    char_name = getattr(char, "name", "") or ""
    user_name = (getattr(persona, "name", "") or "") or inputs.user_name
    b.macros = {
        "char": char_name,
        "user": user_name,
        "persona": getattr(persona, "description", "") or "",
        "description": getattr(char, "description", "") or "",
        "personality": getattr(char, "personality", "") or "",
        "scenario": getattr(char, "scenario", "") or "",
    }
    for key in ("persona", "description", "personality", "scenario"):
        b.macros[key] = _MACRO.sub(
            lambda m: b.macros.get(m.group(1).lower(), m.group(0))
            if m.group(1).lower() in ("char", "user")
            else m.group(0),
            b.macros[key],
        )

    # history: what is sent, oldest first
    sendable = [m for m in inputs.messages if getattr(m, "role", "") in _SENT_ROLES]
    not_sent = len(inputs.messages) - len(sendable)
    texts = [b.fill(message_text(m.content)) for m in sendable]
    ids: list[str | None] = [getattr(m, "id", None) for m in sendable]
    lore = b.scan_lore(
        inputs.lore_entries, texts, ids, lambda _: "message", inputs.lore_cache, inputs.seed
    )

    preset_system = getattr(inputs.preset, "system_prompt", "") or ""
    system_prompt = b.fill(
        _prefer(getattr(char, "system_prompt", "") or "", preset_system, p.prefer_character_prompts)
    )
    preset_post = p.post_history_instructions
    post = b.fill(
        _prefer(getattr(char, "post_history_instructions", "") or "", preset_post, p.prefer_character_prompts)
    )
    head: list[_Piece] = []

    def add(kind: str, label: str, text: str, source: str | None = None) -> None:
        if text.strip():
            head.append(_Piece(kind, label, "system", text, source))

    char_id = getattr(char, "id", None)
    add("system_prompt", "System prompt", system_prompt)
    head.extend(lore.placed.get("before_char", []))
    add("character", f"{char_name}'s description" if char_name else "Description", b.macros["description"], char_id)
    if b.macros["personality"].strip():
        add("character", f"{char_name}'s personality", f"{char_name}'s personality: {b.macros['personality']}", char_id)
    if b.macros["scenario"].strip():
        add("character", "Scenario", f"Scenario: {b.macros['scenario']}", char_id)
    head.extend(lore.placed.get("after_char", []))
    if persona is not None and b.macros["persona"].strip():
        add("persona", f"Persona: {user_name}", b.macros["persona"], getattr(persona, "id", None))
    head.extend(lore.placed.get("before_examples", []))
    examples_at = len(head)
    head_after_examples = list(lore.placed.get("after_examples", []))
    examples = [
        _Piece("examples", f"Example dialogue {i + 1}", "system", f"[Example dialogue]\n{block}", char_id)
        for i, block in enumerate(_example_blocks(b.fill(getattr(char, "example_messages", "") or "")))
    ]
    tail: list[_Piece] = []
    if post.strip():
        tail.append(_Piece("post_history", "Post-history instructions", "system", post, char_id))
    continuing = inputs.continue_last and bool(sendable) and sendable[-1].role == "assistant"
    if continuing and not (inputs.prefill or inputs.mode == "text"):
        tail.append(_Piece("instruction", "Continue instruction", "system", CONTINUE_NUDGE))
    b.unused_outlets(lore, [system_prompt, post, *(x.text for x in head)])

    def head_with(n_examples: int) -> list[_Piece]:
        return [*head[:examples_at], *examples[:n_examples], *head[examples_at:], *head_after_examples]

    depth_pieces = [piece for d in sorted(lore.at_depth) for piece in lore.at_depth[d]]
    fixed = (
        b.cost_of(head_with(0)) + b.cost_of(tail)
        + sum(b.cost("system", x.text) for x in depth_pieces) + b.priming()
    )
    if fixed > b.available:
        raise b.too_long([*head_with(0), *depth_pieces, *tail], f"the parts that must be sent need {fixed} tokens")

    n_examples = 0
    if p.examples == "keep":
        n_examples = _fit_examples(b, head_with, len(examples), b.available - fixed)
    remaining = b.available - (b.cost_of(head_with(n_examples)) + (fixed - b.cost_of(head_with(0))))
    kept: list[_Piece] = []
    for message, text in zip(reversed(sendable), reversed(texts), strict=True):
        role = message.role
        cost = b.cost(role, text)
        if cost > remaining:
            if not kept:
                raise b.too_long(
                    [*head_with(n_examples), *depth_pieces, *tail,
                     _Piece("history", "Latest message", role, text, message.id)],
                    f"the latest message alone needs {cost} tokens and {max(0, remaining)} are left "
                    "after the other parts",
                )
            break
        remaining -= cost
        name = getattr(message, "name", None) or (char_name if role == "assistant" else user_name if role == "user" else "")
        kept.append(_Piece("history", f"{name or role.capitalize()}", role, text, message.id, alone=True))
    kept.reverse()
    if p.examples == "push_out":
        n_examples = _fit_examples(b, head_with, len(examples), remaining)

    # lore at depth N: N messages from the end of the kept history
    history = list(kept)
    for depth in sorted(lore.at_depth, reverse=True):
        at = max(0, len(history) - depth)
        history[at:at] = lore.at_depth[depth]
    if continuing and (inputs.prefill or inputs.mode == "text") and history:
        ordered = [*head_with(n_examples), *history[:-1], *tail, history[-1]]
    else:
        ordered = [*head_with(n_examples), *history, *tail]
    left_out = [
        _Piece(e.kind, e.label, e.role, e.text, e.source_id, reason="budget") for e in examples[n_examples:]
    ]
    report = HistoryReport(
        total=len(sendable),
        kept=len(kept),
        dropped=len(sendable) - len(kept),
        not_sent=not_sent,
        first_kept_id=kept[0].source_id if kept else None,
    )
    return b.finish(ordered, left_out, report, lore.report, continuing)


def _fit_examples(
    b: _Builder, head_with: Callable[[int], list[_Piece]], count: int, room: int
) -> int:
    """How many example blocks fit into `room` more tokens (blocks kept in order)."""
    without = b.cost_of(head_with(0))
    best = 0
    for n in range(1, count + 1):
        if b.cost_of(head_with(n)) - without <= room:
            best = n
        else:
            break
    return best


def build_story_prompt(inputs: StoryPromptInputs, counter: TokenCounter) -> BuiltPrompt:
    """The request for "continue writing" (no beat) or "write this beat"."""
    settings = inputs.settings or PresetSettings.of(inputs.preset)
    p = settings.prompt
    b = _Builder(counter, settings, inputs)
    b.macros = {"char": inputs.char_name, "user": inputs.user_name, "beat": inputs.beat or "",
                "title": inputs.title}
    story = inputs.text
    beat = inputs.beat
    texts = [story, *( [beat] if beat else [])]
    labels = ["story text", "scene beat"]
    lore = b.scan_lore(
        inputs.lore_entries, texts, [None] * len(texts), lambda i: labels[min(i, 1)],
        inputs.lore_cache, inputs.seed,
    )
    system = b.fill(getattr(inputs.preset, "system_prompt", "") or "") or DEFAULT_STORY_SYSTEM
    head = [_Piece("system_prompt", "System prompt", "system", system)]
    for slot in ("before_char", "after_char", "before_examples", "after_examples"):
        head.extend(lore.placed.get(slot, []))
    for depth in sorted(lore.at_depth):
        head.extend(lore.at_depth[depth])
    for piece in head:
        piece.alone = False
    instruction_text = b.fill(p.beat_instruction if beat else p.continue_instruction)
    if inputs.title:
        instruction_text = f"Story: {inputs.title}\n\n{instruction_text}"
    instruction = _Piece("instruction", "Instruction", "user", instruction_text)
    open_text = inputs.prefill or inputs.mode == "text"
    b.unused_outlets(lore, [system, instruction_text])

    def story_piece(paragraphs: list[str]) -> _Piece:
        body = "\n\n".join(paragraphs)
        if open_text:
            return _Piece("story", "Story so far", "assistant", body, alone=True)
        return _Piece("story", "Story so far", "user", f"The story so far:\n\n{body}")

    def arrange(paragraphs: list[str]) -> list[_Piece]:
        if not paragraphs:
            return [*head, instruction]
        piece = story_piece(paragraphs)
        return [*head, instruction, piece] if open_text else [*head, piece, instruction]

    fixed = b.cost_of(arrange([])) + b.priming()
    if fixed > b.available:
        raise b.too_long([*head, instruction], f"the instructions and lore need {fixed} tokens")
    paragraphs = [x for x in re.split(r"\n\s*\n", story) if x.strip()]
    # newest paragraphs first until the budget is spent, then check the exact total
    room = b.available - fixed
    kept: list[str] = []
    for paragraph in reversed(paragraphs):
        cost = b.counter.count(paragraph) + 2
        if cost > room:
            break
        room -= cost
        kept.append(paragraph)
    kept.reverse()
    while kept and b.cost_of(arrange(kept)) + b.priming() > b.available:
        kept.pop(0)
    if paragraphs and not kept:
        b.warnings.append("not even the last paragraph of the story fits; it was left out")
    ordered = arrange(kept)
    report = HistoryReport(
        total=len(paragraphs), kept=len(kept), dropped=len(paragraphs) - len(kept)
    )
    return b.finish(ordered, [], report, lore.report, open_text and bool(kept))
