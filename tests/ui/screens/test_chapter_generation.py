"""Writing with the model in the chapter editor: "Continue writing" and "Write this beat"
stream into the chapter with the story's lore; "Stop" keeps what arrived; no provider
is said in words with a link to set one up."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests._wait import eventually
from tests.generation._fake import GOOD_KEY, FakeLLM, browser_host_env, fake_llm

from .._tab import Tab, open_tab
from ._writing import button, click, field, go, links, settle, submit_field

RUN_IN_BROWSER = True
__all__ = ["browser_host_env", "fake_llm"]

REPLY = "Hello there, traveller. The road is long."


@pytest.fixture
async def tab() -> AsyncIterator[tuple[Tab, dict[str, Any]]]:
    async with open_tab() as t:
        d = t.domain
        story = await d.stories.stories.create({"title": "Dune"})
        chapter = await d.stories.chapters.create(
            {"story_id": story.id, "title": "One", "content": "Mara waited."}
        )
        await d.lorebook.create(
            {
                "level": "story",
                "scope_id": story.id,
                "name": "Mara",
                "keys": ["Mara"],
                "content": "Mara is a thief of the desert.",
            }
        )
        await go(t, f"/stories/{story.id}/chapters/{chapter.id}")
        yield t, {"story": story, "chapter": chapter}


async def provider(t: Tab, fake: FakeLLM, scenario: str) -> str:
    base, run = fake.base_url(scenario)
    key = await t.domain.providers.api_keys.create({"name": "fake", "value": GOOD_KEY})
    await t.domain.providers.configs.create(
        {
            "name": "Fake",
            "type": "openai",
            "base_url": base,
            "api_key_id": key.id,
            "default_model": "fake-large",
        }
    )
    return run


def text_of(t: Tab) -> str:
    return str(t.dom.get_prop(field(t, "Chapter text"), "value"))


async def test_without_a_provider_it_says_so_with_a_link(tab):
    t, _w = tab
    await click(t, button(t, "Continue writing"))
    (alert,) = [a for a in t.harness.query("div.error") if not t.dom.get_prop(a, "hidden")]
    assert "No LLM provider is set up yet" in t.harness.text(alert)
    assert " Set up a provider" in links(t, alert)


async def test_continue_writing_streams_into_the_chapter_with_the_storys_lore(tab, fake_llm):
    t, w = tab
    run = await provider(t, fake_llm, "ok")
    await click(t, button(t, "Continue writing"))
    await eventually(lambda: "Done:" in t.harness.text(t.harness.root), "the generation to end")
    await settle(t)
    assert text_of(t) == "Mara waited. " + REPLY
    stored = await t.domain.stories.chapters.require(w["chapter"].id)
    assert stored.content == "Mara waited. " + REPLY
    log = await fake_llm.ended(run)
    sent = str(log["requests"][0]["body"])
    assert "Mara is a thief of the desert." in sent  # the story's lore went with it
    assert "Mara waited." in sent


async def test_write_this_beat_inserts_at_its_point(tab, fake_llm):
    t, w = tab
    await t.domain.stories.save_chapter_text(w["chapter"].id, "Night fell.\n\nMara waited.")
    await settle(t)
    area = field(t, "Chapter text")
    t.dom.call(area, "setSelectionRange", len("Night fell.\n\n"), len("Night fell.\n\n"))
    await submit_field(t, "New scene beat", "A stranger knocks.")
    run = await provider(t, fake_llm, "ok")
    await click(t, button(t, "Write this beat: Beat 1"))
    await eventually(lambda: "Done:" in t.harness.text(t.harness.root), "the beat written")
    await settle(t)
    assert text_of(t) == "Night fell.\n\n" + REPLY + "Mara waited."
    sent = str((await fake_llm.ended(run))["requests"][0]["body"])
    assert "A stranger knocks." in sent
    assert "Mara waited." not in sent  # only the text before the beat's point


async def test_stop_keeps_what_arrived(tab, fake_llm):
    t, w = tab
    run = await provider(t, fake_llm, "long")
    t.harness.fire(button(t, "Continue writing"), "click")
    await eventually(lambda: len(text_of(t)) > len("Mara waited. ") + 2, "some text to arrive")
    assert t.harness.attr(field(t, "Chapter text"), "readonly") is not None
    await click(t, button(t, "Stop"))
    await eventually(lambda: "Stopped:" in t.harness.text(t.harness.root), "the stop")
    await settle(t)
    kept = text_of(t)
    assert kept.startswith("Mara waited. ") and len(kept) > len("Mara waited. ")
    assert (await t.domain.stories.chapters.require(w["chapter"].id)).content == kept
    assert (await fake_llm.ended(run))["closed_early"]
    assert t.harness.attr(field(t, "Chapter text"), "readonly") is None


def inspector_lore(t: Tab) -> dict[str, list[str]]:
    """The open prompt inspector's lore rows: entry name -> its cells."""
    h = t.harness
    (dialog,) = h.query("dialog")
    assert h.attr(dialog, "open") is not None
    rows = h.query("section.inspector-lore tbody tr", dialog)
    return {h.text(h.children(r)[0]): [h.text(x) for x in h.children(r)] for r in rows}


async def test_the_last_request_opens_in_the_prompt_inspector(tab, fake_llm):
    t, _w = tab
    await provider(t, fake_llm, "ok")
    assert not [b for b in t.harness.query("button") if t.harness.text(b) == "Prompt inspector"
                and not t.dom.get_prop(b, "hidden")]  # nothing sent yet
    await click(t, button(t, "Continue writing"))
    await eventually(lambda: "Done:" in t.harness.text(t.harness.root), "the generation to end")
    await settle(t)
    opener = button(t, "Prompt inspector for the last request")
    await click(t, opener)
    lore = inspector_lore(t)
    assert lore["Mara"][1:3] == ["Story", "In"]
    (dialog,) = t.harness.query("dialog")
    assert "Mara waited." in t.harness.text(dialog)
    assert "Complete" in t.harness.text(dialog)  # how the request ended


async def test_what_a_beat_would_send_is_one_click_away_and_sends_nothing(tab, fake_llm):
    t, w = tab
    await t.domain.stories.save_chapter_text(w["chapter"].id, "Mara slept.\n\nThe end came.")
    await settle(t)
    area = field(t, "Chapter text")
    t.dom.call(area, "setSelectionRange", len("Mara slept.\n\n"), len("Mara slept.\n\n"))
    await submit_field(t, "New scene beat", "A stranger knocks.")
    run = await provider(t, fake_llm, "ok")
    await click(t, button(t, "Prompt for Beat 1"))
    await eventually(lambda: any(t.harness.attr(d, "open") is not None
                                 for d in t.harness.query("dialog")), "the inspector open")
    (dialog,) = t.harness.query("dialog")
    text = t.harness.text(dialog)
    assert "A stranger knocks." in text and "Mara slept." in text
    assert "The end came." not in text  # only the text before the beat's point
    assert inspector_lore(t)["Mara"][1:3] == ["Story", "In"]  # the story's lore went in
    assert (await fake_llm.log(run))["requests"] == []  # nothing was sent
