"""Messages: JSON content with a role; every write keeps the chat's preview in step."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, JsonValue, model_validator

from ._cascade import delete_cascading
from ._db_errors import translate_db_errors
from ._entity import Entity, Model
from ._entity_type import CONTEXT, EntityType, Ref, Shown
from ._errors import FieldError, InvalidDataError
from ._feature import Feature
from ._ids import format_utc
from ._repository import Repository
from ._store import Store

__all__ = [
    "FEATURE",
    "MESSAGE",
    "OPENING_MESSAGES",
    "PREVIEW_LENGTH",
    "Alternative",
    "Message",
    "MessageRepository",
    "Role",
    "preview_text",
    "refresh_chat_summary",
]

Role = Literal["user", "assistant", "system", "tool", "info", "error"]
PREVIEW_LENGTH = 200
#: How many of a chat's newest messages its level shows at once when opened (the rest
#: follows as soon as it is read).
OPENING_MESSAGES = 120


class Alternative(Model):
    """One version of a message (SillyTavern's "swipe"): its content, and how it was
    made (`info`: model, status "done" / "stopped" / "error", finish reason, ...)."""

    content: JsonValue = ""
    info: dict[str, JsonValue] = Field(default_factory=dict)


class Message(Entity):
    """A chat message. A message with alternatives shows `alternatives[selected]`, whose
    content is always `content` too (the repository keeps them in step), so everything
    that reads `content` (previews, the prompt, exports) reads the version shown."""

    chat_id: str = Field(min_length=1)
    role: Role
    content: JsonValue = ""
    name: str | None = None
    extensions: dict[str, Any] = Field(default_factory=dict)
    alternatives: list[Alternative] = Field(default_factory=list)
    selected: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _selected_exists(self) -> Message:
        if self.selected and self.selected >= len(self.alternatives):
            raise ValueError(f"selected: no alternative {self.selected}")
        return self

    @property
    def alternative_count(self) -> int:
        """How many versions the message has (1 when it has no alternatives)."""
        return max(1, len(self.alternatives))

    def adding_alternative(
        self, content: JsonValue, info: Mapping[str, JsonValue] | None = None
    ) -> dict[str, Any]:
        """The changes that add a version at the end and show it (the current content
        becomes the first alternative when there were none)."""
        versions = list(self.alternatives) or [Alternative(content=self.content)]
        versions.append(Alternative(content=content, info=dict(info or {})))
        return {
            "alternatives": [a.model_dump(mode="json") for a in versions],
            "selected": len(versions) - 1,
        }

    def selecting(self, index: int) -> dict[str, Any]:
        """The changes that show version `index` (0-based)."""
        if not 0 <= index < self.alternative_count:
            raise InvalidDataError([FieldError("selected", f"no alternative {index}")])
        return {"selected": index}


def _in_step(current: Mapping[str, Any] | None, changes: Mapping[str, Any]) -> dict[str, Any]:
    """`changes` completed so that `content` stays the shown alternative's content:
    a new `content` is written into the shown alternative; a new `selected` or new
    `alternatives` without `content` bring the shown alternative's content."""
    out = dict(changes)
    merged = {**(current or {}), **changes}
    versions = [_plain(v) for v in merged.get("alternatives") or ()]
    selected = merged.get("selected") or 0
    if not isinstance(selected, int) or not 0 <= selected < len(versions):
        return out  # no alternatives (or a bad index, which the model reports)
    shown = versions[selected]
    if "content" in changes:
        if shown.get("content") != changes["content"]:
            versions[selected] = {**shown, "content": changes["content"]}
            out["alternatives"] = versions
    elif "selected" in changes or "alternatives" in changes:
        out["content"] = shown.get("content", "")
    return out


def _plain(value: Any) -> dict[str, Any]:
    return value.model_dump(mode="json") if isinstance(value, Model) else dict(value)


def preview_text(content: JsonValue, limit: int = PREVIEW_LENGTH) -> str:
    """A one-line preview: the text of `content` (str, {"text": ...} or a list of parts)."""
    inner = content.get("text") if isinstance(content, dict) else None
    if isinstance(content, str):
        text = content
    elif isinstance(inner, str):
        text = inner
    elif isinstance(content, list):
        parts = [preview_text(p, limit) for p in content]
        text = " ".join(p for p in parts if p)
    elif content is None:
        text = ""
    else:
        text = json.dumps(content, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _summary_of(last: Mapping[str, Any] | None) -> dict[str, Any]:
    if last is None:
        return {"preview": "", "last_message_id": None, "last_message_at": None}
    return {
        "preview": preview_text(last.get("content")),
        "last_message_id": last["id"],
        "last_message_at": last["created_at"],
    }


async def refresh_chat_summary(store: Store, chat_id: str) -> bool:
    """Recompute a chat's preview, last message and count from its messages (without
    touching `updated_at`); True if the chat record changed. Used after bulk writes."""
    chats = store.table("chats")
    chat = await chats.get(chat_id)
    if chat is None:
        return False
    messages = await store.table("messages").where("chat_id").equals(chat_id).to_array()
    last = max(messages, key=lambda m: (m["created_at"], m["id"]), default=None)
    wanted = {**_summary_of(last), "message_count": len(messages)}
    if all(chat.get(k) == v for k, v in wanted.items()):
        return False
    await chats.put({**chat, **wanted})
    return True


class MessageRepository(Repository[Message]):
    """Message CRUD; the chat's `preview`, `last_message_*`, `message_count` and
    `updated_at` change in the same transaction as the message."""

    extra_write_tables = ("chats",)

    async def for_chat(self, chat_id: str) -> list[Message]:
        """The chat's messages, oldest first."""
        return sorted(await self.where("chat_id", chat_id), key=_oldest_first)

    async def _last_record(self, chat_id: str) -> dict[str, Any] | None:
        last: dict[str, Any] | None = await (
            self.table.where("[chat_id+created_at]")
            .between([chat_id, ""], [chat_id, "\uffff"], True, True)
            .reverse()
            .first()
        )
        return last

    async def _chat_record(self, chat_id: str) -> dict[str, Any]:
        chat: dict[str, Any] | None = await self.store.table("chats").get(chat_id)
        if chat is None:
            raise InvalidDataError([FieldError("chat_id", f"no chat with id {chat_id!r}")])
        return chat

    async def _save_chat(
        self, chat: dict[str, Any], *, summary: Mapping[str, Any] | None, count_delta: int
    ) -> None:
        """Write the chat back: new summary (None = unchanged), count, `updated_at`."""
        chat["message_count"] = max(0, int(chat.get("message_count") or 0) + count_delta)
        if summary is not None:
            chat.update(summary)
        chat["updated_at"] = format_utc(self.store.clock())
        await self.store.table("chats").put(chat)

    async def _resummarise(self, chat_id: str) -> dict[str, Any]:
        return _summary_of(await self._last_record(chat_id))

    async def create(self, data: Message | Mapping[str, Any]) -> Message:
        message = self._coerce(data)
        if message.alternatives:
            record = message.model_dump()
            message = self._coerce({**record, **_in_step(None, _without_content(record))})
        now = self.store.clock()
        message = message.model_copy(update={"created_at": now, "updated_at": now})
        record = message.to_record()
        async with translate_db_errors(), self.store.transaction("rw", *self.write_tables):
            if await self.table.get(message.id) is not None:
                raise InvalidDataError([FieldError("id", "a message with this id exists")])
            chat = await self._chat_record(message.chat_id)
            await self.table.add(record)
            newest = chat.get("last_message_id") is None or (
                record["created_at"],
                record["id"],
            ) >= (chat.get("last_message_at") or "", chat["last_message_id"])
            summary = _summary_of(record) if newest else await self._resummarise(message.chat_id)
            await self._save_chat(chat, summary=summary, count_delta=1)
        return message

    async def update(self, id: str, changes: Mapping[str, Any]) -> Message:
        self._check_changes(changes)  # `created_at` cannot change: the order is fixed
        async with translate_db_errors(), self.store.transaction("rw", *self.write_tables):
            before = await self.require(id)
            changes = _in_step(before.model_dump(), changes)
            if changes.get("chat_id", before.chat_id) != before.chat_id:
                return await self._move(before, changes)
            chat = await self._chat_record(before.chat_id)
            message = await self._apply_update(before, changes, check=False)
            is_last = chat.get("last_message_id") == message.id
            # only the last message shows in the preview; the chat is touched either way
            summary = _summary_of(message.to_record()) if is_last else None
            await self._save_chat(chat, summary=summary, count_delta=0)
            return message

    async def _move(self, before: Message, changes: Mapping[str, Any]) -> Message:
        """A message moved to another chat: both chats are summarised again."""
        message = await super().update(before.id, changes)
        for chat_id, delta in ((before.chat_id, -1), (message.chat_id, 1)):
            chat = await self._chat_record(chat_id)
            await self._save_chat(chat, summary=await self._resummarise(chat_id), count_delta=delta)
        return message

    @property
    def delete_tables(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.write_tables, *super().delete_tables)))

    async def delete(self, id: str) -> None:
        """Delete the message (and what it owns: its prompt reports); the chat's summary
        follows, in one transaction."""
        async with translate_db_errors(), self.store.transaction("rw", *self.delete_tables):
            message = await self.require(id)
            chat = await self._chat_record(message.chat_id)
            await delete_cascading(self.store, self.entity.kind, [id])
            was_last = chat.get("last_message_id") == id
            summary = await self._resummarise(message.chat_id) if was_last else None
            await self._save_chat(chat, summary=summary, count_delta=-1)


def _without_content(record: Mapping[str, Any]) -> dict[str, Any]:
    """A new message's fields that decide its content (the shown alternative's)."""
    return {k: record[k] for k in ("alternatives", "selected") if k in record}


def _oldest_first(message: Message) -> tuple[object, str]:
    return message.created_at, message.id


MESSAGE = EntityType(
    kind="message",
    table="messages",
    schema="id, chat_id, [chat_id+created_at]",
    model=Message,
    repository=MessageRepository,
    references=(Ref("chat_id", "chat", required=True, on_delete="cascade"),),
    section="chats",
    shown=(
        Shown(
            "messages",
            "chat",
            where={"chat_id": CONTEXT},
            order=_oldest_first,
            latest=("[chat_id+created_at]", OPENING_MESSAGES),
        ),
    ),
)


async def _refresh_imported_chats(store: Store, writes: Mapping[str, list[dict[str, Any]]]) -> None:
    """Chats and messages an import wrote: each chat's summary recomputed."""
    chat_ids = {m["chat_id"] for m in writes.get("messages", ())}
    chat_ids |= {c["id"] for c in writes.get("chats", ())}
    for chat_id in sorted(chat_ids):
        await refresh_chat_summary(store, chat_id)


FEATURE = Feature("messages", (MESSAGE,), after_import=_refresh_imported_chats)
