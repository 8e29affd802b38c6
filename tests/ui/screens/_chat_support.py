"""A library with a character, a persona, a provider pointing at the fake LLM server and
a chat with the character's greeting: the chat screen's tests start from it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from tests.generation._fake import GOOD_KEY, FakeLLM

from .._tab import Tab, open_library_for_test, open_tab
from ._find import button_named

REPLY = "Hello there, traveller. The road is long."


@dataclass
class ChatTab:
    tab: Tab
    chat_id: str
    character_id: str
    run: str
    fake: FakeLLM

    @property
    def h(self) -> Any:
        return self.tab.harness

    def articles(self) -> list[Any]:
        return [a for a in self.h.query("article") if self.h.attr(a, "hidden") is None]

    def names(self) -> list[str]:
        return [self.h.attr(a, "aria-label") for a in self.articles()]

    def article(self, name: str) -> Any:
        (found,) = [a for a in self.articles() if self.h.attr(a, "aria-label") == name]
        return found

    def text_of(self, name: str) -> str:
        (body,) = self.h.query("div.message-text", self.article(name))[:1]
        return self.h.text(body)

    def press(self, name: str, within: Any = None) -> None:
        self.h.fire(button_named(self.h, name, within), "click")

    async def settle(self) -> None:
        await self.tab.dom.settle()
        await self.tab.app.settle()


@asynccontextmanager
async def chat_tab(
    fake: FakeLLM,
    scenario: str = "ok",
    *,
    key: str | None = GOOD_KEY,
    provider: str = "openai",
    with_provider: bool = True,
    greetings: tuple[str, ...] = ("Welcome, {{user}}.", "Hello again."),
) -> AsyncIterator[ChatTab]:
    library = await open_library_for_test()
    domain = library.domain
    aria = await domain.characters.create(
        {
            "name": "Aria",
            "description": "A dragon scholar.",
            "first_message": greetings[0] if greetings else "",
            "alternate_greetings": list(greetings[1:]),
        }
    )
    me = await domain.personas.create({"name": "Sam"})
    await domain.settings.set("active_persona_id", me.id)
    base_url, run = fake.base_url(scenario)
    if with_provider:
        config = await domain.providers.save(
            {"name": "Fake", "type": provider, "base_url": base_url, "default_model": "fake-large"},
            api_key=key,
        )
        await domain.settings.set("default_provider_config_id", config.id)
    chat = await domain.chats.start(aria.id)
    try:
        async with open_tab(library=library, hash=f"#/chats/{chat.id}") as tab:
            yield ChatTab(tab, chat.id, aria.id, run, fake)
    finally:
        domain.store.close()
        await domain.store.db.delete()
