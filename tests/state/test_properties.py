"""Model-based test: random navigation racing random writes keeps the cache coherent.

Operations start in order; some writes and loads are held mid-flight and released
later, so navigation overtakes them. Checked throughout: no store ever shows
another context's records. Checked at the end: every shown level equals a fresh
load of its context (nothing lost, nothing stale), and the database holds every write.
"""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.reactive import derived
from app.state import LOADED, AppState, Level
from tests._wait import turns
from tests.state._memory_backend import MemoryBackend
from tests.state.conftest import seed

CHATS = ["a1", "a2", "b1", "solo"]
CHARACTERS = ["alice", "bob"]

operation = st.one_of(
    st.tuples(st.just("open_chat"), st.sampled_from(CHATS)),
    st.tuples(st.just("open_character"), st.sampled_from(CHARACTERS)),
    st.tuples(st.just("close_chat"), st.none()),
    st.tuples(st.just("close_character"), st.none()),
    st.tuples(st.just("load_lists"), st.none()),
    st.tuples(st.just("add_message"), st.sampled_from(CHATS)),
    st.tuples(st.just("create_chat"), st.sampled_from(CHARACTERS)),
    st.tuples(st.just("rename"), st.sampled_from(CHARACTERS)),
    st.tuples(st.just("delete_last_message"), st.sampled_from(CHATS)),
    st.tuples(st.just("retitle_chat"), st.sampled_from(CHATS)),
    st.tuples(st.just("delete_chat"), st.sampled_from(CHATS)),
    st.tuples(st.just("other_tab_message"), st.sampled_from(CHATS)),
)
step = st.tuples(operation, st.booleans())  # (operation, hold it mid-flight)

_HELD = {
    "open_chat": "load_chat",
    "open_character": "load_character",
    "load_lists": "load_lists",
    "add_message": "create",
    "create_chat": "create",
    "rename": "update",
    "delete_last_message": "delete",
    "retitle_chat": "update",
    "delete_chat": "delete",
}


def by_id(items: list[Any]) -> list[Any]:
    return sorted(items, key=lambda item: item["id"])


async def scenario(steps: list[tuple[tuple[str, Any], bool]]) -> None:
    backend = await MemoryBackend.open()
    await seed(backend)
    state = AppState(backend)
    await state.load_global()
    await state.load_lists()
    violations: list[str] = []

    def check_messages(values: list[Any]) -> None:
        chat_id, messages = values
        if any(m["chat_id"] != chat_id for m in messages):
            violations.append(f"messages of another chat shown in {chat_id}")

    def check_chats(values: list[Any]) -> None:
        character_id, chats = values
        if any(c["character_id"] != character_id for c in chats):
            violations.append(f"chats of another character shown in {character_id}")

    watchers = [
        derived([state.active_chat_id, state.messages], lambda v: v).subscribe(check_messages),
        derived([state.active_character_id, state.chats], lambda v: v).subscribe(check_chats),
    ]
    tasks: list[asyncio.Future[Any]] = []
    gates: list[asyncio.Event] = []
    written: list[str] = []
    deleted: set[str] = set()
    counter = 0

    async def run(name: str, arg: Any) -> None:
        nonlocal counter
        counter += 1
        if name == "open_chat":
            try:
                await state.open_chat(arg)
            except LookupError:  # deleted meanwhile: the level stays empty
                assert await backend.t("chats").get(arg) is None
        elif name == "open_character":
            await state.open_character(arg)
        elif name == "close_chat":
            state.close_chat()
        elif name == "close_character":
            state.close_character()
        elif name == "load_lists":
            await state.load_lists()
        elif name == "add_message":
            message = await state.add_message(arg, {"role": "user", "content": f"m{counter}"})
            written.append(message["id"])
        elif name == "create_chat":
            await state.create_chat(arg, {"title": f"c{counter}", "preview": ""})
        elif name == "rename":
            await state.rename_character(arg, f"{arg}-{counter}")
        elif name == "delete_last_message":
            messages = await backend.t("messages").where("chat_id").equals(arg).to_array()
            if messages:
                last = max(messages, key=lambda m: m["seq"])
                deleted.add(last["id"])
                await state.delete_message(last["id"])
        elif name == "retitle_chat":
            if await backend.t("chats").get(arg) is not None:
                try:
                    await state.update("chat", arg, {"title": f"t{counter}"})
                except TypeError:  # deleted while this update was on its way
                    pass
        elif name == "delete_chat":
            if await backend.t("chats").get(arg) is not None:
                for message in await backend.t("messages").where("chat_id").equals(arg).to_array():
                    deleted.add(message["id"])
                await state.delete_chat(arg)
        elif name == "other_tab_message":
            if await backend.t("chats").get(arg) is not None:
                seq = next(backend._seq)
                await backend.t("messages").put(
                    {"id": f"ext{counter}", "chat_id": arg, "seq": seq, "content": "ext"}
                )
                await backend._sync_chat(arg)
                await asyncio.gather(*backend.simulate_other_tab(["messages", "chats"]))

    for (name, arg), hold in steps:
        if hold and name in _HELD:
            gates.append(backend.hold(_HELD[name]))
        tasks.append(asyncio.ensure_future(run(name, arg)))
        await turns(3)  # let the step start before the next one (interleaving, not waiting)
        if gates and len(gates) % 2 == 0:
            gates.pop(0).set()  # release older held calls while newer ones still wait
    while gates:
        gates.pop(0).set()
        await turns(1)
    for gate_list in backend._gates.values():  # gates registered but never reached
        for gate in gate_list:
            gate.set()
    await asyncio.gather(*tasks)

    assert violations == []
    for message_id in set(written) - deleted:
        assert await backend.t("messages").get(message_id) is not None, "a write was lost"

    character = state.context(Level.CHARACTER)
    chat = state.context(Level.CHAT)
    from app.reactive import get

    lists = await backend.load(Level.LISTS, LOADED)
    for name, value in lists.items():
        assert by_id(get(getattr(state, name))) == by_id(value), name
    if character is not None:
        fresh = await backend.load(Level.CHARACTER, character)
        for name, value in fresh.items():
            shown = get(getattr(state, name))
            if isinstance(value, list):
                assert by_id(shown) == by_id(value), name
            else:
                assert shown == value, name
    else:
        assert get(state.chats) == []
    if chat is not None:
        fresh = await backend.load(Level.CHAT, chat)
        assert get(state.messages) == fresh["messages"], "messages differ from the database"
        assert get(state.active_chat) == fresh["active_chat"]
    else:
        assert get(state.messages) == []
    for unsubscribe in watchers:
        unsubscribe()
    state.close()
    backend.db.close()


@settings(max_examples=300, deadline=None)
@given(st.lists(step, min_size=1, max_size=14))
def test_navigation_racing_writes_keeps_the_cache_coherent(
    steps: list[tuple[tuple[str, Any], bool]],
) -> None:
    asyncio.run(scenario(steps))
