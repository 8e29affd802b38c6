"""A database with at least one record in every table."""

from __future__ import annotations

from types import SimpleNamespace


async def populate(d) -> SimpleNamespace:
    await d.settings.set("theme", "dark")
    await d.settings.set("ext.plugin-x", {"on": True})
    folder = await d.folders.create({"name": "Chats", "kind": "chat"})
    sub = await d.folders.create({"name": "Old", "kind": "chat", "parent_id": folder.id})
    persona = await d.personas.create({"name": "Me"})
    key = await d.providers.api_keys.create({"name": "K", "value": "sk-secret"})
    config = await d.providers.configs.create(
        {"name": "OpenAI", "type": "openai", "api_key_id": key.id}
    )
    ada = await d.characters.create({"name": "Ada", "tags": ["lead"], "extensions": {"x": 1}})
    chat = await d.chats.create(
        {"character_id": ada.id, "folder_id": folder.id, "persona_id": persona.id}
    )
    sub_chat = await d.chats.create({"title": "archived", "folder_id": sub.id})
    m1 = await d.messages.create({"chat_id": chat.id, "role": "user", "content": "Hello"})
    m2 = await d.messages.create(
        {"chat_id": chat.id, "role": "assistant", "content": {"text": "Hi"}}
    )
    await d.messages.create({"chat_id": sub_chat.id, "role": "info", "content": None})
    report = await d.prompt_reports.record(m2.id, chat.id, 0, {"total_tokens": 3})
    saga = await d.series.create({"name": "Saga"})
    story = await d.stories.stories.create({"title": "Book", "series_id": saga.id})
    loose = await d.stories.stories.create({"title": "Loose"})
    chapter = await d.stories.chapters.create({"story_id": story.id, "title": "One"})
    beat = await d.stories.create_scene_beat(chapter.id, {"content": "They meet."})
    module = await d.modules.modules.create({"name": "Magic"})
    link = await d.modules.links.attach(module.id, "character", ada.id)
    script = await d.scripts.create(
        {"name": "s", "find": "a", "level": "character", "scope_id": ada.id}
    )
    rule = await d.rules.rules.create({"name": "R", "content": "Be nice"})
    tag = await d.rules.tags.create({"name": "T"})
    tag_link = await d.rules.links.link(tag.id, rule.id)
    preset = await d.presets.create({"name": "Default"})
    plugin = await d.plugins.create({"name": "P", "config": {"a": [1]}})
    target = await d.sync_targets.create({"name": "Home", "url": "https://sync.example"})
    entries = {}
    for name, level, scope in [
        ("g", "global", None),
        ("saga", "series", saga.id),
        ("book", "story", story.id),
        ("loose", "story", loose.id),
        ("ada", "character", ada.id),
        ("chat", "chat", chat.id),
        ("sub_chat", "chat", sub_chat.id),
        ("magic", "module", module.id),
    ]:
        entries[name] = await d.lorebook.create(
            {
                "name": name,
                "level": level,
                "scope_id": scope,
                "keys": [name],
                "extensions": {"st": {"uid": 1}},
            }
        )
    return SimpleNamespace(**{k: v for k, v in locals().items() if k != "d"})
