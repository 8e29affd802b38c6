"""What each provider sends, and the registry (a provider is one file)."""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal

import pytest

from app.generation import (
    ChatMessage,
    CompletionRequest,
    Endpoint,
    HttpProvider,
    PresetSettings,
    SamplingSettings,
    Secret,
    get_provider,
    provider_names,
    register_provider,
    render_prompt,
)
from app.generation.providers.anthropic import START_TEXT, to_anthropic_messages

RUN_IN_BROWSER = True
M = ChatMessage
SAMPLING = SamplingSettings(
    temperature=1.3, top_p=0.9, top_k=40, min_p=0.05, max_tokens=300,
    stop=["\nUser:", "a", "b", "c", "d"], presence_penalty=0.2, seed=7,
)


def body(provider: str, base: str, request: CompletionRequest, **options: Any) -> dict[str, Any]:
    endpoint = Endpoint(provider, base, "m1", Secret("sk-0123456789abcdef"), options=options)
    built = get_provider(provider).build_request(endpoint, request)
    assert built.body is not None
    data: dict[str, Any] = json.loads(built.body)
    assert data == built.json_body
    return data


def test_the_three_providers_are_registered() -> None:
    assert {"openai", "openai-text", "anthropic"} <= set(provider_names())
    with pytest.raises(KeyError, match="no provider named 'nope'"):
        get_provider("nope")


def test_a_provider_is_one_class_registered_by_name() -> None:
    @register_provider
    class Echo(HttpProvider):
        name: ClassVar[str] = "test-echo"
        label: ClassVar[str] = "Echo"
        mode: ClassVar[Literal["chat", "text"]] = "chat"
        completion_path: ClassVar[str] = "echo"

        def payload(self, endpoint: Endpoint, request: CompletionRequest) -> dict[str, Any]:
            return {"say": [m.content for m in request.messages]}

    provider = get_provider("test-echo")
    built = provider.build_request(Endpoint("test-echo", "http://x:1"), CompletionRequest([M("user", "hi")]))
    assert built.url == "http://x:1/v1/echo" and built.json_body == {"say": ["hi"]}


def test_openai_compatible_local_servers_get_every_sampling_setting() -> None:
    data = body("openai", "http://localhost:11434", CompletionRequest([M("user", "hi")], SAMPLING))
    assert data["model"] == "m1" and data["stream"] is True
    assert data["messages"] == [{"role": "user", "content": "hi"}]
    assert data["max_tokens"] == 300 and data["top_k"] == 40 and data["min_p"] == 0.05
    assert data["temperature"] == 1.3 and data["top_p"] == 0.9 and data["seed"] == 7
    assert data["stop"] == ["\nUser:", "a", "b", "c", "d"]
    assert "stream_options" not in data


def test_openai_itself_gets_only_what_it_accepts() -> None:
    data = body("openai", "https://api.openai.com/v1", CompletionRequest([M("user", "hi")], SAMPLING))
    assert "max_tokens" not in data and data["max_completion_tokens"] == 300
    assert "top_k" not in data and "min_p" not in data
    assert len(data["stop"]) == 4
    assert data["stream_options"] == {"include_usage": True}


def test_base_urls_without_a_path_get_v1() -> None:
    for provider, path in (("openai", "/v1/chat/completions"), ("openai-text", "/v1/completions"),
                           ("anthropic", "/v1/messages")):
        built = get_provider(provider).build_request(Endpoint(provider, "http://h:5/"), CompletionRequest())
        assert built.url == "http://h:5" + path
    built = get_provider("openai").build_request(
        Endpoint("openai", "https://openrouter.ai/api/v1/"), CompletionRequest())
    assert built.url == "https://openrouter.ai/api/v1/chat/completions"


def test_text_completion_renders_an_instruct_template_and_adds_its_stops() -> None:
    request = CompletionRequest([M("system", "Be Aria."), M("user", "Hi")], SAMPLING)
    data = body("openai-text", "http://localhost:5001/v1", request, instruct_template="chatml")
    assert data["prompt"] == (
        "<|im_start|>system\nBe Aria.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    )
    assert "<|im_end|>" in data["stop"] and "\nUser:" in data["stop"]
    given = body("openai-text", "http://x:1/v1", CompletionRequest(prompt="Once upon"))
    assert given["prompt"] == "Once upon"


def test_continuing_leaves_the_last_reply_open() -> None:
    text, stops = render_prompt([M("user", "Hi"), M("assistant", "Well")], "llama3", continue_last=True)
    assert text.endswith("<|start_header_id|>assistant<|end_header_id|>\n\nWell")
    assert text.startswith("<|begin_of_text|>") and "<|eot_id|>" in stops
    with pytest.raises(KeyError):
        render_prompt([], "nope")


def test_anthropic_headers_system_and_alternation() -> None:
    endpoint = Endpoint("anthropic", "https://api.anthropic.com", "claude-x", Secret("sk-ant-0123456789abcdef"))
    request = CompletionRequest(
        [M("system", "Be Aria."), M("system", "Lore."), M("assistant", "Greetings!"),
         M("user", "Hi"), M("user", "Again"), M("system", "Note"), M("assistant", "Well ")],
        SAMPLING,
    )
    built = get_provider("anthropic").build_request(endpoint, request)
    headers = built.revealed_headers()
    assert headers["anthropic-dangerous-direct-browser-access"] == "true"
    assert headers["anthropic-version"] == "2023-06-01"
    assert headers["x-api-key"] == "sk-ant-0123456789abcdef" and "Authorization" not in headers
    data = built.json_body
    assert data["system"] == "Be Aria.\n\nLore."
    assert data["messages"] == [
        {"role": "user", "content": START_TEXT},
        {"role": "assistant", "content": "Greetings!"},
        {"role": "user", "content": "Hi\n\nAgain\n\n[System note: Note]"},
        {"role": "assistant", "content": "Well"},  # a prefill, without trailing space
    ]
    assert data["temperature"] == 1.0  # Anthropic's range ends at 1
    assert data["top_k"] == 40 and data["stop_sequences"] == SAMPLING.stop
    assert "min_p" not in data and data["max_tokens"] == 300


def test_anthropic_with_no_messages_still_sends_a_user_turn() -> None:
    assert to_anthropic_messages([]) == ("", [{"role": "user", "content": START_TEXT}])


def test_preset_settings_live_in_the_preset_parameters() -> None:
    from app.domain import PromptPreset

    preset = PromptPreset(name="P", parameters={"other": 1})
    assert PresetSettings.of(preset) == PresetSettings()
    settings = PresetSettings(sampling=SAMPLING)
    stored = PromptPreset(name="P", parameters=settings.to_parameters(preset.parameters))
    assert stored.parameters["other"] == 1
    assert PresetSettings.of(stored).sampling == SAMPLING
    assert PresetSettings.of(None).prompt.context_size == 8192
    assert SamplingSettings(stop=["x", "", "x"]).stop == ["x"]


def test_an_endpoint_from_the_stored_provider_config_and_key() -> None:
    from app.domain import ApiKey, ProviderConfig

    key = ApiKey(name="Work", provider="openai", value="sk-from-the-library-1234")
    config = ProviderConfig(name="Local", type="openai", base_url="http://localhost:11434",
                            api_key_id=key.id, default_model="llama3",
                            options={"server": "Ollama", "headers": {"X-Title": "Lorekeeper"}})
    endpoint = Endpoint.from_config(config, key)
    assert endpoint.provider == "openai" and endpoint.model == "llama3" and endpoint.server == "Ollama"
    assert endpoint.api_key == Secret("sk-from-the-library-1234") and "sk-from" not in repr(endpoint)
    built = get_provider("openai").build_request(endpoint, CompletionRequest())
    assert built.revealed_headers()["X-Title"] == "Lorekeeper"
    assert Endpoint.from_config(config, None, model="other").api_key is None
    assert get_provider("anthropic").prefill and get_provider("openai-text").prefill
    assert not get_provider("openai").prefill
