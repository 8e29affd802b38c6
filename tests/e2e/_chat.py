"""End-to-end helpers for the chat workspace: the fake LLM server, a provider set up
(through its screen, or seeded), a character with a chat, reading the phone width."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e._support import create_character, go, seed, wait_ready
from tests.fakes.llm_server import GOOD_KEY, REPLY, FakeLLMServer, shared_fake_llm

__all__ = [
    "GOOD_KEY",
    "REPLY",
    "fake_server",
    "horizontal_overflow",
    "message",
    "new_chat",
    "seed_provider",
]

NOW = "2026-01-01T00:00:00.000000Z"


def fake_server() -> FakeLLMServer:
    return shared_fake_llm()


def seed_provider(
    page: Any, base_url: str, key: str | None = GOOD_KEY, server: str | None = None
) -> None:
    """A default provider config (and its key) written to IndexedDB; reloads the app."""
    key_id = "key-1" if key else None
    if key:
        seed(
            page,
            "api_keys",
            [
                {
                    "id": "key-1",
                    "created_at": NOW,
                    "updated_at": NOW,
                    "name": "Fake",
                    "provider": "openai",
                    "value": key,
                }
            ],
        )
    seed(
        page,
        "provider_configs",
        [
            {
                "id": "provider-1",
                "created_at": NOW,
                "updated_at": NOW,
                "name": "Fake",
                "type": "openai",
                "base_url": base_url,
                "api_key_id": key_id,
                "enabled": True,
                "models": ["fake-large"],
                "default_model": "fake-large",
                "options": {"server": server} if server else {},
            }
        ],
    )
    seed(
        page,
        "settings",
        [{"key": "default_provider_config_id", "value": "provider-1", "updated_at": NOW}],
    )
    page.reload()
    wait_ready(page)


def new_chat(
    page: Any,
    name: str = "Aria",
    greetings: tuple[str, ...] = ("Welcome, {{user}}.", "Hello again."),
) -> str:
    """A character with greetings (typed into its editor) and a new chat with it; the
    chat is open. Returns the chat's id."""
    go(page, "#/characters", heading="Characters")
    character = create_character(page, name)
    go(page, f"#/characters/{character}", heading=name)
    page.get_by_role("textbox", name="First message").fill(greetings[0])
    for text in greetings[1:]:
        page.get_by_role("button", name="Add alternate greeting").click()
        page.get_by_role("textbox", name="Alternate greeting 1").fill(text)
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    page.get_by_role("button", name="New chat").click()
    expect(message(page, f"{name}, message 1")).to_be_visible()
    return str(page.evaluate("location.hash").split("/")[-1])


def message(page: Any, name: str) -> Any:
    return page.get_by_role("article", name=name, exact=True)


def horizontal_overflow(page: Any) -> int:
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )
