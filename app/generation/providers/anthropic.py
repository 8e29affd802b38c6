"""Anthropic's Messages API (`/v1/messages`), streaming.

From a page, Anthropic answers only with `anthropic-dangerous-direct-browser-access:
true` (otherwise its reply has no CORS headers). System messages at the start become the
`system` field; later ones are sent as user text; neighbouring messages of one role are
joined (the API wants user and assistant to alternate, starting with user). A final
assistant message is continued ("prefill"). Events: `message_start`, `content_block_*`
(`text_delta`, `thinking_delta`), `message_delta` (stop reason, usage), `message_stop`,
`ping`, and `error` (e.g. `overloaded_error`).
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal

from .._errors import StreamError, error_for_status
from .._provider import (
    ChatMessage,
    CompletionRequest,
    Endpoint,
    HttpProvider,
    ReasoningDelta,
    StreamDone,
    StreamEvent,
    TextDelta,
    Usage,
    with_default_path,
)
from .._registry import register_provider
from .._secret import Secret
from .._sse import SseEvent

__all__ = ["Anthropic", "AnthropicStreamState", "to_anthropic_messages"]

API_VERSION = "2023-06-01"
#: Sent as the first user turn when a conversation starts with the character speaking.
START_TEXT = "[Start a new chat]"
_ERROR_STATUS = {
    "overloaded_error": 529,
    "rate_limit_error": 429,
    "api_error": 500,
    "authentication_error": 401,
    "permission_error": 403,
    "invalid_request_error": 400,
    "not_found_error": 404,
    "request_too_large": 413,
}


def to_anthropic_messages(
    messages: list[ChatMessage] | tuple[ChatMessage, ...] | Any,
) -> tuple[str, list[dict[str, str]]]:
    """(system text, alternating user/assistant messages starting with user)."""
    items = list(messages)
    system: list[str] = []
    while items and items[0].role == "system":
        system.append(items.pop(0).content)
    turns: list[dict[str, str]] = []
    for m in items:
        role = "assistant" if m.role == "assistant" else "user"
        content = m.content
        if m.role == "system":
            content = f"[System note: {content}]" if content else content
        if not content:
            continue
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"] += "\n\n" + content
        else:
            turns.append({"role": role, "content": content})
    if not turns or turns[0]["role"] != "user":
        turns.insert(0, {"role": "user", "content": START_TEXT})
    if turns[-1]["role"] == "assistant":
        # a prefill may not end in whitespace
        turns[-1]["content"] = turns[-1]["content"].rstrip()
    return "\n\n".join(s for s in system if s), turns


class AnthropicStreamState:
    def __init__(self, service: str) -> None:
        self.service = service
        self.finished = False
        self.stop_reason: str | None = None
        self.model: str | None = None
        self.input_tokens: int | None = None
        self.output_tokens: int | None = None
        self._kinds: dict[int, str] = {}

    def _done(self) -> StreamDone:
        self.finished = True
        return StreamDone(self.stop_reason, Usage(self.input_tokens, self.output_tokens), self.model)

    def on_event(self, event: SseEvent) -> list[StreamEvent]:
        if not event.data.strip():
            return []
        try:
            data = json.loads(event.data)
        except ValueError:
            raise StreamError.bad_chunk(self.service) from None
        kind = data.get("type") or event.type
        if kind == "error":
            error = data.get("error") or {}
            status = _ERROR_STATUS.get(str(error.get("type")), 0)
            if status in (429, 529, 401, 403) or status >= 500:
                raise error_for_status(status, {}, json.dumps(data), service=self.service)
            raise StreamError.reported(self.service, str(error.get("message", "")))
        if kind == "message_start":
            message = data.get("message") or {}
            self.model = message.get("model")
            usage = message.get("usage") or {}
            self.input_tokens = usage.get("input_tokens")
        elif kind == "content_block_start":
            block = data.get("content_block") or {}
            self._kinds[int(data.get("index", 0))] = str(block.get("type"))
            text = block.get("text") or block.get("thinking")
            if text:
                return [ReasoningDelta(text) if block.get("type") == "thinking" else TextDelta(text)]
        elif kind == "content_block_delta":
            delta = data.get("delta") or {}
            if delta.get("type") == "text_delta" and delta.get("text"):
                return [TextDelta(delta["text"])]
            if delta.get("type") == "thinking_delta" and delta.get("thinking"):
                return [ReasoningDelta(delta["thinking"])]
        elif kind == "message_delta":
            self.stop_reason = (data.get("delta") or {}).get("stop_reason") or self.stop_reason
            usage = data.get("usage") or {}
            self.output_tokens = usage.get("output_tokens", self.output_tokens)
        elif kind == "message_stop":
            return [self._done()]
        return []

    def on_json(self, data: Any) -> list[StreamEvent]:
        out: list[StreamEvent] = []
        for block in data.get("content") or []:
            if block.get("type") == "text" and block.get("text"):
                out.append(TextDelta(block["text"]))
            elif block.get("type") == "thinking" and block.get("thinking"):
                out.append(ReasoningDelta(block["thinking"]))
        self.stop_reason = data.get("stop_reason")
        self.model = data.get("model")
        usage = data.get("usage") or {}
        self.input_tokens, self.output_tokens = usage.get("input_tokens"), usage.get("output_tokens")
        out.append(self._done())
        return out

    def end(self) -> list[StreamEvent]:
        if self.stop_reason is not None:
            return [self._done()]
        raise StreamError.cut_off(self.service)


@register_provider
class Anthropic(HttpProvider):
    name: ClassVar[str] = "anthropic"
    label: ClassVar[str] = "Anthropic"
    mode: ClassVar[Literal["chat", "text"]] = "chat"
    prefill: ClassVar[bool] = True
    completion_path: ClassVar[str] = "messages"
    models_path: ClassVar[str] = "models?limit=1000"

    def base_url(self, endpoint: Endpoint) -> str:
        return with_default_path(endpoint.base_url or "https://api.anthropic.com")

    def headers(self, endpoint: Endpoint) -> dict[str, str | Secret]:
        headers: dict[str, str | Secret] = {
            "anthropic-version": API_VERSION,
            "anthropic-dangerous-direct-browser-access": "true",
            **endpoint.headers,
        }
        if endpoint.api_key:
            headers["x-api-key"] = endpoint.api_key
        return headers

    def service(self, endpoint: Endpoint) -> str:
        return "Anthropic"

    def payload(self, endpoint: Endpoint, request: CompletionRequest) -> dict[str, Any]:
        system, messages = to_anthropic_messages(request.messages)
        s = request.sampling
        payload: dict[str, Any] = {
            "model": self.model(endpoint, request),
            "max_tokens": s.max_tokens,
            "messages": messages,
            "stream": True,
        }
        if system:
            payload["system"] = system
        if s.temperature is not None:
            payload["temperature"] = min(1.0, s.temperature)
        if s.top_p is not None:
            payload["top_p"] = s.top_p
        if s.top_k is not None:
            payload["top_k"] = s.top_k
        if s.stop:
            payload["stop_sequences"] = [x for x in s.stop if x.strip()]
        return payload

    def new_state(self, endpoint: Endpoint) -> AnthropicStreamState:
        return AnthropicStreamState(self.service(endpoint))
