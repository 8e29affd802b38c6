"""ChatSession: what the chat screen does to get replies, apart from the DOM.

It builds the prompt from the app state (the active preset, the chat's character and
persona, the lore the chat sees), sends it to the default provider config, exposes the
text as it streams (``live``, for the one row showing it), and stores the outcome:

- a new reply (``send``), a new alternative of a reply (``regenerate``, or "Next
  alternative" past the last one), or more text for the last reply (``continue_last``);
- "Stop" keeps what arrived; an error keeps it too and says what happened and what to do
  (``failure``); nothing the person typed is lost — their message is stored before the
  request goes out, and the composer keeps its text until then;
- what the prompt inspector shows (the exact messages, the budget, the lore trace) is
  kept with the version of the reply it produced.

Nothing here touches the DOM: the screen binds ``generating``, ``target``, ``live`` and
``failure`` to its elements.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from app.reactive import Readable, get, readonly, writable
from app.ui import Tasks, UiState
from app.ui._inspector import prompt_report

if TYPE_CHECKING:
    from app.domain import Message, ProviderConfig
    from app.generation import BuiltPrompt, Endpoint, Generation, GenerationResult, Transport

__all__ = ["NEW_REPLY", "ChatSession", "Failure", "fill_names", "stored_report"]

log = logging.getLogger("app.ui")

NEW_REPLY = "new"
"""``target`` while a reply that is not stored yet streams in."""

Kind = Literal["new", "alternative", "continue"]


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a reply did not come, in words: ``message`` (what happened), ``hint`` (what to
    do), ``kind`` (the error family), ``fix`` (a page that fixes it: "providers")."""

    message: str
    hint: str = ""
    kind: str = "error"
    fix: str | None = None

    @property
    def text(self) -> str:
        return f"{self.message} {self.hint}".strip()


class _Problem(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.text)
        self.failure = failure


@dataclass(frozen=True)
class _Setup:
    config: ProviderConfig
    endpoint: Endpoint
    built: BuiltPrompt


def fill_names(text: str, char: str, user: str) -> str:
    """``{{char}}`` and ``{{user}}`` (any case, inner spaces allowed) replaced by names,
    as a message is shown (the prompt builder fills them the same way when sending)."""
    import re

    def one(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        return char if name == "char" else user

    return re.sub(r"\{\{\s*(char|user)\s*\}\}", one, text, flags=re.IGNORECASE)


def stored_report(
    built: BuiltPrompt, result: GenerationResult, config: ProviderConfig
) -> dict[str, Any]:
    """What a reply keeps for the prompt inspector: the prompt without the parts' text
    (the messages already hold it), how the request ended, and its settings (never the key)."""
    return prompt_report(built, result, provider=config.name, keep_text=False)


class ChatSession:
    """Replies for one chat (see the module docstring). ``transport`` overrides the HTTP
    transport (tests, benchmarks)."""

    def __init__(self, state: UiState, chat_id: str, *, transport: Transport | None = None) -> None:
        self.state = state
        self.chat_id = chat_id
        self.transport = transport
        self.tasks = Tasks("generating a reply")
        self._generating = writable(False)
        self._target: Any = writable(None)
        self._live = writable("")
        self._reasoning = writable("")
        self._failure: Any = writable(None)
        self._done = writable("")
        self.generating: Readable[bool] = readonly(self._generating)
        #: None, NEW_REPLY, or the id of the message whose new text streams in.
        self.target: Readable[str | None] = readonly(self._target)
        self.live: Readable[str] = readonly(self._live)
        self.reasoning: Readable[str] = readonly(self._reasoning)
        self.failure: Readable[Failure | None] = readonly(self._failure)
        #: A sentence for a polite live region once a reply ends ("Aria replied.").
        self.announcement: Readable[str] = readonly(self._done)
        self._generation: Generation | None = None
        self.closed = False

    # -- what the screen calls --------------------------------------------------------------
    async def send(self, text: str) -> bool:
        """Store the person's message (if they typed one), then ask for the reply (in the
        background). True once their message is stored — the composer may clear; an
        error storing it propagates and the composer keeps the text."""
        if get(self._generating):
            return False
        self._failure.set(None)
        if text.strip():
            persona = get(self.state.active_persona)
            await self.state.add_message(
                self.chat_id,
                {
                    "role": "user",
                    "name": persona.name if persona is not None else None,
                    "content": text,
                },
            )
        if not list(get(self.state.messages)):
            return True  # nothing to answer yet
        self._start("new", None)
        return True

    def regenerate(self, message_id: str) -> bool:
        """A new alternative of the last reply, generated now and shown."""
        return self._for_message("alternative", message_id)

    def continue_last(self, message_id: str) -> bool:
        """More text for the last reply, appended to the version shown."""
        return self._for_message("continue", message_id)

    async def select(self, message_id: str, index: int) -> None:
        """Show alternative ``index`` of a reply (one past the last generates a new one,
        as SillyTavern's swipe right does, but only for the last reply)."""
        message = self._message(message_id)
        if message is None:
            return
        if index >= message.alternative_count:
            if self._is_last(message_id):
                self.regenerate(message_id)
            return
        await self.state.edit_message(message_id, message.selecting(max(0, index)))

    def stop(self) -> None:
        """Abort the request; what arrived so far is kept."""
        if self._generation is not None:
            self._generation.stop()

    def close(self) -> None:
        """The page goes away: stop generating (the partial reply is still stored)."""
        self.closed = True
        self.stop()

    async def settle(self) -> None:
        """Wait until the replies started have been stored (tests)."""
        await self.tasks.settle()

    # -- internals ---------------------------------------------------------------------------
    def _message(self, message_id: str) -> Message | None:
        for message in get(self.state.messages):
            if message.id == message_id:
                return message
        return None

    def _is_last(self, message_id: str) -> bool:
        messages = list(get(self.state.messages))
        return bool(messages) and messages[-1].id == message_id

    def _for_message(self, kind: Kind, message_id: str) -> bool:
        if get(self._generating):
            return False
        message = self._message(message_id)
        if message is None or message.role != "assistant":
            return False
        self._failure.set(None)
        self._start(kind, message)
        return True

    def _start(self, kind: Kind, message: Message | None) -> None:
        self._generating.set(True)
        self._target.set(NEW_REPLY if message is None else message.id)
        base = _text(message.content) if kind == "continue" and message is not None else ""
        self._live.set(base)
        self._reasoning.set("")
        self._done.set("")
        self.tasks.start(self._run(kind, message, base))

    async def _run(self, kind: Kind, message: Message | None, base: str) -> None:
        keep_on_screen = False  # storing failed: the text stays visible to be copied
        try:
            setup = await self._prepare(kind, message)
            from app.generation import start_generation

            generation = start_generation(
                setup.endpoint, setup.built.request(), transport=self.transport
            )
            self._generation = generation
            text, reasoning = base, ""
            async for delta in generation:
                if delta.kind == "text":
                    text += delta.text
                    self._live.set(text)
                else:
                    reasoning += delta.text
                    self._reasoning.set(reasoning)
            result = await generation.result()
            try:
                await self._store(kind, message, base, result, setup)
            except Exception as error:
                keep_on_screen = True
                raise _Problem(
                    Failure(
                        "The reply could not be saved.",
                        f"{error} Copy it from the screen before leaving this page.".strip(),
                    )
                ) from error
            if result.error is not None:
                hint = result.error.hint
                if result.text:
                    hint = f"{hint} What arrived before it failed was kept.".strip()
                self._failure.set(Failure(result.error.message, hint, result.error.kind))
        except _Problem as problem:
            self._failure.set(problem.failure)
        except Exception as error:  # a bug or a surprise: still said in words
            log.exception("generating a reply failed")
            self._failure.set(
                Failure("Something went wrong before the reply could start.", str(error))
            )
        finally:
            self._generation = None
            self._generating.set(False)
            if not keep_on_screen:
                self._target.set(None)
                self._live.set("")

    async def _prepare(self, kind: Kind, message: Message | None) -> _Setup:
        from app.generation import (
            ChatPromptInputs,
            Endpoint,
            PromptTooLongError,
            build_chat_prompt,
            get_provider,
            token_counter,
        )
        from app.lore import MatchOptions

        state = self.state
        config = self._provider_config()
        try:
            provider = get_provider(config.type)
        except (KeyError, LookupError):
            raise _Problem(
                Failure(
                    f"“{config.name}” uses a provider type this version does not know ({config.type}).",
                    "Choose another type in Settings → Providers.",
                    fix="providers",
                )
            ) from None
        key = next((k for k in get(state.api_keys) if k.id == config.api_key_id), None)
        endpoint = Endpoint.from_config(config, key)
        counter = await token_counter(endpoint.model)
        await state.loaded()  # a long chat opened on its newest messages: the whole history
        history = self._history(kind, message)
        persona = get(state.active_persona)
        inputs = ChatPromptInputs(
            messages=history,
            character=get(state.active_character),
            persona=persona,
            user_name=persona.name if persona is not None else "User",
            preset=get(state.active_preset),
            lore_entries=list(get(state.all_lorebooks)),
            lore_cache=state.lore_cache,
            mode=provider.mode,
            prefill=provider.prefill,
            continue_last=kind == "continue",
            matching=MatchOptions.from_settings(get(state.settings)),
        )
        try:
            built = build_chat_prompt(inputs, counter)
        except PromptTooLongError as error:
            raise _Problem(
                Failure(
                    str(error),
                    "Shorten the character card or the lore, or raise the context size in the preset.",
                    "prompt_too_long",
                )
            ) from None
        return _Setup(config, endpoint, built)

    def _provider_config(self) -> ProviderConfig:
        configs = [c for c in get(self.state.provider_configs) if c.enabled]
        settings = get(self.state.settings)
        wanted = getattr(settings, "default_provider_config_id", None)
        chosen = next((c for c in configs if c.id == wanted), None) or (
            configs[0] if configs else None
        )
        if chosen is None:
            raise _Problem(
                Failure(
                    "No model provider is set up yet.",
                    "Add one in Settings → Providers: your server's address (Ollama, LM Studio, "
                    "OpenAI, OpenRouter, Anthropic…), its API key if it needs one, and a model.",
                    "setup",
                    fix="providers",
                )
            )
        return chosen

    def _history(self, kind: Kind, message: Message | None) -> Sequence[Message]:
        messages = list(get(self.state.messages))
        if kind == "new" or message is None:
            return messages
        index = next((i for i, m in enumerate(messages) if m.id == message.id), len(messages))
        # an alternative answers what came before; a continuation includes the reply
        return messages[:index] if kind == "alternative" else messages[: index + 1]

    async def _store(
        self,
        kind: Kind,
        message: Message | None,
        base: str,
        result: GenerationResult,
        setup: _Setup,
    ) -> None:
        added = result.text
        if not added.strip():
            if result.status == "stopped":
                self._done.set("Stopped before any text arrived.")
            return
        info: dict[str, Any] = {
            "status": result.status,
            "model": result.model or setup.endpoint.model,
            "provider": setup.config.name,
            "finish_reason": result.finish_reason,
            "at": time.time(),
        }
        if result.reasoning:
            info["reasoning"] = result.reasoning
        report = stored_report(setup.built, result, setup.config)
        state = self.state
        character = get(state.active_character)
        speaker = character.name if character is not None else "The character"
        if kind == "new" or message is None:
            stored = await state.add_message(
                self.chat_id,
                {
                    "role": "assistant",
                    "name": character.name if character is not None else None,
                    "content": added,
                    "alternatives": [{"content": added, "info": info}],
                },
            )
            alternative = 0
        elif kind == "alternative":
            current = self._message(message.id) or message
            stored = await state.edit_message(message.id, current.adding_alternative(added, info))
            alternative = stored.selected
        else:
            current = self._message(message.id) or message
            stored = await state.edit_message(message.id, {"content": base + added})
            alternative = current.selected
        try:
            await state.record_prompt(stored.id, self.chat_id, alternative, report)
        except Exception:  # the reply is stored; only the inspector's record is missing
            log.exception("keeping the prompt report failed")
        words = {"done": f"{speaker} replied.", "stopped": "Stopped; the reply so far was kept."}
        self._done.set(words.get(result.status, "The reply failed; what arrived was kept."))


def _text(content: Any) -> str:
    from app.generation import message_text

    return message_text(content)
