"""The cross-entity operations the seeds name."""

import pytest

from app.domain import InvalidDataError, open_domain, preview_text

RUN_IN_BROWSER = True


async def test_message_crud_keeps_chat_preview_and_updated_at_in_step(domain):
    chat = await domain.chats.create({"title": "c"})
    first = await domain.messages.create({"chat_id": chat.id, "role": "user", "content": "Hello"})
    after_first = await domain.chats.require(chat.id)
    assert after_first.preview == "Hello" and after_first.message_count == 1
    assert after_first.last_message_id == first.id
    assert after_first.updated_at > chat.updated_at

    second = await domain.messages.create(
        {"chat_id": chat.id, "role": "assistant", "content": {"text": "Hi   there\nfriend"}}
    )
    after_second = await domain.chats.require(chat.id)
    assert after_second.preview == "Hi there friend" and after_second.message_count == 2
    assert after_second.updated_at > after_first.updated_at

    await domain.messages.update(second.id, {"content": [{"text": "Edited"}, {"text": "reply"}]})
    after_edit = await domain.chats.require(chat.id)
    assert after_edit.preview == "Edited reply" and after_edit.updated_at > after_second.updated_at

    await domain.messages.update(first.id, {"content": "changed first"})
    assert (await domain.chats.require(chat.id)).preview == "Edited reply"

    await domain.messages.delete(second.id)
    after_delete = await domain.chats.require(chat.id)
    assert after_delete.preview == "changed first" and after_delete.message_count == 1
    assert after_delete.last_message_id == first.id

    await domain.messages.delete(first.id)
    empty = await domain.chats.require(chat.id)
    assert empty.preview == "" and empty.message_count == 0 and empty.last_message_id is None
    assert [m.id for m in await domain.messages.for_chat(chat.id)] == []


async def test_messages_are_listed_in_order_with_json_content(domain):
    chat = await domain.chats.create({})
    contents = ["a", {"text": "b", "images": ["x"]}, [1, 2], None]
    made = [
        await domain.messages.create({"chat_id": chat.id, "role": "tool", "content": c})
        for c in contents
    ]
    listed = await domain.messages.for_chat(chat.id)
    assert [m.id for m in listed] == [m.id for m in made]
    assert [m.content for m in listed] == contents
    with pytest.raises(InvalidDataError, match="role:"):
        await domain.messages.create({"chat_id": chat.id, "role": "robot"})


def test_preview_text_is_bounded():
    assert preview_text("x" * 500).endswith("…") and len(preview_text("x" * 500)) == 200
    assert preview_text({"a": 1}) == '{"a": 1}'


async def test_setting_a_preset_active_deactivates_the_previous_one(domain):
    presets = domain.presets
    first = await presets.create({"name": "A"})
    assert first.is_active  # the first preset is active
    second = await presets.create({"name": "B"})
    assert not second.is_active
    await presets.set_active(second.id)
    assert [p.name for p in await presets.list() if p.is_active] == ["B"]
    third = await presets.create({"name": "C", "is_active": True})
    assert [p.id for p in await presets.list() if p.is_active] == [third.id]
    await presets.update(third.id, {"is_active": False})  # cannot leave none active
    assert (await presets.active()).id == third.id
    await presets.delete(third.id)
    assert sum(p.is_active for p in await presets.list()) == 1


async def test_deleting_an_api_key_unlinks_it_from_every_config(domain):
    key = await domain.providers.api_keys.create({"name": "K", "value": "sk"})
    other = await domain.providers.api_keys.create({"name": "L", "value": "sk2"})
    a = await domain.providers.configs.create({"name": "A", "type": "x", "api_key_id": key.id})
    b = await domain.providers.configs.create({"name": "B", "type": "x", "api_key_id": key.id})
    c = await domain.providers.configs.create({"name": "C", "type": "x", "api_key_id": other.id})
    changed = []
    domain.store.on("changes", changed.append)
    await domain.providers.api_keys.delete(key.id)
    assert (await domain.providers.configs.require(a.id)).api_key_id is None
    assert (await domain.providers.configs.require(b.id)).api_key_id is None
    assert (await domain.providers.configs.require(c.id)).api_key_id == other.id
    assert len(changed) == 1  # one transaction
    assert {ch.table for ch in changed[0]} == {"api_keys", "provider_configs"}


@pytest.mark.parametrize("doomed", ["rule", "tag"])
async def test_deleting_a_rule_or_tag_deletes_its_links(domain, doomed):
    rules = domain.rules
    rule, other_rule = (
        await rules.rules.create({"name": "R"}),
        await rules.rules.create({"name": "S"}),
    )
    tag, other_tag = await rules.tags.create({"name": "T"}), await rules.tags.create({"name": "U"})
    await rules.links.link(tag.id, rule.id)
    await rules.links.link(other_tag.id, rule.id)
    await rules.links.link(tag.id, other_rule.id)
    keep = await rules.links.link(other_tag.id, other_rule.id)
    if doomed == "rule":
        await rules.rules.delete(rule.id)
        assert {lk.rule_id for lk in await rules.links.list()} == {other_rule.id}
        assert len(await rules.links.list()) == 2
    else:
        await rules.tags.delete(tag.id)
        assert [lk.id for lk in await rules.links.list() if lk.tag_id == tag.id] == []
        assert len(await rules.links.list()) == 2
    assert keep.id in {lk.id for lk in await rules.links.list()}


async def test_deleting_a_folder_deletes_subfolders_and_moves_items_to_its_parent(domain):
    folders = domain.folders
    root = await folders.create({"name": "root", "kind": "chat"})
    doomed = await folders.create({"name": "doomed", "kind": "chat", "parent_id": root.id})
    child = await folders.create({"name": "child", "kind": "chat", "parent_id": doomed.id})
    grandchild = await folders.create({"name": "gc", "kind": "chat", "parent_id": child.id})
    sibling = await folders.create({"name": "sibling", "kind": "chat", "parent_id": root.id})
    in_doomed = await domain.chats.create({"title": "a", "folder_id": doomed.id})
    in_grandchild = await domain.chats.create({"title": "b", "folder_id": grandchild.id})
    in_sibling = await domain.chats.create({"title": "c", "folder_id": sibling.id})
    await domain.messages.create(
        {"chat_id": in_grandchild.id, "role": "user", "content": "keep me"}
    )

    await folders.delete(doomed.id)

    assert {f.id for f in await folders.list()} == {root.id, sibling.id}
    assert (await domain.chats.require(in_doomed.id)).folder_id == root.id
    assert (await domain.chats.require(in_grandchild.id)).folder_id == root.id
    assert (await domain.chats.require(in_sibling.id)).folder_id == sibling.id
    assert len(await domain.messages.for_chat(in_grandchild.id)) == 1


async def test_deleting_a_top_level_folder_moves_items_to_the_top(domain):
    top = await domain.folders.create({"name": "top", "kind": "character"})
    character = await domain.characters.create({"name": "Ada", "folder_id": top.id})
    await domain.folders.delete(top.id)
    assert (await domain.characters.require(character.id)).folder_id is None


async def test_folders_reject_cycles_and_mixed_kinds(domain):
    a = await domain.folders.create({"name": "a", "kind": "chat"})
    b = await domain.folders.create({"name": "b", "kind": "chat", "parent_id": a.id})
    with pytest.raises(InvalidDataError, match="parent_id: a folder cannot contain itself"):
        await domain.folders.move(a.id, b.id)
    with pytest.raises(InvalidDataError, match="parent_id: the parent holds chats"):
        await domain.folders.create({"name": "c", "kind": "story", "parent_id": a.id})


async def _character_world(domain):
    character = await domain.characters.create({"name": "Ada"})
    other = await domain.characters.create({"name": "Bob"})
    chat = await domain.chats.create({"character_id": character.id})
    other_chat = await domain.chats.create({"character_id": other.id})
    for c in (chat, other_chat):
        await domain.messages.create({"chat_id": c.id, "role": "user", "content": "hi"})
        await domain.lorebook.create({"level": "chat", "scope_id": c.id})
    await domain.lorebook.create({"level": "character", "scope_id": character.id})
    kept_entry = await domain.lorebook.create({"level": "character", "scope_id": other.id})
    await domain.lorebook.create({"level": "global"})
    await domain.scripts.create(
        {"name": "s", "find": "a", "level": "character", "scope_id": character.id}
    )
    kept_script = await domain.scripts.create({"name": "t", "find": "a", "level": "global"})
    module = await domain.modules.modules.create({"name": "M"})
    await domain.modules.links.attach(module.id, "character", character.id)
    await domain.modules.links.attach(module.id, "chat", chat.id)
    kept_link = await domain.modules.links.attach(module.id, "character", other.id)
    return character, chat, other_chat, kept_entry, kept_script, kept_link, module


async def test_deleting_a_character_deletes_what_it_owns_in_one_transaction(domain):
    (
        character,
        chat,
        other_chat,
        kept_entry,
        kept_script,
        kept_link,
        module,
    ) = await _character_world(domain)
    commits = []
    domain.store.on("changes", commits.append)

    await domain.characters.delete(character.id)

    assert len(commits) == 1
    assert {c.table for c in commits[0]} == {
        "characters",
        "chats",
        "messages",
        "lorebook_entries",
        "scripts",
        "module_links",
    }
    assert await domain.chats.get(chat.id) is None
    assert [c.id for c in await domain.chats.list()] == [other_chat.id]
    assert {m.chat_id for m in await domain.messages.list()} == {other_chat.id}
    entries = await domain.lorebook.list()
    assert {(e.level, e.scope_id) for e in entries} == {
        ("global", None),
        ("chat", other_chat.id),
        ("character", kept_entry.scope_id),
    }
    assert [s.id for s in await domain.scripts.list()] == [kept_script.id]
    assert [lk.id for lk in await domain.modules.links.list()] == [kept_link.id]
    assert await domain.modules.modules.get(module.id) is not None


async def test_deleting_a_chat_deletes_its_messages_and_chat_entries(domain):
    character, chat, other_chat, *_ = await _character_world(domain)
    await domain.chats.delete(chat.id)
    assert {m.chat_id for m in await domain.messages.list()} == {other_chat.id}
    assert not [e for e in await domain.lorebook.list() if e.scope_id == chat.id]
    assert await domain.characters.get(character.id) is not None
    assert len(await domain.lorebook.by_level("character", character.id)) == 1


async def test_a_failing_cascade_writes_nothing():
    from tests.domain._support import FaultInjector, memory_db

    db = memory_db()
    injector = FaultInjector()
    db.use(injector)
    domain = await open_domain(db)
    character, chat, *_ = await _character_world(domain)
    before = {
        t: await domain.store.table(t).count() for t in ("chats", "messages", "lorebook_entries")
    }
    injector.fail_writes("chats", OSError("disk on fire"))  # after the messages went
    with pytest.raises(OSError):
        await domain.characters.delete(character.id)
    assert "messages" in injector.writes  # it got that far before failing
    after = {t: await domain.store.table(t).count() for t in before}
    assert after == before
    assert await domain.chats.get(chat.id) is not None
    domain.store.close()
    await db.delete()


async def test_deleting_a_module_deletes_its_entries_scripts_and_links(domain):
    module = await domain.modules.modules.create({"name": "M"})
    character = await domain.characters.create({"name": "Ada"})
    await domain.modules.links.attach(module.id, "character", character.id)
    await domain.lorebook.create({"level": "module", "scope_id": module.id})
    await domain.scripts.create(
        {"name": "s", "find": "x", "level": "module", "scope_id": module.id}
    )
    await domain.modules.modules.delete(module.id)
    assert await domain.lorebook.count() == 0
    assert await domain.scripts.count() == 0
    assert await domain.modules.links.count() == 0
    assert await domain.characters.get(character.id) is not None


async def test_deleting_a_persona_or_provider_config_clears_references_to_it(domain):
    persona = await domain.personas.create({"name": "Me"})
    other = await domain.personas.create({"name": "Other"})
    chat = await domain.chats.create({"persona_id": persona.id})
    kept = await domain.chats.create({"persona_id": other.id})
    await domain.settings.set("active_persona_id", persona.id)
    await domain.personas.delete(persona.id)
    assert (await domain.chats.require(chat.id)).persona_id is None
    assert (await domain.chats.require(kept.id)).persona_id == other.id
    assert await domain.settings.get("active_persona_id") is None

    config = await domain.providers.configs.create({"name": "C", "type": "x"})
    await domain.settings.set("default_provider_config_id", config.id)
    await domain.providers.configs.delete(config.id)
    assert await domain.settings.get("default_provider_config_id") is None


async def test_moving_a_message_to_another_chat_updates_both_previews(domain):
    a, b = await domain.chats.create({}), await domain.chats.create({})
    first = await domain.messages.create({"chat_id": a.id, "role": "user", "content": "one"})
    moved = await domain.messages.create({"chat_id": a.id, "role": "user", "content": "two"})
    await domain.messages.update(moved.id, {"chat_id": b.id})
    chat_a, chat_b = await domain.chats.require(a.id), await domain.chats.require(b.id)
    assert (chat_a.preview, chat_a.message_count, chat_a.last_message_id) == ("one", 1, first.id)
    assert (chat_b.preview, chat_b.message_count, chat_b.last_message_id) == ("two", 1, moved.id)
    with pytest.raises(InvalidDataError, match="chat_id: no chat with id 'ghost'"):
        await domain.messages.update(moved.id, {"chat_id": "ghost"})
    with pytest.raises(InvalidDataError, match="created_at: cannot be changed"):
        await domain.messages.update(moved.id, {"created_at": "2020-01-01T00:00:00Z"})


DELETES = [
    ("characters", "ada"),
    ("chats", "chat"),
    ("folders", "folder"),
    ("series", "saga"),
    ("stories.stories", "story"),
    ("stories.chapters", "chapter"),
    ("modules.modules", "module"),
    ("rules.rules", "rule"),
    ("rules.tags", "tag"),
    ("providers.api_keys", "key"),
    ("providers.configs", "config"),
    ("personas", "persona"),
    ("messages", "m2"),
]


@pytest.mark.parametrize(("path", "name"), DELETES, ids=[d[0] for d in DELETES])
async def test_every_delete_leaves_the_database_consistent(domain, path, name):
    from tests.domain._integrity import integrity_problems
    from tests.domain._populate import populate

    world = await populate(domain)
    assert await integrity_problems(domain) == []
    repo = domain
    for part in path.split("."):
        repo = getattr(repo, part)
    await repo.delete(getattr(world, name).id)
    assert await integrity_problems(domain) == []


async def test_the_integrity_check_sees_a_dangling_reference(domain):
    from tests.domain._integrity import integrity_problems

    await domain.store.table("messages").add(
        {"id": "m", "chat_id": "ghost", "role": "user", "created_at": "x", "updated_at": "x"}
    )
    assert await integrity_problems(domain) == ["messages[m].chat_id -> missing ghost"]
