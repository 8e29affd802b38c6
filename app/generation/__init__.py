"""Generation: LLM providers, streaming, tokens and the prompt builder (layer 6).

    from app.generation import (Endpoint, ChatPromptInputs, build_chat_prompt,
                                start_generation, token_counter)
    counter = await token_counter(endpoint.model)         # loads the tokenizer on first use
    built = build_chat_prompt(ChatPromptInputs(messages=..., character=..., persona=...,
                              preset=..., lore_entries=..., lore_cache=...), counter)
    gen = start_generation(endpoint, built.request())     # streams in the background
    async for delta in gen: ...                           # text / reasoning deltas
    gen.stop()                                            # Stop: aborts the request
    result = await gen.result()                           # done / stopped / error (+ partial text)
    built.to_dict()                                       # what the prompt inspector shows

Providers are one module each in `app.generation.providers`, registered by name
(`get_provider("openai")`, `"openai-text"`, `"anthropic"`). See README.md.
"""

from ._errors import (
    KNOWN_SERVERS,
    AuthError,
    CorsError,
    GenerationError,
    KnownServer,
    NetworkError,
    RateLimitError,
    RequestError,
    ServerError,
    StreamError,
    cors_hint,
    guess_server,
)
from ._generation import Delta, Generation, GenerationResult, generate, start_generation
from ._http import (
    AbortController,
    Aborted,
    AbortSignal,
    HttpRequest,
    HttpResponse,
    Transport,
    default_transport,
)
from ._instruct import INSTRUCT_TEMPLATES, InstructTemplate, render_prompt
from ._prompt import (
    ChatPromptInputs,
    StoryPromptInputs,
    build_chat_prompt,
    build_story_prompt,
    message_text,
)
from ._provider import (
    ChatMessage,
    CompletionRequest,
    ConnectionCheck,
    Endpoint,
    HttpProvider,
    ModelInfo,
    Provider,
    ReasoningDelta,
    StreamDone,
    StreamEvent,
    TextDelta,
    Usage,
)
from ._registry import all_providers, get_provider, provider_names, register_provider
from ._report import (
    BudgetReport,
    BuiltPrompt,
    HistoryReport,
    LoreEntryReport,
    LoreHit,
    LoreReport,
    PromptPart,
    PromptTooLongError,
)
from ._secret import Secret, scrub
from ._settings import PresetSettings, PromptSettings, SamplingSettings
from ._sse import EventStreamDecoder, SseEvent, SseParser
from ._tokens import (
    ENCODINGS,
    TokenCounter,
    TokenizerInfo,
    approx_counter,
    clear_cache,
    load_encoding,
    token_counter,
    tokenizer_for_model,
)

__all__ = [
    "ENCODINGS",
    "INSTRUCT_TEMPLATES",
    "KNOWN_SERVERS",
    "AbortController",
    "AbortSignal",
    "Aborted",
    "AuthError",
    "BudgetReport",
    "BuiltPrompt",
    "ChatMessage",
    "ChatPromptInputs",
    "CompletionRequest",
    "ConnectionCheck",
    "CorsError",
    "Delta",
    "Endpoint",
    "EventStreamDecoder",
    "Generation",
    "GenerationError",
    "GenerationResult",
    "HistoryReport",
    "HttpProvider",
    "HttpRequest",
    "HttpResponse",
    "InstructTemplate",
    "KnownServer",
    "LoreEntryReport",
    "LoreHit",
    "LoreReport",
    "ModelInfo",
    "NetworkError",
    "PresetSettings",
    "PromptPart",
    "PromptSettings",
    "PromptTooLongError",
    "Provider",
    "RateLimitError",
    "ReasoningDelta",
    "RequestError",
    "SamplingSettings",
    "Secret",
    "ServerError",
    "SseEvent",
    "SseParser",
    "StoryPromptInputs",
    "StreamDone",
    "StreamError",
    "StreamEvent",
    "TextDelta",
    "TokenCounter",
    "TokenizerInfo",
    "Transport",
    "Usage",
    "all_providers",
    "approx_counter",
    "build_chat_prompt",
    "build_story_prompt",
    "clear_cache",
    "cors_hint",
    "default_transport",
    "generate",
    "get_provider",
    "guess_server",
    "load_encoding",
    "message_text",
    "provider_names",
    "register_provider",
    "render_prompt",
    "scrub",
    "start_generation",
    "token_counter",
    "tokenizer_for_model",
]
