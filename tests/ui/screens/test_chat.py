"""The chat screen through the DOM, against the fake LLM server (httpx in CPython, the
browser's fetch in the browser tier): greetings as alternatives, sending with streaming,
Stop, Regenerate, Continue, swipes, edit, delete, branch, the prompt inspector, errors in
words, and nothing typed ever lost."""

from __future__ import annotations

import pytest

from tests._wait import eventually
from tests.generation._fake import FakeLLM, browser_host_env, fake_llm

from .._support import same
from ._chat_support import REPLY, chat_tab
from ._find import alert_text, button_named, buttons_named, labelled, value

RUN_IN_BROWSER = True
__all__ = ["browser_host_env", "fake_llm"]


async def send(c, text: str) -> None:
    c.h.type_into(labelled(c.h, "Message"), text)
    (form,) = c.h.query("form.composer")
    assert c.h.fire(form, "submit")


async def messages(c) -> list:
    return await c.tab.domain.messages.for_chat(c.chat_id)


async def test_the_greeting_opens_the_chat_with_alternatives(fake_llm: FakeLLM) -> None:
    async with chat_tab(fake_llm) as c:
        assert c.names() == ["Aria, message 1"]
        assert c.text_of("Aria, message 1") == "Welcome, Sam."  # {{user}} is the persona
        assert c.tab.heading() == "Chat with Aria"
        first = c.article("Aria, message 1")
        assert c.h.attr(first, "aria-posinset") == "1" and c.h.attr(first, "aria-setsize") == "1"
        (counter,) = c.h.query("span.alternatives", first)
        assert c.h.text(counter) == "1 / 2"
        assert c.tab.dom.get_prop(
            button_named(c.h, "Previous alternative of message 1"), "disabled"
        )
        c.press("Next alternative of message 1")
        await c.settle()
        assert c.text_of("Aria, message 1") == "Hello again."
        c.press("Previous alternative of message 1")
        await c.settle()
        assert c.text_of("Aria, message 1") == "Welcome, Sam."


async def test_sending_stores_the_message_and_streams_the_reply(fake_llm: FakeLLM) -> None:
    async with chat_tab(fake_llm) as c:
        await send(c, "Hi Aria, tell me about dragons.")
        await c.settle()
        assert value(c.h, labelled(c.h, "Message")) == ""
        assert c.names() == ["Aria, message 1", "Sam, message 2", "Aria, message 3"]
        assert c.text_of("Aria, message 3") == REPLY
        stored = await messages(c)
        assert [m.role for m in stored] == ["assistant", "user", "assistant"]
        assert stored[1].content == "Hi Aria, tell me about dragons." and stored[1].name == "Sam"
        assert stored[2].content == REPLY and stored[2].alternatives[0].info["status"] == "done"
        report = await c.tab.domain.prompt_reports.for_message(stored[2].id, 0)
        assert report is not None
        sent = report.report["prompt"]["messages"]
        assert (
            sent[-1]["role"] == "user" and sent[-1]["content"] == "Hi Aria, tell me about dragons."
        )
        assert any("A dragon scholar." in m["content"] for m in sent)
        assert "Aria replied." in c.h.text(c.h.query("[role=status]")[-1])


async def test_enter_sends_and_shift_enter_does_not(fake_llm: FakeLLM) -> None:
    async with chat_tab(fake_llm) as c:
        box = labelled(c.h, "Message")
        c.h.type_into(box, "line one")
        _key(c, box, "Enter", shift=True)
        await c.settle()
        assert len(await messages(c)) == 1
        _key(c, box, "Enter")
        await c.settle()
        assert [m.content for m in await messages(c)][1] == "line one"


def _key(c, node, key: str, shift: bool = False) -> None:
    from app.ui import MemoryEvent

    from .._support import IN_BROWSER, to_js_dict

    if IN_BROWSER:
        import js

        node.dispatchEvent(
            js.KeyboardEvent.new(
                "keydown",
                to_js_dict({"key": key, "shiftKey": shift, "bubbles": True, "cancelable": True}),
            )
        )
    else:
        event = MemoryEvent("keydown", target=node, key=key)
        event.shiftKey = shift  # type: ignore[attr-defined]
        for listener in list(node.listeners.get("keydown", [])):
            listener(event)


async def test_stop_keeps_the_partial_reply_and_send_is_disabled_meanwhile(
    fake_llm: FakeLLM,
) -> None:
    async with chat_tab(fake_llm, "long") as c:
        await send(c, "Talk for a while.")
        pending = c.h.query("article.pending")[0]
        await eventually(
            lambda: c.h.attr(pending, "hidden") is None and c.h.text(pending).count("Hello") >= 1,
            "the reply streaming in",
        )
        assert c.tab.dom.get_prop(button_named(c.h, "Send"), "disabled")
        stop = button_named(c.h, "Stop")
        assert c.h.attr(stop, "hidden") is None
        await eventually(lambda: len(c.h.text(pending)) > 30, "a few chunks")
        c.h.fire(stop, "click")
        await c.settle()
        assert c.h.attr(stop, "hidden") is not None
        assert not c.tab.dom.get_prop(button_named(c.h, "Send"), "disabled")
        stored = await messages(c)
        assert stored[-1].role == "assistant" and stored[-1].content.startswith("Hello")
        assert stored[-1].alternatives[0].info["status"] == "stopped"
        log = await fake_llm.ended(c.run)
        assert log["closed_early"]


async def test_regenerate_adds_an_alternative_and_continue_appends(fake_llm: FakeLLM) -> None:
    async with chat_tab(fake_llm) as c:
        await send(c, "Hi")
        await c.settle()
        c.press("Regenerate message 3")
        await c.settle()
        stored = (await messages(c))[-1]
        assert [a.content for a in stored.alternatives] == [REPLY, REPLY] and stored.selected == 1
        (counter,) = c.h.query("span.alternatives", c.article("Aria, message 3"))
        assert c.h.text(counter) == "2 / 2"
        assert await c.tab.domain.prompt_reports.for_message(stored.id, 1) is not None
        c.press("Continue message 3")
        await c.settle()
        stored = (await messages(c))[-1]
        assert stored.content == REPLY + REPLY
        assert stored.alternatives[1].content == REPLY + REPLY
        report = await c.tab.domain.prompt_reports.for_message(stored.id, 1)
        assert report.report["prompt"]["continue_last"] is True


async def test_next_alternative_past_the_last_generates_one(fake_llm: FakeLLM) -> None:
    async with chat_tab(fake_llm) as c:
        await send(c, "Hi")
        await c.settle()
        c.press("Next alternative of message 3")
        await c.settle()
        stored = (await messages(c))[-1]
        assert len(stored.alternatives) == 2 and stored.selected == 1
        # an earlier reply cannot grow alternatives past its last
        assert (
            c.tab.dom.get_prop(button_named(c.h, "Next alternative of message 1"), "disabled")
            is False
        )
        c.press("Next alternative of message 1")
        await c.settle()
        c.press("Next alternative of message 1")
        await c.settle()
        first = (await messages(c))[0]
        assert first.selected == 1 and len(first.alternatives) == 2


async def test_edit_saves_and_escape_cancels(fake_llm: FakeLLM) -> None:
    async with chat_tab(fake_llm) as c:
        c.press("Edit message 1")
        box = labelled(c.h, "Edit message")
        assert same(c.tab.dom.focused(), box)
        assert value(c.h, box) == "Welcome, {{user}}."  # placeholders stay editable
        c.h.type_into(box, "Welcome back, {{user}}.")
        c.h.fire(box, "keydown", key="Escape")
        assert c.text_of("Aria, message 1") == "Welcome, Sam."
        assert same(c.tab.dom.focused(), button_named(c.h, "Edit message 1"))
        c.press("Edit message 1")
        box = labelled(c.h, "Edit message")
        c.h.type_into(box, "Welcome back, {{user}}.")
        (form,) = c.h.query("form.message-edit")
        assert c.h.fire(form, "submit")  # what "Save" (its submit button) does
        await c.settle()
        assert c.text_of("Aria, message 1") == "Welcome back, Sam."
        first = (await messages(c))[0]
        assert first.content == "Welcome back, {{user}}."
        assert first.alternatives[0].content == "Welcome back, {{user}}."  # the version shown


async def test_delete_asks_first(fake_llm: FakeLLM) -> None:
    async with chat_tab(fake_llm) as c:
        await send(c, "Hi")
        await c.settle()
        c.press("Delete message 2")
        (dialog,) = c.h.query("[role=alertdialog]")
        assert "Delete message 2 by Sam?" in c.h.text(dialog)
        assert same(c.tab.dom.focused(), button_named(c.h, "Cancel", dialog))
        c.h.fire(button_named(c.h, "Delete", dialog), "click")
        await c.settle()
        assert c.names() == ["Aria, message 1", "Aria, message 2"]
        assert [m.role for m in await messages(c)] == ["assistant", "assistant"]


async def test_branch_opens_a_new_chat_up_to_there(fake_llm: FakeLLM) -> None:
    async with chat_tab(fake_llm) as c:
        await send(c, "Hi")
        await c.settle()
        c.press("Branch from message 2")
        await c.settle()
        chats = await c.tab.domain.chats.list()
        (branch,) = [ch for ch in chats if ch.id != c.chat_id]
        assert c.tab.dom.get_hash() == f"#/chats/{branch.id}"
        assert c.names() == ["Aria, message 1", "Sam, message 2"]
        assert c.tab.heading() == "Branch at message 2"


async def test_the_prompt_inspector_shows_what_was_sent(fake_llm: FakeLLM) -> None:
    async with chat_tab(fake_llm) as c:
        await c.tab.domain.lorebook.create(
            {
                "level": "character",
                "scope_id": c.character_id,
                "name": "Dragons",
                "keys": ["dragons"],
                "content": "Dragons eat gold.",
            }
        )
        await c.tab.domain.lorebook.create(
            {
                "level": "chat",
                "scope_id": c.chat_id,
                "name": "Gold",
                "keys": ["gold"],
                "content": "Gold is scarce.",
            }
        )
        await c.tab.state.refresh()
        await send(c, "What do dragons eat?")
        await c.settle()
        opener = button_named(c.h, "Prompt inspector for message 3")
        c.h.fire(opener, "click")
        await c.settle()
        (dialog,) = c.h.query("dialog")
        assert c.h.attr(dialog, "aria-label") == "Prompt inspector"
        assert c.h.attr(dialog, "open") is not None
        sections = c.h.query("section.inspector-message", dialog)
        assert c.h.attr(sections[-1], "aria-label").endswith("user")
        assert "What do dragons eat?" in c.h.text(sections[-1])
        assert "tokens" in c.h.text(c.h.query("h4", sections[-1])[0])
        rows = c.h.query("section.inspector-lore tbody tr", dialog)
        cells = {c.h.text(c.h.children(r)[0]): [c.h.text(x) for x in c.h.children(r)] for r in rows}
        assert cells["Dragons"][1:3] == ["Character: Aria", "In"]
        assert "key “dragons” in message 2" in cells["Dragons"][4]
        assert cells["Gold"][1] == "This chat"
        assert "Dragons eat gold." in c.h.text(dialog)  # the lore as sent
        c.press("Close", dialog)
        assert same(c.tab.dom.focused(), opener)
        # a greeting was not generated: the inspector says so
        c.h.fire(button_named(c.h, "Prompt inspector for message 1"), "click")
        await c.settle()
        assert "No prompt was recorded" in c.h.text(dialog)


async def test_a_wrong_key_is_said_in_words_and_the_message_is_kept(fake_llm: FakeLLM) -> None:
    async with chat_tab(fake_llm, key="sk-wrong") as c:
        await send(c, "Are you there?")
        await c.settle()
        words = alert_text(c.h)
        assert "key" in words.lower() and "sk-wrong" not in words
        assert [m.content for m in await messages(c)][-1] == "Are you there?"
        assert c.names()[-1] == "Sam, message 2"


async def test_no_provider_points_to_the_providers_page(fake_llm: FakeLLM) -> None:
    async with chat_tab(fake_llm, with_provider=False) as c:
        await send(c, "Hello?")
        await c.settle()
        assert "No model provider is set up yet." in alert_text(c.h)
        (link,) = [a for a in c.h.query("a") if c.h.text(a) == "Set up a provider"]
        assert c.h.attr(link, "href") == "#/settings/providers"
        assert [m.content for m in await messages(c)][-1] == "Hello?"


async def test_a_failed_send_leaves_the_typed_text(fake_llm: FakeLLM) -> None:
    async with chat_tab(fake_llm) as c:
        c.tab.backend.fail_next = RuntimeError("Storage is full.")
        await send(c, "Do not lose me")
        await c.settle()
        assert "Your message was not sent: Storage is full." in alert_text(c.h)
        assert value(c.h, labelled(c.h, "Message")) == "Do not lose me"
        assert len(await messages(c)) == 1


async def test_a_streamed_delta_patches_one_text_node(fake_llm: FakeLLM) -> None:
    async with chat_tab(fake_llm, "long") as c:
        await send(c, "Go on")
        pending = c.h.query("article.pending")[0]
        (text_box,) = c.h.query("div.message-text", pending)
        await eventually(lambda: len(c.h.text(text_box)) > 10, "the reply streaming in")
        c.h.take()
        before = c.h.text(text_box)
        await eventually(lambda: c.h.text(text_box) != before, "the next delta")
        records = c.h.take()
        c.press("Stop")
        await c.settle()
        assert records
        assert all(r.type == "characterData" for r in records), [r.type for r in records]
        assert all(c.h.inside(text_box, r.target) for r in records)


@pytest.mark.parametrize("count", [1])
async def test_every_control_is_named(fake_llm: FakeLLM, count: int) -> None:
    async with chat_tab(fake_llm) as c:
        for node in c.h.query("textarea") + c.h.query("input"):
            fid = c.h.attr(node, "id")
            assert c.h.attr(node, "aria-label") or (fid and c.h.query(f"label[for={fid}]")), node
        for b in c.h.query("button"):
            assert (c.h.attr(b, "aria-label") or c.h.text(b)).strip()
        assert buttons_named(c.h, "Regenerate message 1") and buttons_named(
            c.h, "Continue message 1"
        )


async def test_a_long_chat_opens_at_its_newest_messages_rendering_only_those(
    fake_llm: FakeLLM,
) -> None:
    from app.domain.messages import refresh_chat_summary
    from tests.ui._tab import open_library_for_test, open_tab

    library = await open_library_for_test()
    domain = library.domain
    aria = await domain.characters.create({"name": "Aria"})
    chat = await domain.chats.create({"character_id": aria.id})
    from datetime import UTC, datetime, timedelta

    from app.domain import Message

    start = datetime(2026, 1, 1, tzinfo=UTC)
    records = [
        Message(
            chat_id=chat.id,
            role="user" if i % 2 else "assistant",
            content=f"line {i}",
            created_at=start + timedelta(seconds=i),
            updated_at=start + timedelta(seconds=i),
        ).to_record()
        for i in range(600)
    ]
    await domain.store.table("messages").bulk_add(records)
    await refresh_chat_summary(domain.store, chat.id)
    style = _feed_height_style()  # the in-browser tier's page has no app stylesheet
    try:
        async with open_tab(library=library, hash=f"#/chats/{chat.id}") as t:
            await t.dom.settle()
            from tests._wait import eventually

            def rows() -> list[object]:
                return [a for a in t.harness.query("article") if t.harness.attr(a, "data-id")]

            def newest_shown() -> bool:
                shown = rows()
                return bool(shown) and t.harness.attr(shown[-1], "aria-label") == "You, message 600"

            # the newest 120 come first, the rest right after (the list keeps to its end)
            await eventually(newest_shown, "the newest message shown")
            articles = rows()
            assert 0 < len(articles) < 100
            assert t.harness.attr(articles[-1], "aria-setsize") == "600"
    finally:
        if style is not None:
            style.remove()
        domain.store.close()
        await domain.store.db.delete()


def _feed_height_style():
    from .._support import IN_BROWSER

    if not IN_BROWSER:
        return None
    import js

    style = js.document.createElement("style")
    style.textContent = ".messages { height: 600px; overflow-y: auto; }"
    js.document.head.appendChild(style)
    return style


async def test_an_empty_chat_is_a_named_region_until_it_has_articles(fake_llm: FakeLLM) -> None:
    async with chat_tab(fake_llm, greetings=()) as c:
        (viewport,) = c.h.query("div.messages")
        assert c.h.attr(viewport, "role") == "region"  # a feed must hold articles
        assert c.h.attr(viewport, "aria-label") == "Messages"
        await send(c, "Hello")
        await c.settle()
        assert c.h.attr(viewport, "role") == "feed"


@pytest.mark.parametrize(
    ("scenario", "words"),
    [("429", ["7 seconds"]), ("500", ["server"])],
)
async def test_server_failures_are_said_in_words(
    fake_llm: FakeLLM, scenario: str, words: list[str]
) -> None:
    async with chat_tab(fake_llm, scenario) as c:
        await send(c, "Still there?")
        await c.settle()
        said = alert_text(c.h)
        assert all(w in said.lower() for w in (w.lower() for w in words)), said
        assert [m.content for m in await messages(c)][-1] == "Still there?"


async def test_a_server_that_is_not_running_is_said_in_words(fake_llm: FakeLLM) -> None:
    from tests.generation._fake import closed_port

    async with chat_tab(fake_llm) as c:
        (config,) = await c.tab.domain.providers.configs.list()
        await c.tab.state.save_provider(
            {"base_url": f"http://127.0.0.1:{closed_port()}/v1"}, config_id=config.id
        )
        await send(c, "Anyone?")
        await c.settle()
        said = alert_text(c.h)
        assert said and "127.0.0.1" in said, said
        assert [m.content for m in await messages(c)][-1] == "Anyone?"
