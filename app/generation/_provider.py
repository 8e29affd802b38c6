"""The provider interface: what every LLM provider module implements, and the shared
HTTP plumbing (`HttpProvider`) that makes one provider one small file."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Protocol, runtime_checkable
from urllib.parse import urlsplit, urlunsplit

from ._errors import (
    CorsError,
    GenerationError,
    StreamError,
    cors_hint,
    error_for_status,
    guess_server,
)
from ._http import AbortController, AbortSignal, HttpRequest, Transport
from ._secret import Secret, scrub
from ._settings import SamplingSettings
from ._sse import EventStreamDecoder, SseEvent

__all__ = [
    "ChatMessage",
    "CompletionRequest",
    "ConnectionCheck",
    "Endpoint",
    "HttpProvider",
    "ModelInfo",
    "Provider",
    "ReasoningDelta",
    "StreamDone",
    "StreamEvent",
    "StreamState",
    "TextDelta",
    "Usage",
]

ChatRole = Literal["system", "user", "assistant"]


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message of a request."""

    role: ChatRole
    content: str
    name: str | None = None


@dataclass(frozen=True)
class Endpoint:
    """Where and as whom to call a provider. `api_key` is a `Secret` (masked in reprs)."""

    provider: str
    base_url: str
    model: str = ""
    api_key: Secret | None = None
    #: A `KNOWN_SERVERS` name ("Ollama", "LM Studio", ...) for exact error hints.
    server: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Any, api_key: Any | None = None, model: str | None = None) -> Endpoint:
        """From an `app.domain.ProviderConfig` and its `ApiKey` (if any)."""
        options = dict(getattr(config, "options", {}) or {})
        key = getattr(api_key, "value", None) if api_key is not None else None
        return cls(
            provider=config.type,
            base_url=config.base_url or "",
            model=model or config.default_model or "",
            api_key=Secret(key) if key else None,
            server=options.get("server"),
            headers={str(k): str(v) for k, v in (options.get("headers") or {}).items()},
            options=options,
        )

    def url(self, path: str) -> str:
        """`base_url` joined with `path` (no double slashes)."""
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")


@dataclass(frozen=True)
class CompletionRequest:
    """What to generate: `messages` (chat mode) or `prompt` (text mode), with sampling."""

    messages: Sequence[ChatMessage] = ()
    sampling: SamplingSettings = field(default_factory=SamplingSettings)
    prompt: str | None = None
    #: Overrides `Endpoint.model`.
    model: str | None = None
    #: The last message is an assistant reply to be continued, not answered.
    continue_last: bool = False


@dataclass(frozen=True, slots=True)
class ModelInfo:
    id: str
    name: str = ""
    context_length: int | None = None

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str
    kind: ClassVar[str] = "text"


@dataclass(frozen=True, slots=True)
class ReasoningDelta:
    text: str
    kind: ClassVar[str] = "reasoning"


@dataclass(frozen=True, slots=True)
class StreamDone:
    """The provider said the reply is complete."""

    finish_reason: str | None = None
    usage: Usage | None = None
    model: str | None = None


StreamEvent = TextDelta | ReasoningDelta | StreamDone


@dataclass(frozen=True)
class ConnectionCheck:
    """The result of "Test connection", in words for a `status` region."""

    ok: bool
    message: str
    models: list[ModelInfo] = field(default_factory=list)
    error: GenerationError | None = None


@runtime_checkable
class Provider(Protocol):
    """One LLM API. Implementations are registered by name (`register_provider`)."""

    name: ClassVar[str]
    label: ClassVar[str]
    mode: ClassVar[Literal["chat", "text"]]
    #: Continues a final assistant message by itself (so the prompt needs no
    #: "continue" instruction): pass as `ChatPromptInputs(prefill=...)`.
    prefill: ClassVar[bool]

    async def list_models(
        self, endpoint: Endpoint, *, transport: Transport, signal: AbortSignal | None = None
    ) -> list[ModelInfo]: ...

    async def test_connection(self, endpoint: Endpoint, *, transport: Transport) -> ConnectionCheck: ...

    def build_request(self, endpoint: Endpoint, request: CompletionRequest) -> HttpRequest: ...

    def stream(
        self,
        endpoint: Endpoint,
        request: CompletionRequest,
        *,
        transport: Transport,
        signal: AbortSignal,
    ) -> AsyncIterator[StreamEvent]: ...


class StreamState(Protocol):
    """Turns one reply's SSE events into stream events."""

    def on_event(self, event: SseEvent) -> list[StreamEvent]: ...

    def on_json(self, data: Any) -> list[StreamEvent]:
        """A whole (non-streamed) JSON reply, from a server that ignored `stream`."""
        ...

    def end(self) -> list[StreamEvent]:
        """The body ended before the stream's own end marker: the closing events, or
        `StreamError` when the reply is incomplete."""
        ...

    @property
    def finished(self) -> bool:
        """The stream's end marker came: stop reading."""
        ...


def with_default_path(base_url: str, path: str = "/v1") -> str:
    """`http://host:port` → `http://host:port/v1`; a URL with a path is kept as given."""
    parts = urlsplit(base_url.strip())
    if parts.scheme and parts.path in ("", "/"):
        return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return base_url.strip().rstrip("/")


class HttpProvider:
    """Shared plumbing: subclasses say which URL, which headers, which payload, and how to
    read one SSE event; this class sends, maps errors and streams."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    mode: ClassVar[Literal["chat", "text"]] = "chat"
    prefill: ClassVar[bool] = False
    models_path: ClassVar[str] = "models"
    completion_path: ClassVar[str] = ""

    # -- hooks ----------------------------------------------------------------------------
    def base_url(self, endpoint: Endpoint) -> str:
        return with_default_path(endpoint.base_url)

    def headers(self, endpoint: Endpoint) -> dict[str, str | Secret]:
        headers: dict[str, str | Secret] = dict(endpoint.headers)
        if endpoint.api_key:
            headers["Authorization"] = Secret("Bearer " + endpoint.api_key.reveal())
        return headers

    def payload(self, endpoint: Endpoint, request: CompletionRequest) -> dict[str, Any]:
        raise NotImplementedError

    def parse_models(self, data: Any) -> list[ModelInfo]:
        items = data.get("data") if isinstance(data, dict) else data
        if isinstance(data, dict) and items is None:
            items = data.get("models")  # Ollama's native shape
        out: list[ModelInfo] = []
        for item in items or []:
            if isinstance(item, dict):
                ident = item.get("id") or item.get("name") or item.get("model")
                if ident:
                    context = item.get("context_length") or item.get("max_model_len")
                    out.append(
                        ModelInfo(
                            str(ident),
                            str(item.get("display_name") or item.get("name") or ""),
                            int(context) if isinstance(context, int) else None,
                        )
                    )
            elif isinstance(item, str):
                out.append(ModelInfo(item))
        return sorted(out, key=lambda m: m.id.lower())

    def new_state(self, endpoint: Endpoint) -> StreamState:
        raise NotImplementedError

    # -- shared ---------------------------------------------------------------------------
    def service(self, endpoint: Endpoint) -> str:
        """The name people know this endpoint by, for messages."""
        known = guess_server(endpoint.base_url, endpoint.server)
        return known.name if known is not None else (self.label or "The server")

    def model(self, endpoint: Endpoint, request: CompletionRequest) -> str:
        return request.model or endpoint.model

    def build_request(self, endpoint: Endpoint, request: CompletionRequest) -> HttpRequest:
        url = self.base_url(endpoint).rstrip("/") + "/" + self.completion_path
        return HttpRequest.post_json(url, self.payload(endpoint, request), self.headers(endpoint))

    def _error(self, endpoint: Endpoint, status: int, headers: dict[str, str], body: bytes) -> GenerationError:
        return error_for_status(
            status, headers, body, service=self.service(endpoint), secret=endpoint.api_key
        )

    def _fix_cors(self, endpoint: Endpoint, error: CorsError) -> CorsError:
        if endpoint.server:
            error.hint = cors_hint(endpoint.base_url, error.origin, endpoint.server)
        return error

    async def list_models(
        self, endpoint: Endpoint, *, transport: Transport, signal: AbortSignal | None = None
    ) -> list[ModelInfo]:
        signal = signal or AbortController().signal
        url = self.base_url(endpoint).rstrip("/") + "/" + self.models_path
        request = HttpRequest("GET", url, self.headers(endpoint))
        try:
            response = await transport.open(request, signal)
        except CorsError as error:
            raise self._fix_cors(endpoint, error) from None
        body = await response.read()
        if response.status >= 400:
            raise self._error(endpoint, response.status, response.headers, body)
        try:
            data = json.loads(body.decode("utf-8"))
        except ValueError:
            raise StreamError(
                f"{self.service(endpoint)} answered the model list with something that is "
                "not JSON.",
                "Check the base URL: it should end in the API's version path, e.g. /v1.",
            ) from None
        return self.parse_models(data)

    async def test_connection(self, endpoint: Endpoint, *, transport: Transport) -> ConnectionCheck:
        try:
            models = await self.list_models(endpoint, transport=transport)
        except GenerationError as error:
            return ConnectionCheck(False, str(error), error=error)
        service = self.service(endpoint)
        if not models:
            return ConnectionCheck(True, f"Connected to {service}, but it lists no models.", [])
        noun = "model" if len(models) == 1 else "models"
        missing = ""
        if endpoint.model and endpoint.model not in {m.id for m in models}:
            missing = f" The chosen model {endpoint.model!r} is not among them."
        return ConnectionCheck(
            True, f"Connected to {service}: {len(models)} {noun} available.{missing}", models
        )

    async def stream(
        self,
        endpoint: Endpoint,
        request: CompletionRequest,
        *,
        transport: Transport,
        signal: AbortSignal,
    ) -> AsyncIterator[StreamEvent]:
        http_request = self.build_request(endpoint, request)
        try:
            response = await transport.open(http_request, signal)
        except CorsError as error:
            raise self._fix_cors(endpoint, error) from None
        try:
            if response.status >= 400:
                body = await response.read()
                raise self._error(endpoint, response.status, response.headers, body)
            state = self.new_state(endpoint)
            content_type = response.headers.get("content-type", "")
            if "json" in content_type and "event-stream" not in content_type:
                body = await response.read()
                try:
                    data = json.loads(body.decode("utf-8"))
                except ValueError:
                    raise StreamError(
                        f"{self.service(endpoint)} sent a reply that is not JSON.", ""
                    ) from None
                for event in state.on_json(data):
                    yield event
                return
            decoder = EventStreamDecoder()
            async for chunk in response.chunks():
                for sse in decoder.feed(chunk):
                    for event in state.on_event(sse):
                        yield event
                if state.finished:
                    break
            if not state.finished:
                for sse in decoder.close(dispatch_partial=True):
                    for event in state.on_event(sse):
                        yield event
            if not state.finished:
                for event in state.end():
                    yield event
        except GenerationError as error:
            error.message = scrub(error.message, endpoint.api_key)
            error.hint = scrub(error.hint, endpoint.api_key)
            raise
        finally:
            await response.close()
