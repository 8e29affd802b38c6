"""The generation API the chat screen drives: start → deltas → result.

    gen = start_generation(endpoint, request)         # sends at once, in the background
    async for delta in gen:                           # Delta(kind="text"|"reasoning", text)
        show(delta)
    gen.stop()                                        # (from a Stop button) aborts the HTTP request
    result = await gen.result()                       # status "done" | "stopped" | "error"
    result.text, result.error                         # the partial text is kept on stop/error

Iterating never raises: a failure ends the iteration and `result()` carries it as a
`GenerationError` in words a person can act on. Several readers may iterate; each sees
every delta from the start. A reply that opens with a `<think>…</think>` block (reasoning
models served without a reasoning parser) has that block delivered as reasoning.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Literal

from ._errors import GenerationError, StreamError
from ._http import AbortController, Aborted, Transport, default_transport
from ._provider import CompletionRequest, Endpoint, Provider, StreamDone, Usage
from ._registry import get_provider
from ._secret import scrub

__all__ = ["Delta", "Generation", "GenerationResult", "ThinkSplitter", "generate", "start_generation"]

Status = Literal["running", "done", "stopped", "error"]


@dataclass(frozen=True, slots=True)
class Delta:
    kind: Literal["text", "reasoning"]
    text: str


@dataclass(frozen=True)
class GenerationResult:
    status: Literal["done", "stopped", "error"]
    text: str
    reasoning: str = ""
    finish_reason: str | None = None
    usage: Usage | None = None
    model: str | None = None
    error: GenerationError | None = None
    #: The JSON body that was sent (for the prompt inspector; never holds the key).
    request_body: Any = None
    seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return self.status == "done"


class ThinkSplitter:
    """Turns a leading `<think>…</think>` in the reply text into reasoning deltas (the
    tags may arrive split across chunks); text after it, or a reply without it, passes."""

    OPEN, CLOSE = "<think>", "</think>"

    def __init__(self) -> None:
        self._state = "start"  # start | thinking | after | text
        self._held = ""

    def feed(self, text: str) -> list[Delta]:
        if self._state == "after":  # the line break after </think> is not reply text
            text = text.lstrip("\n")
            if not text:
                return []
            self._state = "text"
        if self._state == "text":
            return [Delta("text", text)] if text else []
        self._held += text
        out: list[Delta] = []
        if self._state == "start":
            stripped = self._held.lstrip()
            if stripped.startswith(self.OPEN):
                self._state = "thinking"
                self._held = stripped[len(self.OPEN):]
            elif self.OPEN.startswith(stripped):
                return []  # still could be the opening tag
            else:
                self._state = "text"
                held, self._held = self._held, ""
                return [Delta("text", held)]
        # thinking: emit all but a possible partial closing tag
        end = self._held.find(self.CLOSE)
        if end >= 0:
            if end:
                out.append(Delta("reasoning", self._held[:end]))
            rest = self._held[end + len(self.CLOSE):]
            self._held = ""
            self._state = "after"
            return out + self.feed(rest)
        keep = 0
        for n in range(min(len(self.CLOSE) - 1, len(self._held)), 0, -1):
            if self.CLOSE.startswith(self._held[-n:]):
                keep = n
                break
        ready = self._held[: len(self._held) - keep]
        self._held = self._held[len(self._held) - keep :]
        return [Delta("reasoning", ready)] if ready else []

    def flush(self) -> list[Delta]:
        held, self._held = self._held, ""
        if not held:
            return []
        return [Delta("reasoning" if self._state == "thinking" else "text", held)]


class Generation:
    """One running request. Create with `start_generation`."""

    def __init__(
        self, provider: Provider, endpoint: Endpoint, request: CompletionRequest, transport: Transport
    ) -> None:
        self.provider = provider
        self.endpoint = endpoint
        self.request = request
        self.request_body = provider.build_request(endpoint, request).json_body
        self._transport = transport
        self._controller = AbortController()
        self._deltas: list[Delta] = []
        self._text: list[str] = []
        self._reasoning: list[str] = []
        self._changed = asyncio.Event()
        self._status: Status = "running"
        self._result: GenerationResult | None = None
        self._started = time.monotonic()
        self._task = asyncio.ensure_future(self._run())

    @property
    def status(self) -> Status:
        return self._status

    @property
    def text(self) -> str:
        """The reply text so far."""
        return "".join(self._text)

    @property
    def reasoning(self) -> str:
        return "".join(self._reasoning)

    def stop(self, reason: str = "stopped") -> None:
        """Abort the request (the connection closes); the text so far is kept."""
        self._controller.abort(reason)

    def _push(self, delta: Delta) -> None:
        self._deltas.append(delta)
        (self._text if delta.kind == "text" else self._reasoning).append(delta.text)
        self._changed.set()
        self._changed = asyncio.Event()

    async def _run(self) -> None:
        done: StreamDone | None = None
        error: GenerationError | None = None
        status: Literal["done", "stopped", "error"] = "done"
        signal = self._controller.signal
        think = ThinkSplitter()
        try:
            async for event in self.provider.stream(
                self.endpoint, self.request, transport=self._transport, signal=signal
            ):
                if isinstance(event, StreamDone):
                    done = event
                elif event.kind == "text":
                    for delta in think.feed(event.text):
                        self._push(delta)
                elif event.text:
                    self._push(Delta("reasoning", event.text))
        except Aborted:
            status = "stopped"
        except GenerationError as failure:
            status, error = ("stopped", None) if signal.aborted else ("error", failure)
        except asyncio.CancelledError:
            status = "stopped"
            self._controller.abort("cancelled")
        except Exception as failure:  # a bug or a surprise: still a readable result
            status = "error"
            error = StreamError(
                "Something unexpected went wrong while reading the reply.",
                "The partial reply was kept.",
                detail=scrub(f"{type(failure).__name__}: {failure}", self.endpoint.api_key),
            )
        for delta in think.flush():
            self._push(delta)
        self._status = status
        self._result = GenerationResult(
            status=status,
            text=self.text,
            reasoning=self.reasoning,
            finish_reason=done.finish_reason if done else None,
            usage=done.usage if done else None,
            model=done.model if done else None,
            error=error,
            request_body=self.request_body,
            seconds=time.monotonic() - self._started,
        )
        self._changed.set()

    async def result(self) -> GenerationResult:
        """Wait for the end; the outcome, never an exception."""
        await asyncio.shield(self._task)
        assert self._result is not None
        return self._result

    async def __aiter__(self) -> AsyncIterator[Delta]:
        index = 0
        while True:
            while index < len(self._deltas):
                yield self._deltas[index]
                index += 1
            if self._result is not None:
                return
            await self._changed.wait()


def start_generation(
    endpoint: Endpoint,
    request: CompletionRequest,
    *,
    transport: Transport | None = None,
    provider: Provider | None = None,
) -> Generation:
    """Send `request` to `endpoint`'s provider now; returns the running `Generation`.
    Must be called with an event loop running."""
    chosen = provider or get_provider(endpoint.provider)
    return Generation(chosen, endpoint, request, transport or default_transport())


async def generate(
    endpoint: Endpoint,
    request: CompletionRequest,
    *,
    transport: Transport | None = None,
    provider: Provider | None = None,
) -> GenerationResult:
    """Generate and wait for the whole reply."""
    return await start_generation(endpoint, request, transport=transport, provider=provider).result()
