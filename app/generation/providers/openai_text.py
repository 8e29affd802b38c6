"""OpenAI-compatible text completions (`/v1/completions`) for local models: the prompt
is one text, rendered from the messages by an instruct template (ChatML, Llama 3, ...),
so the model continues it exactly as written."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from .._instruct import render_prompt
from .._provider import CompletionRequest, Endpoint, HttpProvider
from .._registry import register_provider
from .openai_chat import OpenAIStreamState, sampling_fields

__all__ = ["OpenAIText"]


@register_provider
class OpenAIText(HttpProvider):
    name: ClassVar[str] = "openai-text"
    label: ClassVar[str] = "OpenAI-compatible (text completion)"
    mode: ClassVar[Literal["chat", "text"]] = "text"
    prefill: ClassVar[bool] = True
    completion_path: ClassVar[str] = "completions"

    def payload(self, endpoint: Endpoint, request: CompletionRequest) -> dict[str, Any]:
        template = str(endpoint.options.get("instruct_template") or "chatml")
        prompt, stops = (
            (request.prompt, [])
            if request.prompt is not None
            else render_prompt(request.messages, template, continue_last=request.continue_last)
        )
        fields = sampling_fields(endpoint, request)
        stop = list(dict.fromkeys([*fields.pop("stop", []), *stops]))
        payload: dict[str, Any] = {
            "model": self.model(endpoint, request),
            "prompt": prompt,
            "stream": True,
            **fields,
        }
        if stop:
            payload["stop"] = stop
        return payload

    def new_state(self, endpoint: Endpoint) -> OpenAIStreamState:
        return OpenAIStreamState(self.service(endpoint), field="text")
