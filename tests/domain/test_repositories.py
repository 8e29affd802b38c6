"""Every repository against the memory backend: CRUD, timestamps, validation, errors."""

import pytest

from app.domain import InvalidDataError, NotFoundError

RUN_IN_BROWSER = True


async def _story(d):
    return await d.stories.stories.create({"title": "Dune"})


async def _chapter(d):
    story = await _story(d)
    return await d.stories.chapters.create({"story_id": story.id, "title": "One"})


# repo path, make valid data (may create parents), changes, invalid data, field named
CASES = [
    ("personas", lambda d: {"name": "Me"}, {"description": "x"}, {"name": ""}, "name"),
    ("characters", lambda d: {"name": "Ada"}, {"scenario": "s"}, {"tags": "x"}, "tags"),
    (
        "presets",
        lambda d: {"name": "P"},
        {"template": "t"},
        {"name": "P", "parameters": 1},
        "parameters",
    ),
    (
        "modules.modules",
        lambda d: {"name": "M"},
        {"description": "d"},
        {"name": "M", "enabled": "maybe"},
        "enabled",
    ),
    ("plugins", lambda d: {"name": "P"}, {"enabled": False}, {"name": "P", "config": []}, "config"),
    (
        "scripts",
        lambda d: {"name": "S", "find": "a"},
        {"replace": "b"},
        {"name": "S", "find": "(", "is_regex": True},
        "find",
    ),
    (
        "folders",
        lambda d: {"name": "F", "kind": "chat"},
        {"name": "G"},
        {"name": "F", "kind": "planet"},
        "kind",
    ),
    (
        "rules.rules",
        lambda d: {"name": "R"},
        {"content": "c"},
        {"name": "R", "type": "never"},
        "type",
    ),
    ("rules.tags", lambda d: {"name": "T"}, {"color": "#fff"}, {"name": 5}, "name"),
    (
        "providers.api_keys",
        lambda d: {"name": "K", "value": "sk-1"},
        {"name": "K2"},
        {"name": "K"},
        "value",
    ),
    (
        "providers.configs",
        lambda d: {"name": "C", "type": "openai"},
        {"models": ["m"]},
        {"name": "C"},
        "type",
    ),
    (
        "sync_targets",
        lambda d: {"name": "S", "url": "https://x"},
        {"enabled": False},
        {"name": "S", "url": "x", "kind": "ftp"},
        "kind",
    ),
    ("chats", lambda d: {"title": "c"}, {"title": "d"}, {"message_count": -1}, "message_count"),
    ("series", lambda d: {"name": "S"}, {"description": "d"}, {"description": "no name"}, "name"),
    ("stories.stories", lambda d: {"title": "T"}, {"synopsis": "s"}, {"title": ""}, "title"),
    (
        "lorebook",
        lambda d: {"level": "global", "keys": ["k"]},
        {"content": "c"},
        {"level": "global", "probability": 101},
        "probability",
    ),
]


def _repo(domain, path):
    repo = domain
    for part in path.split("."):
        repo = getattr(repo, part)
    return repo


@pytest.mark.parametrize(
    ("path", "make", "changes", "invalid", "field"), CASES, ids=[c[0] for c in CASES]
)
async def test_crud(domain, clock, path, make, changes, invalid, field):
    repo = _repo(domain, path)
    created = await repo.create(make(domain))
    assert created.created_at == created.updated_at
    assert await repo.get(created.id) == created
    assert created.id in [e.id for e in await repo.list()]

    updated = await repo.update(created.id, changes)
    assert updated.created_at == created.created_at
    assert updated.updated_at > created.updated_at
    assert await repo.require(created.id) == updated

    with pytest.raises(InvalidDataError) as info:
        await repo.create(invalid)
    assert field in {e.path for e in info.value.errors}
    assert f"{field}:" in str(info.value)

    await repo.delete(created.id)
    assert await repo.get(created.id) is None
    with pytest.raises(NotFoundError, match="no longer exists"):
        await repo.delete(created.id)
    with pytest.raises(NotFoundError):
        await repo.update(created.id, changes)


@pytest.mark.parametrize(
    ("path", "parent"),
    [("stories.chapters", "story"), ("stories.scene_beats", "chapter")],
)
async def test_crud_of_story_parts(domain, path, parent):
    repo = _repo(domain, path)
    if parent == "story":
        story = await _story(domain)
        data = {"story_id": story.id, "title": "One"}
    else:
        chapter = await _chapter(domain)
        data = {"story_id": chapter.story_id, "chapter_id": chapter.id}
    created = await repo.create(data)
    updated = await repo.update(created.id, {"order": 3})
    assert updated.order == 3 and updated.updated_at > created.updated_at
    with pytest.raises(InvalidDataError, match="story_id: no story with id 'nope'"):
        await repo.create({**data, "story_id": "nope"})
    await repo.delete(created.id)
    assert await repo.count() == 0


async def test_ids_are_uuid7_and_client_ids_are_kept(domain):
    made = await domain.characters.create({"name": "Ada"})
    assert made.id[14] == "7"
    fixed = await domain.characters.create({"id": "my-id", "name": "Bob"})
    assert fixed.id == "my-id"
    with pytest.raises(InvalidDataError, match="id: a character with this id exists"):
        await domain.characters.create({"id": "my-id", "name": "Bob"})


async def test_id_and_created_at_cannot_be_changed(domain):
    made = await domain.characters.create({"name": "Ada"})
    with pytest.raises(InvalidDataError, match="id: cannot be changed"):
        await domain.characters.update(made.id, {"id": "other"})


async def test_updates_name_real_fields(domain):
    entry = await domain.lorebook.create({"level": "global", "vectorized": 2})
    assert entry.extensions == {"vectorized": 2}  # unknown input fields are kept on create
    with pytest.raises(InvalidDataError, match="contnet: unknown field"):
        await domain.lorebook.update(entry.id, {"contnet": "typo"})
    with pytest.raises(InvalidDataError, match="nmae: unknown field"):
        await domain.characters.update(
            (await domain.characters.create({"name": "A"})).id, {"nmae": "B"}
        )


async def test_references_must_exist(domain):
    with pytest.raises(InvalidDataError, match="folder_id: no folder with id 'f'"):
        await domain.characters.create({"name": "Ada", "folder_id": "f"})
    with pytest.raises(InvalidDataError, match="chat_id: no chat with id 'c'"):
        await domain.messages.create({"chat_id": "c", "role": "user"})
    with pytest.raises(InvalidDataError, match="api_key_id: no API key with id 'k'"):
        await domain.providers.configs.create({"name": "C", "type": "x", "api_key_id": "k"})


async def test_save_creates_then_replaces(domain):
    from app.domain import Persona

    persona = Persona(name="Me")
    saved = await domain.personas.save(persona)
    again = await domain.personas.save(saved.model_copy(update={"description": "d"}))
    assert again.id == persona.id and again.description == "d"
    assert again.created_at == saved.created_at and again.updated_at > saved.updated_at


async def test_settings_are_typed_with_defaults(domain):
    settings = domain.settings
    assert await settings.get("theme") == "system"
    assert await settings.set("font_size", "18") == 18
    assert await settings.get("font_size") == 18
    with pytest.raises(
        InvalidDataError, match="font_size: Input should be less than or equal to 48"
    ):
        await settings.set("font_size", 100)
    with pytest.raises(InvalidDataError, match="colour: unknown setting"):
        await settings.set("colour", "red")
    with pytest.raises(InvalidDataError, match="theme:"):
        await settings.set_many({"language": "de", "theme": "neon"})
    assert await settings.get("language") == "en"  # nothing of the bad batch was written
    await settings.set("ext.my-plugin", {"a": [1, 2]})
    assert (await settings.raw())["ext.my-plugin"] == {"a": [1, 2]}
    all_settings = await settings.all()
    assert all_settings.font_size == 18 and all_settings.theme == "system"
    await settings.reset("font_size")
    assert await settings.get("font_size") == 16


async def test_module_links_and_rule_links(domain):
    character = await domain.characters.create({"name": "Ada"})
    module = await domain.modules.modules.create({"name": "M"})
    link = await domain.modules.links.attach(module.id, "character", character.id)
    assert await domain.modules.links.attach(module.id, "character", character.id) == link
    assert await domain.modules.links.detach(module.id, "character", character.id) == 1
    with pytest.raises(InvalidDataError, match="target_id: no character"):
        await domain.modules.links.attach(module.id, "character", "ghost")

    rule = await domain.rules.rules.create({"name": "R"})
    tag = await domain.rules.tags.create({"name": "T"})
    first = await domain.rules.links.link(tag.id, rule.id)
    assert await domain.rules.links.link(tag.id, rule.id) == first
    assert await domain.rules.links.rules_for_tag(tag.id) == [rule.id]
    assert await domain.rules.links.tags_for_rule(rule.id) == [tag.id]
    assert await domain.rules.links.unlink(tag.id, rule.id) == 1


async def test_load_many_is_load_of_each_and_names_a_bad_record(domain):
    made = [await domain.characters.create({"name": n}) for n in ("Ada", "Bo", "Cy")]
    records = [m.to_record() for m in made]
    assert domain.characters.load_many(records) == [domain.characters.load(r) for r in records]
    bad = [records[0], {**records[1], "tags": "x"}, records[2]]
    with pytest.raises(InvalidDataError) as caught:
        domain.characters.load_many(bad)
    assert any(f"characters[{records[1]['id']!r}]" in e.path for e in caught.value.errors)
