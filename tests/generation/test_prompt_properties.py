"""Properties of the prompt builder, for any chat, lore and preset:

* the budget is never exceeded (what is sent fits the context minus the reply);
* the history kept is the newest messages, as many as fit;
* constant lore is never silently dropped: it is in the prompt, or its trace says why
  (a failed probability roll the entry asked for), or the build fails with
  `PromptTooLongError` because the parts that must be sent do not fit.
"""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.generation import ChatPromptInputs, PromptTooLongError, build_chat_prompt, token_counter
from app.lore import LayerCache
from tests.generation._prompt_data import character, lore, messages, persona, preset

COUNTER = asyncio.run(token_counter("gpt-4"))
WORDS = ["sword", "cave", "dragon", "the", "knight", "ran", "🐉", "über", "moon", "\n", "{{char}}"]
text = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)
entry = st.fixed_dictionaries(
    {
        "key": st.sampled_from(["sword", "cave", "dragon", "moon"]),
        "constant": st.booleans(),
        "size": st.integers(0, 80),
        "position": st.sampled_from(["before_char", "after_char", "at_depth", "em_top"]),
        "depth": st.integers(0, 6),
        "probability": st.sampled_from([100, 100, 50]),
    }
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    history=st.lists(text, max_size=40),
    entries=st.lists(entry, max_size=12),
    context=st.integers(300, 4000),
    reply=st.integers(1, 600),
    lore_budget=st.one_of(st.none(), st.integers(0, 300)),
    examples=st.sampled_from(["keep", "push_out"]),
    merge=st.booleans(),
    mode=st.sampled_from(["chat", "text"]),
)
def test_budget_newest_messages_and_constant_lore(
    history: list[str], entries: list[dict[str, object]], context: int, reply: int,
    lore_budget: int | None, examples: str, merge: bool, mode: str,
) -> None:
    chat = messages(history)
    book = [
        lore(f"E{i}", str(e["key"]), constant=bool(e["constant"]), content=f"lore{i} " + "x " * int(e["size"]),  # type: ignore[call-overload]
             position=str(e["position"]), depth=e["depth"], probability=e["probability"])
        for i, e in enumerate(entries)
    ]
    inputs = ChatPromptInputs(
        messages=chat, character=character(), persona=persona(), lore_entries=book,
        lore_cache=LayerCache(), mode=mode,  # type: ignore[arg-type]
        preset=preset(context_size=max(context, 256), max_tokens=reply, lore_token_budget=lore_budget,
                      examples=examples, merge_system=merge),
    )
    constants = {e.id for e in book if e.constant}
    try:
        built = build_chat_prompt(inputs, COUNTER)
    except PromptTooLongError as error:
        # only when what must be sent does not fit; the error lists those parts, with the
        # constant lore among them (unless the latest message is what does not fit)
        assert error.available == max(context, 256) - reply
        per_message = 8 if mode == "chat" else 24  # template tokens counted as text
        bound = sum(p.tokens + per_message for p in error.parts) + per_message
        assert bound > error.available
        listed = {p.source_id for p in error.parts}
        certain = {e.id for e in book if e.constant and e.probability == 100}
        if not any(p.kind == "history" for p in error.parts):
            assert certain <= listed
        return
    # 1. the budget is never exceeded, and the count is what is sent
    assert built.budget.used <= built.budget.available
    if mode == "chat":
        assert built.budget.used == sum(COUNTER.count(m.content) + 3 for m in built.messages) + 3
    # 2. the newest messages are kept, contiguously, as many as fit
    kept_ids = [p.source_id for p in built.parts if p.kind == "history" and p.included]
    assert kept_ids == [m.id for m in chat[len(chat) - len(kept_ids):]]
    assert built.history.kept == len(kept_ids)
    if 0 < len(kept_ids) < len(chat) and examples == "push_out" and not any(
            p.kind == "examples" and p.included for p in built.parts):
        older = chat[len(chat) - len(kept_ids) - 1]
        cost = (COUNTER.count(str(older.content)) + 3 if mode == "chat"
                else COUNTER.count(f"<|im_start|>{older.role}\n{older.content}<|im_end|>\n"))
        assert built.budget.used + cost > built.budget.available
    # 3. constant lore is in the prompt
    report = {e.entry_id: e for e in built.lore.entries}
    sent = "\n".join(m.content for m in built.messages)
    for entry_id in constants:
        traced = report[entry_id]
        assert traced.constant
        if not traced.included:
            assert traced.reason == "probability" and "50%" in traced.explanation, traced
            continue
        item = next(e for e in book if e.id == entry_id)
        assert item.content.strip() in sent
