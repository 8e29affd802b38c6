"""The generation object: deltas, several readers, and <think> blocks split off."""

from __future__ import annotations

import pytest

from app.generation import CompletionRequest, Endpoint, Secret, start_generation
from app.generation._generation import Delta, ThinkSplitter
from tests.generation._fake import GOOD_KEY, FakeLLM, browser_host_env, fake_llm

RUN_IN_BROWSER = True
__all__ = ["browser_host_env", "fake_llm"]


def split_all(text: str, cuts: list[int]) -> tuple[str, str]:
    splitter = ThinkSplitter()
    deltas: list[Delta] = []
    start = 0
    for cut in [*cuts, len(text)]:
        deltas += splitter.feed(text[start:cut])
        start = cut
    deltas += splitter.flush()
    return (
        "".join(d.text for d in deltas if d.kind == "reasoning"),
        "".join(d.text for d in deltas if d.kind == "text"),
    )


@pytest.mark.parametrize(
    ("text", "reasoning", "reply"),
    [
        ("<think>Hmm, a greeting.</think>\nHello!", "Hmm, a greeting.", "Hello!"),
        ("  <think>x</think>Hi", "x", "Hi"),
        ("Hello <think>not at the start</think>", "", "Hello <think>not at the start</think>"),
        ("<thin", "", "<thin"),
        ("<think>cut off mid-thought", "cut off mid-thought", ""),
        ("No thinking at all.", "", "No thinking at all."),
    ],
)
def test_a_leading_think_block_becomes_reasoning_however_it_is_split(
    text: str, reasoning: str, reply: str
) -> None:
    assert split_all(text, []) == (reasoning, reply)
    for cut in range(1, len(text)):
        assert split_all(text, [cut]) == (reasoning, reply), cut
    assert split_all(text, list(range(1, len(text)))) == (reasoning, reply)


async def test_several_readers_each_see_every_delta(fake_llm: FakeLLM) -> None:
    url, _ = fake_llm.base_url("ok")
    gen = start_generation(Endpoint("openai", url, "m", Secret(GOOD_KEY)), CompletionRequest())
    first = [d.text async for d in gen]
    second = [d.text async for d in gen]  # after the end: replays from the start
    assert first == second and "".join(first) == (await gen.result()).text
    gen.stop()  # stopping a finished generation changes nothing
    assert (await gen.result()).status == "done"


@pytest.mark.parametrize("provider", ["openai", "openai-text"])
async def test_think_tags_in_a_streamed_reply_arrive_as_reasoning(fake_llm: FakeLLM, provider: str) -> None:
    url, _ = fake_llm.base_url("think")
    result = await start_generation(Endpoint(provider, url, "m", Secret(GOOD_KEY)), CompletionRequest()).result()
    assert result.status == "done"
    assert result.reasoning == "The user greets me; I greet back."
    assert result.text == "Hello there, traveller. The road is long."
