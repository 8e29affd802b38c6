"""Prompt reports: one per message version, deleted with the message, never synced."""

from __future__ import annotations

from app.domain import default_registry

RUN_IN_BROWSER = True


async def _message(domain):
    character = await domain.characters.create({"name": "Aria"})
    chat = await domain.chats.create({"character_id": character.id})
    message = await domain.messages.create(
        {"chat_id": chat.id, "role": "assistant", "content": "Hi"}
    )
    return chat, message


async def test_record_keeps_one_report_per_version(domain):
    chat, message = await _message(domain)
    reports = domain.prompt_reports
    assert await reports.for_message(message.id) is None
    await reports.record(message.id, chat.id, 0, {"total_tokens": 10})
    await reports.record(message.id, chat.id, 0, {"total_tokens": 12})  # a Continue
    await reports.record(message.id, chat.id, 1, {"total_tokens": 30})
    first = await reports.for_message(message.id, 0)
    assert first is not None and first.report == {"total_tokens": 12}
    second = await reports.for_message(message.id, 1)
    assert second is not None and second.report == {"total_tokens": 30}
    assert await reports.count() == 2


async def test_reports_go_with_their_message_and_chat(domain):
    chat, message = await _message(domain)
    await domain.prompt_reports.record(message.id, chat.id, 0, {"a": 1})
    other = await domain.messages.create({"chat_id": chat.id, "role": "assistant", "content": "Yo"})
    await domain.prompt_reports.record(other.id, chat.id, 0, {"b": 2})
    await domain.messages.delete(message.id)
    assert [r.message_id for r in await domain.prompt_reports.list()] == [other.id]
    await domain.chats.delete(chat.id)
    assert await domain.prompt_reports.count() == 0


def test_reports_never_sync():
    registry = default_registry()
    assert "prompt_reports" not in registry.synced
    assert "messages" in registry.synced
