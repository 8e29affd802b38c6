"""Characters, chats and lore for the prompt-builder tests (domain models)."""

from __future__ import annotations

from typing import Any

from app.domain import Character, LorebookEntry, Message, Persona, PromptPreset
from app.generation import PresetSettings, PromptSettings, SamplingSettings

CHAT_ID = "chat-1"


def character(**fields: Any) -> Character:
    base: dict[str, Any] = dict(
        id="char-aria",
        name="Aria",
        description="{{char}} is a dragon who guards {{user}}.",
        personality="proud, curious",
        scenario="A cave under the mountain.",
        example_messages="<START>\n{{user}}: Hi\n{{char}}: Hello, mortal.\n<START>\n{{user}}: Who are you?\n{{char}}: I am {{char}}.",
        post_history_instructions="Stay in character as {{char}}.",
    )
    base.update(fields)
    return Character(**base)


def persona(**fields: Any) -> Persona:
    return Persona(**{"id": "persona-sam", "name": "Sam", "description": "{{user}} is a knight.", **fields})


def preset(system: str = "You are {{char}}. Talk with {{user}}.", **settings: Any) -> PromptPreset:
    prompt = {k: v for k, v in settings.items() if k in PromptSettings.model_fields}
    sampling = {k: v for k, v in settings.items() if k in SamplingSettings.model_fields}
    params = PresetSettings(
        sampling=SamplingSettings(**sampling), prompt=PromptSettings(**prompt)
    ).to_parameters()
    return PromptPreset(id="preset-1", name="Default", system_prompt=system, parameters=params)


def messages(texts: list[str], roles: list[str] | None = None) -> list[Message]:
    out = []
    for i, text in enumerate(texts):
        role = roles[i] if roles else ("user" if i % 2 == 0 else "assistant")
        out.append(
            Message(id=f"m{i:04d}", chat_id=CHAT_ID, role=role, content=text,
                    created_at=f"2026-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}Z")
        )
    return out


def lore(name: str, *keys: str, **fields: Any) -> LorebookEntry:
    fields.setdefault("level", "global")
    if fields["level"] != "global":
        fields.setdefault("scope_id", f"{fields['level']}-1")
    return LorebookEntry(id=fields.pop("id", name.lower()), name=name, keys=list(keys),
                         content=fields.pop("content", f"About {name}."), **fields)
