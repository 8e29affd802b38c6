"""Providers against the fake servers: streaming, split UTF-8, errors, stop and hangs.

Runs in CPython (httpx) and, case by case, inside Pyodide through the browser's real
`fetch` (RUN_IN_BROWSER): the same assertions hold for both transports, and the fake
server reports whether the client closed the connection.
"""

from __future__ import annotations

import sys

import pytest

from app.generation import (
    AuthError,
    CompletionRequest,
    CorsError,
    Endpoint,
    NetworkError,
    RateLimitError,
    SamplingSettings,
    Secret,
    ServerError,
    StreamError,
    start_generation,
)
from app.generation import ChatMessage as M
from tests._wait import eventually
from tests.generation._fake import GOOD_KEY, FakeLLM, browser_host_env, closed_port, fake_llm

RUN_IN_BROWSER = True
__all__ = ["browser_host_env", "fake_llm"]

REPLY = "Hello there, traveller. The road is long."
UTF8_REPLY = "Grüße, 世界! 🐉 café — naïve ✓"
PROVIDERS = ["openai", "openai-text", "anthropic"]
IN_BROWSER = sys.platform == "emscripten"


def endpoint(fake: FakeLLM, scenario: str, provider: str = "openai", key: str = GOOD_KEY) -> tuple[Endpoint, str]:
    url, run = fake.base_url(scenario)
    return Endpoint(provider, url, "fake-large", Secret(key)), run


def request(**sampling: object) -> CompletionRequest:
    return CompletionRequest(
        messages=[M("system", "You are Aria."), M("user", "Hi!")],
        sampling=SamplingSettings(**sampling),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_a_reply_streams_in_pieces_and_completes(fake_llm: FakeLLM, provider: str) -> None:
    ep, run = endpoint(fake_llm, "ok", provider)
    gen = start_generation(ep, request(max_tokens=64, stop=["\nUser:"]))
    pieces = [d.text async for d in gen]
    result = await gen.result()
    assert result.status == "done", result.error
    assert "".join(pieces) == REPLY == result.text
    assert len(pieces) > 3
    assert result.finish_reason in ("stop", "end_turn")
    log = await fake_llm.ended(run)
    body = log["requests"][0]["body"]
    assert body["stream"] is True and body["model"] == "fake-large"
    assert (body.get("max_tokens") or body.get("max_completion_tokens")) == 64


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_multibyte_characters_split_across_chunks_come_out_whole(
    fake_llm: FakeLLM, provider: str
) -> None:
    ep, _ = endpoint(fake_llm, "utf8", provider)
    result = await start_generation(ep, request()).result()
    assert result.status == "done", result.error
    assert result.text == UTF8_REPLY
    assert "\ufffd" not in result.text


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
async def test_reasoning_arrives_as_its_own_deltas(fake_llm: FakeLLM, provider: str) -> None:
    ep, _ = endpoint(fake_llm, "reasoning", provider)
    gen = start_generation(ep, request())
    kinds = [d.kind async for d in gen]
    result = await gen.result()
    assert result.reasoning == "The user greets me; I greet back."
    assert result.text == REPLY
    assert kinds.index("text") > kinds.index("reasoning")


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_a_wrong_key_is_a_401_in_plain_words_and_the_key_never_shows(
    fake_llm: FakeLLM, provider: str
) -> None:
    wrong = "sk-wrong-key-that-must-not-leak-42"
    ep, _ = endpoint(fake_llm, "ok", provider, key=wrong)
    result = await start_generation(ep, request()).result()
    assert result.status == "error"
    error = result.error
    assert isinstance(error, AuthError) and error.status == 401
    assert "API key" in str(error)
    for text in (str(error), repr(error), error.detail, error.hint, repr(result), repr(ep)):
        assert wrong not in text
    assert "sk-wrong" not in str(result.request_body)


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_rate_limit_says_how_long_to_wait(fake_llm: FakeLLM, provider: str) -> None:
    ep, _ = endpoint(fake_llm, "429", provider)
    result = await start_generation(ep, request()).result()
    error = result.error
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 7
    assert "7 seconds" in str(error)


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_server_errors_are_named_as_such(fake_llm: FakeLLM, provider: str) -> None:
    ep, _ = endpoint(fake_llm, "500", provider)
    result = await start_generation(ep, request()).result()
    assert isinstance(result.error, ServerError) and result.error.status == 500
    assert "server error" in str(result.error)


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_stop_closes_the_connection_and_keeps_the_partial_reply(
    fake_llm: FakeLLM, provider: str
) -> None:
    ep, run = endpoint(fake_llm, "long", provider)
    gen = start_generation(ep, request())
    async for _ in gen:
        if "tick 3" in gen.text:
            gen.stop()
    result = await gen.result()
    assert result.status == "stopped" and result.error is None
    assert result.text.startswith("Hello ") and "tick 3" in result.text
    log = await fake_llm.ended(run)
    assert log["closed_early"] is True and log["completed"] is False
    assert log["chunks_sent"] < 500  # the server stopped generating


@pytest.mark.parametrize("scenario", ["hang", "hang-headers"])
async def test_stop_ends_a_hanging_request_and_the_server_sees_it(
    fake_llm: FakeLLM, scenario: str
) -> None:
    ep, run = endpoint(fake_llm, scenario)
    gen = start_generation(ep, request())
    async def request_seen() -> bool:
        return bool((await fake_llm.log(run))["requests"])

    await eventually(request_seen, "the request to reach the server")
    if scenario == "hang":
        await eventually(lambda: gen.text, "the first chunk")
    gen.stop()
    result = await gen.result()
    assert result.status == "stopped"
    assert result.text == ("Hello " if scenario == "hang" else "")
    log = await fake_llm.ended(run)
    assert log["closed_early"] is True


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_an_error_inside_the_stream_keeps_the_text_so_far(fake_llm: FakeLLM, provider: str) -> None:
    ep, _ = endpoint(fake_llm, "midstream-error", provider)
    result = await start_generation(ep, request()).result()
    assert result.status == "error"
    assert result.text == REPLY
    if provider == "anthropic":
        assert isinstance(result.error, RateLimitError)  # overloaded_error
    else:
        assert isinstance(result.error, StreamError)
        assert "crashed" in str(result.error)


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_a_reply_cut_off_is_an_error_with_the_partial_text(fake_llm: FakeLLM, provider: str) -> None:
    ep, _ = endpoint(fake_llm, "truncated", provider)
    result = await start_generation(ep, request()).result()
    assert result.status == "error" and isinstance(result.error, StreamError)
    assert result.text == REPLY
    assert "ended before it was complete" in str(result.error)


@pytest.mark.parametrize("scenario", ["no-final-blank", "json"])
@pytest.mark.parametrize("provider", ["openai", "openai-text"])
async def test_lenient_servers_still_work(fake_llm: FakeLLM, scenario: str, provider: str) -> None:
    ep, _ = endpoint(fake_llm, scenario, provider)
    result = await start_generation(ep, request()).result()
    assert result.status == "done", result.error
    assert result.text == REPLY


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_model_list_and_test_connection(fake_llm: FakeLLM, provider: str) -> None:
    from app.generation import default_transport, get_provider

    ep, _ = endpoint(fake_llm, "ok", provider)
    impl = get_provider(provider)
    models = await impl.list_models(ep, transport=default_transport())
    assert [m.id for m in models] == ["fake-large", "fake-small"]
    check = await impl.test_connection(ep, transport=default_transport())
    assert check.ok and "2 models" in check.message
    bad, _ = endpoint(fake_llm, "ok", provider, key="sk-nope-nope-nope-nope")
    failed = await impl.test_connection(bad, transport=default_transport())
    assert not failed.ok and isinstance(failed.error, AuthError)
    assert "sk-nope" not in failed.message


async def test_a_server_that_is_not_running_is_network_down() -> None:
    port = closed_port()
    ep = Endpoint("openai", f"http://127.0.0.1:{port}/v1", "m", Secret(GOOD_KEY))
    result = await start_generation(ep, request()).result()
    assert isinstance(result.error, NetworkError)
    assert f"127.0.0.1:{port}" in str(result.error)


async def test_cors_blocked_is_told_apart_from_network_down_with_the_fix(fake_llm: FakeLLM) -> None:
    ep, _ = endpoint(fake_llm, "nocors")
    ep = Endpoint(ep.provider, ep.base_url, ep.model, ep.api_key, server="Ollama")
    result = await start_generation(ep, request()).result()
    if not IN_BROWSER:  # no CORS outside a browser: the same server just works
        assert result.status == "done"
        return
    error = result.error
    assert isinstance(error, CorsError), error
    assert "OLLAMA_ORIGINS" in error.hint
    import js

    assert str(js.location.origin) in error.hint
