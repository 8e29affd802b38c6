"""OpenAI-compatible chat completions: OpenAI, OpenRouter, Ollama, llama.cpp server,
LM Studio, KoboldCpp, vLLM and anything else that speaks `/v1/chat/completions`.

Streams `choices[0].delta.content`; reasoning arrives as `delta.reasoning_content`
(DeepSeek, llama.cpp, vLLM) or `delta.reasoning` (OpenRouter, Ollama). A `data: {"error":
...}` in the stream (OpenRouter) ends it with an error; `data: [DONE]` ends it cleanly.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal
from urllib.parse import urlsplit

from .._errors import StreamError, error_for_status, server_message
from .._provider import (
    CompletionRequest,
    Endpoint,
    HttpProvider,
    ReasoningDelta,
    StreamDone,
    StreamEvent,
    TextDelta,
    Usage,
)
from .._registry import register_provider
from .._sse import SseEvent

__all__ = ["OpenAIChat", "OpenAIStreamState", "sampling_fields"]

#: Hosts that reject parameters outside OpenAI's own API (top_k, min_p, ...).
_STRICT_HOSTS = {"api.openai.com"}
#: Hosts that accept `stream_options.include_usage`.
_USAGE_HOSTS = {"api.openai.com", "openrouter.ai"}
_OPENAI_STOP_LIMIT = 4


def _host(endpoint: Endpoint) -> str:
    return (urlsplit(endpoint.base_url).hostname or "").lower()


def sampling_fields(endpoint: Endpoint, request: CompletionRequest) -> dict[str, Any]:
    """The sampling settings as OpenAI-style request fields for this endpoint."""
    s = request.sampling
    strict = _host(endpoint) in _STRICT_HOSTS
    out: dict[str, Any] = {}
    if strict:
        out["max_completion_tokens"] = s.max_tokens
    else:
        out["max_tokens"] = s.max_tokens
    for name in ("temperature", "top_p", "presence_penalty", "frequency_penalty", "seed"):
        value = getattr(s, name)
        if value is not None:
            out[name] = value
    if not strict:
        for name in ("top_k", "min_p", "repetition_penalty"):
            value = getattr(s, name)
            if value is not None:
                out[name] = value
    if s.stop:
        out["stop"] = list(s.stop[:_OPENAI_STOP_LIMIT] if strict else s.stop)
    return out


class OpenAIStreamState:
    """Reads `chat.completion.chunk` (or text `completion`) events."""

    def __init__(self, service: str, field: Literal["delta", "text"] = "delta") -> None:
        self.service = service
        self.field = field
        self.finished = False
        self.finish_reason: str | None = None
        self.usage: Usage | None = None
        self.model: str | None = None

    def _done(self) -> StreamDone:
        self.finished = True
        return StreamDone(self.finish_reason, self.usage, self.model)

    def on_event(self, event: SseEvent) -> list[StreamEvent]:
        data = event.data.strip()
        if data == "[DONE]":
            return [self._done()]
        if not data:
            return []
        try:
            chunk = json.loads(data)
        except ValueError:
            raise StreamError.bad_chunk(self.service, detail=data[:200]) from None
        return self.on_json(chunk, streamed=True)

    def on_json(self, data: Any, streamed: bool = False) -> list[StreamEvent]:
        if not isinstance(data, dict):
            return []
        if data.get("error"):
            status = data["error"].get("code") if isinstance(data["error"], dict) else None
            if isinstance(status, int) and status >= 400:
                raise error_for_status(status, {}, json.dumps(data), service=self.service)
            raise StreamError.reported(self.service, server_message(json.dumps(data)))
        out: list[StreamEvent] = []
        self.model = data.get("model") or self.model
        usage = data.get("usage")
        if isinstance(usage, dict):
            self.usage = Usage(usage.get("prompt_tokens"), usage.get("completion_tokens"))
        for choice in data.get("choices") or []:
            if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                continue
            if self.field == "text":
                part: Any = choice
                text = choice.get("text")
            else:
                part = choice.get("delta") if streamed else choice.get("message")
                part = part if isinstance(part, dict) else {}
                text = part.get("content")
            reasoning = part.get("reasoning_content") or part.get("reasoning")
            if isinstance(reasoning, str) and reasoning:
                out.append(ReasoningDelta(reasoning))
            if isinstance(text, str) and text:
                out.append(TextDelta(text))
            if choice.get("finish_reason"):
                self.finish_reason = str(choice["finish_reason"])
        if not streamed:
            out.append(self._done())
        return out

    def end(self) -> list[StreamEvent]:
        """The body ended without `[DONE]`: complete if a finish reason came."""
        if self.finished:
            return []
        if self.finish_reason is not None:
            return [self._done()]
        raise StreamError.cut_off(self.service)


@register_provider
class OpenAIChat(HttpProvider):
    name: ClassVar[str] = "openai"
    label: ClassVar[str] = "OpenAI-compatible (chat completions)"
    mode: ClassVar[Literal["chat", "text"]] = "chat"
    completion_path: ClassVar[str] = "chat/completions"

    def payload(self, endpoint: Endpoint, request: CompletionRequest) -> dict[str, Any]:
        messages = []
        for m in request.messages:
            item: dict[str, Any] = {"role": m.role, "content": m.content}
            if m.name:
                item["name"] = m.name
            messages.append(item)
        payload: dict[str, Any] = {
            "model": self.model(endpoint, request),
            "messages": messages,
            "stream": True,
            **sampling_fields(endpoint, request),
        }
        if endpoint.options.get("include_usage", _host(endpoint) in _USAGE_HOSTS):
            payload["stream_options"] = {"include_usage": True}
        return payload

    def new_state(self, endpoint: Endpoint) -> OpenAIStreamState:
        return OpenAIStreamState(self.service(endpoint))
