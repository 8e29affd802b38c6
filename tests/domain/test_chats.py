"""Chats: starting one with the character's greetings, and branching one."""

from __future__ import annotations

import pytest

from app.domain import InvalidDataError, NotFoundError

RUN_IN_BROWSER = True


async def test_start_opens_with_the_first_message_and_greetings_as_alternatives(domain):
    aria = await domain.characters.create(
        {
            "name": "Aria",
            "first_message": "Hello, {{user}}.",
            "alternate_greetings": ["Hey there.", "  ", "Good evening."],
        }
    )
    chat = await domain.chats.start(aria.id)
    assert chat.character_id == aria.id and chat.message_count == 1
    [greeting] = await domain.messages.for_chat(chat.id)
    assert greeting.role == "assistant" and greeting.name == "Aria"
    assert greeting.content == "Hello, {{user}}."  # placeholders are filled when shown and sent
    assert [a.content for a in greeting.alternatives] == [
        "Hello, {{user}}.",
        "Hey there.",
        "Good evening.",
    ]
    assert chat.preview == "Hello, {{user}}."


async def test_start_without_greetings_is_an_empty_chat(domain):
    quiet = await domain.characters.create({"name": "Quiet"})
    chat = await domain.chats.start(quiet.id, {"title": "Notes"})
    assert chat.title == "Notes" and chat.message_count == 0
    assert await domain.messages.for_chat(chat.id) == []


async def test_start_with_only_alternate_greetings_uses_the_first_of_them(domain):
    c = await domain.characters.create({"name": "C", "alternate_greetings": ["Yo."]})
    chat = await domain.chats.start(c.id)
    [greeting] = await domain.messages.for_chat(chat.id)
    assert greeting.content == "Yo." and greeting.alternatives == []


async def test_start_for_a_missing_character_writes_nothing(domain):
    with pytest.raises(NotFoundError):
        await domain.chats.start("nobody")
    assert await domain.chats.count() == 0


async def _conversation(domain, n=5):
    aria = await domain.characters.create({"name": "Aria"})
    chat = await domain.chats.create({"character_id": aria.id, "title": "Tea"})
    messages = []
    for i in range(n):
        role = "user" if i % 2 else "assistant"
        messages.append(
            await domain.messages.create({"chat_id": chat.id, "role": role, "content": f"m{i}"})
        )
    return aria, chat, messages


async def test_branch_copies_the_conversation_up_to_the_message(domain):
    aria, chat, messages = await _conversation(domain)
    swiped = await domain.messages.update(
        messages[2].id, messages[2].adding_alternative("m2 again")
    )
    await domain.prompt_reports.record(messages[2].id, chat.id, 1, {"total_tokens": 7})
    await domain.prompt_reports.record(messages[4].id, chat.id, 0, {"total_tokens": 9})
    entry = await domain.lorebook.create(
        {"level": "chat", "scope_id": chat.id, "name": "Cup", "keys": ["tea"]}
    )

    branch = await domain.chats.branch(chat.id, messages[2].id)

    assert branch.id != chat.id and branch.character_id == aria.id
    assert branch.title == "Tea (branch at message 3)"
    assert branch.branched_from_chat_id == chat.id
    assert branch.branched_from_message_id == messages[2].id
    copied = await domain.messages.for_chat(branch.id)
    assert [m.content for m in copied] == ["m0", "m1", "m2 again"]
    assert [m.created_at for m in copied] == [m.created_at for m in messages[:2]] + [
        swiped.created_at
    ]
    assert copied[2].alternatives == swiped.alternatives and copied[2].selected == 1
    assert not {m.id for m in copied} & {m.id for m in messages}
    assert branch.message_count == 3 and branch.preview == "m2 again"
    assert branch.last_message_id == copied[2].id
    report = await domain.prompt_reports.for_message(copied[2].id, 1)
    assert (
        report is not None and report.chat_id == branch.id and report.report == {"total_tokens": 7}
    )
    assert await domain.prompt_reports.count() == 3  # the report of message 5 stayed behind
    [copied_entry] = await domain.lorebook.where("scope_id", branch.id)
    assert copied_entry.name == "Cup" and copied_entry.id != entry.id
    # the original is untouched
    assert [m.content for m in await domain.messages.for_chat(chat.id)] == [
        "m0",
        "m1",
        "m2 again",
        "m3",
        "m4",
    ]


async def test_branch_of_an_untitled_chat_and_deleting_the_origin(domain):
    aria = await domain.characters.create({"name": "Aria"})
    chat = await domain.chats.create({"character_id": aria.id})
    first = await domain.messages.create({"chat_id": chat.id, "role": "assistant", "content": "hi"})
    branch = await domain.chats.branch(chat.id, first.id)
    assert branch.title == "Branch at message 1"
    await domain.chats.delete(chat.id)
    kept = await domain.chats.require(branch.id)
    assert kept.branched_from_chat_id is None  # cleared, the branch lives on
    assert [m.content for m in await domain.messages.for_chat(branch.id)] == ["hi"]


async def test_branch_at_a_message_of_another_chat_writes_nothing(domain):
    _, chat, _ = await _conversation(domain, 2)
    _, _other, other_messages = await _conversation(domain, 1)
    before = await domain.chats.count()
    with pytest.raises(InvalidDataError, match="message_id"):
        await domain.chats.branch(chat.id, other_messages[0].id)
    with pytest.raises(NotFoundError):
        await domain.chats.branch("gone", other_messages[0].id)
    assert await domain.chats.count() == before
