"""The library's import pipeline: detect, read, describe, plan, write with progress and
cancel — and bad files refused with the record named, writing nothing."""

from __future__ import annotations

import json

import pytest

from app.domain import InvalidDataError, open_domain
from app.domain.library import (
    CancelToken,
    ImportCancelled,
    ImportChoice,
    Importer,
    LoreScope,
    plural,
    read_file,
)
from app.lore import formats
from tests.domain._files import SAMPLES, as_bytes, world_info
from tests.domain._support import FakeClock, FaultInjector, dump_tables, memory_db
from tests.lore._samples import card_v2

RUN_IN_BROWSER = True


async def nothing_written(domain) -> bool:
    return all(not rows for rows in (await dump_tables(domain.store.db)).values())


@pytest.fixture
async def importer(domain):
    return Importer(domain)


# -- detection ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_supported_kind_is_recognised_and_described(name):
    data, filename, kind, label, title, summary = SAMPLES[name]
    incoming = read_file(data, filename)
    assert (incoming.kind, incoming.format, incoming.title) == (kind, label, title)
    assert incoming.summary() == summary
    assert incoming.scoped == (kind == "lorebook")


async def test_lorekeeper_exports_are_recognised(domain):
    character = await domain.characters.create({"name": "Ada"})
    chat = await domain.chats.create({"character_id": character.id, "title": "Talk"})
    await domain.messages.create({"chat_id": chat.id, "role": "user", "content": "Hi"})
    series = await domain.series.create({"name": "Saga"})
    story = await domain.stories.stories.create({"title": "Book", "series_id": series.id})
    await domain.stories.chapters.create({"story_id": story.id, "title": "One"})
    await domain.lorebook.create({"level": "global", "name": "g", "keys": ["g"]})
    t = domain.transfer
    expected = {
        "backup": (await t.export_full(), "Lorekeeper full backup", "lorekeeper-backup"),
        "story": (await t.export_story(story.id), "Lorekeeper story", "Book"),
        "series": (await t.export_series(series.id), "Lorekeeper series", "Saga"),
        "chat": (await t.export_chat(chat.id), "Lorekeeper chat", "Talk"),
        "global-lorebook": (
            await t.export_global_lorebook(),
            "Lorekeeper global lorebook",
            "lorekeeper-lorebook",
        ),
    }
    for kind, (data, label, title) in expected.items():
        incoming = read_file(as_bytes(data), f"{title}.json")
        assert (incoming.kind, incoming.format, incoming.title) == (kind, label, title)
        assert incoming.scoped == (kind == "global-lorebook")
    story_file = read_file(as_bytes(expected["story"][0]), "x.json")
    assert story_file.summary() == ["1 series", "1 story", "1 chapter"]


def test_plural_names_each_kind():
    assert plural("story", 3) == "3 stories"
    assert plural("series", 2) == "2 series"
    assert plural("lorebook entry", 1) == "1 lorebook entry"
    assert plural("key", 2) == "2 keys"


# -- bad and hostile files -----------------------------------------------------------------------
def error_of(data: bytes, filename: str = "file.json") -> str:
    with pytest.raises(InvalidDataError) as info:
        read_file(data, filename)
    return str(info.value)


def test_bad_files_are_refused_with_a_readable_reason():
    assert error_of(b"") == "the file is empty"
    assert error_of(b"{oops").startswith("malformed JSON: Expecting property name")
    assert error_of(b'{"hello": 1}') == "not a recognised lorebook or character card file"
    assert error_of(b"[1, 2]").startswith("expected a JSON object at the top level")
    assert error_of(as_bytes({"spec": "chara_card_v9", "data": {}})) == (
        "unsupported spec 'chara_card_v9'"
    )
    assert error_of(b"\xff\xfe{}").startswith("file is not UTF-8 text")
    assert error_of(formats.tiny_png(), "pic.png").startswith("PNG has no character card")
    assert error_of(b"\x89PNG\r\n\x1a\nbroken", "pic.png").startswith("truncated PNG")


def test_hostile_files_are_refused():
    huge = card_v2()
    huge["data"]["description"] = "x" * (40 * 1024 * 1024)
    assert error_of(as_bytes(huge)) == "JSON larger than 32 MB"
    deep = card_v2()
    deep["data"]["extensions"]["deep"] = json.loads("[" * 500 + "]" * 500)
    assert error_of(as_bytes(deep)).startswith("JSON nested deeper than")
    bad_chunk = formats.write_text_chunks(formats.tiny_png(), {"chara": "not base64!"})
    assert error_of(bad_chunk, "card.png") == "PNG 'chara' chunk is not valid base64"


def test_a_bad_record_is_named():
    world = world_info(3)
    world["entries"]["1"]["key"] = "fine"  # a comma-separated string is allowed
    world["entries"]["2"]["probability"] = 250
    message = error_of(as_bytes(world))
    assert message.startswith("entries['2']") and "probability: must be 0-100" in message
    card = card_v2()
    card["data"]["name"] = ""
    assert error_of(as_bytes(card)) == "data.name: a character card needs a name"


async def test_a_bad_lorekeeper_record_is_named_and_nothing_is_written(domain, importer):
    await domain.lorebook.create({"level": "global", "name": "g", "keys": ["g"]})
    data = await domain.transfer.export_global_lorebook()
    data["lorebook_entries"][0]["probability"] = 101
    with pytest.raises(InvalidDataError) as info:
        await importer.describe(as_bytes(data), "g.json")
    assert str(info.value).startswith("lorebook_entries[0].probability:")


# -- scope, conflicts, what exists -------------------------------------------------------------------
async def test_a_lorebook_goes_to_the_chosen_scope(domain, importer):
    story = await domain.stories.stories.create({"title": "Book"})
    incoming = await importer.describe(as_bytes(world_info(3)), "w.json")
    report = await importer.run(incoming, ImportChoice(scope=LoreScope("story", story.id)))
    assert report.written == {"lorebook_entries": 3}
    entries = await domain.lorebook.by_level("story", story.id)
    assert sorted(e.name for e in entries) == ["Entry 0", "Entry 1", "Entry 2"]
    assert await domain.lorebook.by_level("global") == []


async def test_a_lorebook_goes_to_global_unless_chosen(domain, importer):
    incoming = await importer.describe(SAMPLES["novelai"][0], "kael.json")
    await importer.run(incoming)
    assert len(await domain.lorebook.by_level("global")) == 2


async def test_a_scope_that_does_not_exist_is_refused_and_nothing_is_written(domain, importer):
    incoming = await importer.describe(as_bytes(world_info(2)), "w.json")
    with pytest.raises(InvalidDataError) as info:
        await importer.run(incoming, ImportChoice(scope=LoreScope("story", "ghost")))
    assert str(info.value) == "scope: the story to import into no longer exists"
    with pytest.raises(InvalidDataError, match="choose which series"):
        await importer.run(incoming, ImportChoice(scope=LoreScope("series")))
    assert await nothing_written(domain)


async def test_existing_ids_are_counted_and_the_policy_applies(domain, importer):
    first = await domain.lorebook.create({"level": "global", "name": "one", "keys": ["a"]})
    await domain.lorebook.create({"level": "global", "name": "two", "keys": ["b"]})
    data = as_bytes(await domain.transfer.export_global_lorebook())
    await domain.lorebook.update(first.id, {"name": "edited"})

    incoming = await importer.describe(data, "g.json")
    assert incoming.existing == {"lorebook_entries": 2}
    report = await importer.run(incoming, ImportChoice(on_conflict="skip"))
    assert report.skipped_existing == {"lorebook_entries": 2}
    assert (await domain.lorebook.get(first.id)).name == "edited"

    await importer.run(incoming, ImportChoice(on_conflict="overwrite"))
    assert (await domain.lorebook.get(first.id)).name == "one"

    report = await importer.run(incoming, ImportChoice(on_conflict="copy"))
    assert report.copied == {"lorebook_entries": 2}
    names = sorted(e.name for e in await domain.lorebook.by_level("global"))
    assert names == ["one", "one", "two", "two"]


async def test_a_global_lorebook_file_can_go_to_another_scope(domain, importer):
    await domain.lorebook.create({"level": "global", "name": "one", "keys": ["a"]})
    data = as_bytes(await domain.transfer.export_global_lorebook())
    series = await domain.series.create({"name": "Saga"})
    incoming = await importer.describe(data, "g.json")
    await importer.run(
        incoming, ImportChoice(scope=LoreScope("series", series.id), on_conflict="copy")
    )
    moved = await domain.lorebook.by_level("series", series.id)
    assert [e.name for e in moved] == ["one"]


# -- cards ----------------------------------------------------------------------------------------
async def test_a_card_becomes_a_character_with_its_lorebook(domain, importer):
    incoming = await importer.describe(SAMPLES["ccv3_png"][0], "sera.png")
    report = await importer.run(incoming)
    assert report.written == {"characters": 1, "lorebook_entries": 3}
    [character] = await domain.characters.list()
    assert character.name == "Seraphina" and character.first_message == "You're awake!"
    assert character.avatar.startswith("data:image/png;base64,")
    entries = await domain.lorebook.by_level("character", character.id)
    assert len(entries) == 3


async def test_a_card_whose_entries_fail_to_write_leaves_no_character(db, clock):
    injector = FaultInjector()
    db.use(injector)
    domain = await open_domain(db, clock=clock)
    injector.fail_writes("lorebook_entries", RuntimeError("disk on fire"))
    importer = Importer(domain)
    incoming = await importer.describe(SAMPLES["ccv2"][0], "sera.json")
    with pytest.raises(RuntimeError, match="disk on fire"):
        await importer.run(incoming)
    assert await nothing_written(domain)
    domain.store.close()


# -- progress and cancel ----------------------------------------------------------------------------
async def test_progress_is_reported_between_chunks(importer):
    incoming = await importer.describe(as_bytes(world_info(1200)), "w.json")
    seen: list[tuple[int, int]] = []
    await importer.run(incoming, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 1200), (500, 1200), (1000, 1200), (1200, 1200)]


async def test_cancel_midway_writes_nothing(domain, importer):
    incoming = await importer.describe(as_bytes(world_info(1200)), "w.json")
    token = CancelToken()
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        if done >= 500:
            token.cancel()  # as the Cancel button does while the bar moves

    with pytest.raises(ImportCancelled, match="nothing was written"):
        await importer.run(incoming, progress=progress, cancel=token)
    assert seen == [0, 500]
    assert await nothing_written(domain)


async def test_cancel_before_writing_writes_nothing(domain, importer):
    incoming = await importer.describe(as_bytes(world_info(3)), "w.json")
    token = CancelToken()
    token.cancel()
    with pytest.raises(ImportCancelled):
        await importer.run(incoming, cancel=token)
    assert await nothing_written(domain)


async def test_the_same_file_imports_again_after_a_cancel(domain, importer):
    incoming = await importer.describe(as_bytes(world_info(600)), "w.json")
    token = CancelToken()
    with pytest.raises(ImportCancelled):
        await importer.run(incoming, progress=lambda d, t: d and token.cancel(), cancel=token)
    report = await importer.run(incoming)
    assert report.written == {"lorebook_entries": 600}


# -- warnings -----------------------------------------------------------------------------------------
def test_warnings_say_what_will_not_work_as_expected():
    world = world_info(3)
    world["entries"]["0"].update(key=[], constant=False)
    world["entries"]["1"]["disable"] = True
    incoming = read_file(as_bytes(world), "w.json")
    assert incoming.warnings == [
        "1 entry has no keys and is not constant, so it will never activate (first: Entry 0).",
        "1 entry will be imported switched off (disabled).",
    ]


async def test_a_full_backup_into_an_empty_library_gives_the_same_tables(domain):
    from tests.domain._populate import populate

    await populate(domain)
    data = as_bytes(await domain.transfer.export_full(include_secrets=True))
    target_db = memory_db()
    target = await open_domain(target_db, clock=FakeClock())
    try:
        incoming = await Importer(target).describe(data, "backup.json")
        assert "This backup holds API keys" in incoming.warnings[0]
        await Importer(target).run(incoming)
        assert await dump_tables(target_db) == await dump_tables(domain.store.db)
    finally:
        target.store.close()
        await target_db.delete()


@pytest.mark.parametrize("name", ["st", "lorebook_v3", "novelai", "agnai", "ccv3"])
def test_imported_entries_are_in_the_models_own_json_form(name):
    from app.domain import LorebookEntry

    data, filename, *_ = SAMPLES[name]
    for item in read_file(data, filename).items:
        if item.table == "lorebook_entries":
            canonical = LorebookEntry.model_validate(item.record).model_dump(mode="json")
            assert item.record == canonical
