"""Messages: alternatives ("swipes") stay in step with the content shown."""

from __future__ import annotations

import pytest

from app.domain import Alternative, InvalidDataError

RUN_IN_BROWSER = True


async def _chat(domain):
    character = await domain.characters.create({"name": "Aria"})
    return await domain.chats.create({"character_id": character.id})


async def test_a_message_without_alternatives_has_one_version(domain):
    chat = await _chat(domain)
    message = await domain.messages.create(
        {"chat_id": chat.id, "role": "assistant", "content": "Hi"}
    )
    assert message.alternatives == [] and message.selected == 0
    assert message.alternative_count == 1


async def test_adding_an_alternative_keeps_the_first_and_shows_the_new_one(domain):
    chat = await _chat(domain)
    message = await domain.messages.create(
        {"chat_id": chat.id, "role": "assistant", "content": "one"}
    )
    changes = message.adding_alternative("two", {"model": "m", "status": "done"})
    updated = await domain.messages.update(message.id, changes)
    assert updated.content == "two" and updated.selected == 1
    assert [a.content for a in updated.alternatives] == ["one", "two"]
    assert updated.alternatives[1].info == {"model": "m", "status": "done"}
    assert (await domain.chats.require(chat.id)).preview == "two"


async def test_selecting_an_alternative_brings_its_content(domain):
    chat = await _chat(domain)
    message = await domain.messages.create(
        {
            "chat_id": chat.id,
            "role": "assistant",
            "alternatives": [{"content": "a"}, {"content": "b"}, {"content": "c"}],
            "selected": 2,
        }
    )
    assert message.content == "c"  # the shown alternative decides a new message's content
    back = await domain.messages.update(message.id, message.selecting(0))
    assert back.content == "a" and back.selected == 0
    assert (await domain.chats.require(chat.id)).preview == "a"
    with pytest.raises(InvalidDataError, match="no alternative 3"):
        message.selecting(3)
    with pytest.raises(InvalidDataError, match="selected"):
        await domain.messages.update(message.id, {"selected": 5})
    assert (await domain.messages.require(message.id)).content == "a"


async def test_editing_the_content_edits_the_shown_alternative_only(domain):
    chat = await _chat(domain)
    message = await domain.messages.create(
        {
            "chat_id": chat.id,
            "role": "assistant",
            "alternatives": [Alternative(content="a"), Alternative(content="b")],
        }
    )
    edited = await domain.messages.update(message.id, {"content": "A!"})
    assert edited.content == "A!"
    assert [a.content for a in edited.alternatives] == ["A!", "b"]
    shown_b = await domain.messages.update(message.id, {"selected": 1})
    assert shown_b.content == "b"
    again = await domain.messages.update(message.id, {"selected": 0})
    assert again.content == "A!"


async def test_other_changes_leave_content_and_alternatives_alone(domain):
    chat = await _chat(domain)
    message = await domain.messages.create(
        {
            "chat_id": chat.id,
            "role": "assistant",
            "alternatives": [{"content": "a"}, {"content": "b"}],
        }
    )
    updated = await domain.messages.update(message.id, {"extensions": {"x": 1}})
    assert updated.content == "a" and [a.content for a in updated.alternatives] == ["a", "b"]


def test_selected_must_name_an_alternative():
    from app.domain import Message

    with pytest.raises(InvalidDataError, match="selected"):
        Message.parse({"chat_id": "c", "role": "user", "selected": 1})
    with pytest.raises(InvalidDataError, match="selected"):
        Message.parse(
            {"chat_id": "c", "role": "user", "alternatives": [{"content": "x"}], "selected": 1}
        )


async def test_latest_reads_the_newest_messages_of_a_chat(domain):
    chat = await _chat(domain)
    other = await _chat(domain)
    for i in range(6):
        await domain.messages.create({"chat_id": chat.id, "role": "user", "content": f"m{i}"})
        await domain.messages.create({"chat_id": other.id, "role": "user", "content": f"o{i}"})
    latest = await domain.messages.latest("[chat_id+created_at]", chat.id, 4)
    assert [m.content for m in latest] == ["m2", "m3", "m4", "m5"]
    assert [
        m.content for m in await domain.messages.latest("[chat_id+created_at]", chat.id, 50)
    ] == [f"m{i}" for i in range(6)]
