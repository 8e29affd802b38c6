"""Timed effects (sticky, cooldown, delay): their state lives on the chat and follows
SillyTavern's rules (`WorldInfoTimedEffects` in `public/scripts/world-info.js`)."""

from __future__ import annotations

import itertools

import pytest

from app.db import Database
from app.domain import open_domain
from app.lore import Matcher, MatchOptions, ScanContext
from app.lore._timed import effect_hash
from tests.lore._factory import entry

RUN_IN_BROWSER = True
_names = itertools.count()


def chat(n: int, last: str = "a dragon") -> list[str]:
    """A chat of `n` messages whose last one says `last`."""
    return [f"message {i}" for i in range(n - 1)] + [last] if n else []


def run(matcher: Matcher, n: int, state: dict | None, last: str = "a dragon"):
    return matcher.scan(chat(n, last), context=ScanContext(lore_state=state))


def test_sticky_cooldown_delay_over_a_chat():
    # sticky 3, cooldown 2, delay 2: the example of SillyTavern's documentation
    dragon = entry("dragon", sticky=3, cooldown=2, delay=2)
    m = Matcher([dragon], MatchOptions(recursive=False))
    state: dict = {}
    seen = []
    for n in range(1, 10):
        mentioned = n in (1, 2, 5, 6, 7)  # the key is in the last message at these lengths
        result = run(m, n, state, "a dragon" if mentioned else "nothing")
        item = result.item("dragon")
        seen.append((n, result.ids == ["dragon"], item.reason if item else None))
        state = result.lore_state
    assert seen == [
        (1, False, "delay"),  # fewer messages than the delay
        (2, True, "matched"),  # starts sticky (until 5) and cooldown (until 4)
        (3, True, "sticky"),  # no key needed
        (4, True, "sticky"),
        (5, False, "cooldown"),  # sticky over: a protected cooldown until 7
        (6, False, "cooldown"),
        (7, True, "matched"),  # free again
        (8, True, "sticky"),
        (9, True, "sticky"),
    ]


def test_trace_says_since_when_an_entry_is_sticky():
    dragon = entry("dragon", sticky=5)
    m = Matcher([dragon], MatchOptions(recursive=False))
    first = run(m, 4, {})
    item = run(m, 6, first.lore_state, "nothing").item("dragon")
    assert item.reason == "sticky" and item.included
    assert (item.sticky_since, item.timed_until) == (4, 9)
    assert "sticky since the chat had 4 messages" in item.explanation


def test_sticky_entries_skip_the_probability_roll():
    dragon = entry("dragon", sticky=5, probability=1)
    m = Matcher([dragon], MatchOptions(recursive=False))
    lucky = next(seed for seed in range(5000) if run_seeded(m, 2, {}, seed).ids)
    unlucky = next(seed for seed in range(5000) if not run_seeded(m, 3, {}, seed).ids)
    state = run_seeded(m, 2, {}, lucky).lore_state
    later = run_seeded(m, 3, state, unlucky)  # this seed fails the 1% roll
    assert later.ids == ["dragon"] and later.item("dragon").reason == "sticky"


def run_seeded(matcher: Matcher, n: int, state: dict, seed: int):
    return matcher.scan(chat(n), seed=seed, context=ScanContext(lore_state=state))


def test_a_swipe_drops_the_effect_it_started():
    dragon = entry("dragon", sticky=3)
    m = Matcher([dragon], MatchOptions(recursive=False))
    state = run(m, 4, {}).lore_state
    assert state["sticky"]["dragon"]["start"] == 4
    # the same chat length again (the reply was swiped): the effect is dropped
    again = run(m, 4, state, "nothing")
    assert again.ids == []
    assert again.lore_state["sticky"] == {}


def test_a_retrigger_does_not_extend_the_effect():
    dragon = entry("dragon", sticky=3)
    m = Matcher([dragon], MatchOptions(recursive=False))
    state = run(m, 2, {}).lore_state
    state = run(m, 3, state).lore_state
    assert state["sticky"]["dragon"]["end"] == 5


def test_editing_the_entry_ends_its_effect():
    dragon = entry("dragon", sticky=3)
    state = run(Matcher([dragon], MatchOptions(recursive=False)), 2, {}).lore_state
    edited = entry("dragon", sticky=3, content="A different text.")
    m = Matcher([edited], MatchOptions(recursive=False))
    result = run(m, 3, state, "nothing")
    assert result.ids == []  # another version of the entry: the effect does nothing
    assert "dragon" in result.lore_state["sticky"]  # until its end comes
    assert run(m, 5, result.lore_state, "nothing").lore_state["sticky"] == {}


def test_an_entry_no_longer_sticky_is_not_sticky():
    state = run(Matcher([entry("dragon", sticky=3)], MatchOptions(recursive=False)), 2, {})
    plain = Matcher([entry("dragon")], MatchOptions(recursive=False))
    later = run(plain, 3, state.lore_state, "nothing")
    assert later.ids == []
    assert run(plain, 5, later.lore_state, "nothing").lore_state["sticky"] == {}


def test_dry_run_neither_reads_nor_writes_the_state():
    dragon = entry("dragon", sticky=3, delay=2)
    m = Matcher([dragon], MatchOptions(recursive=False))
    state = run(m, 2, {}).lore_state
    preview = m.scan(chat(3, "nothing"), context=ScanContext(lore_state=state, dry_run=True))
    assert preview.ids == [] and preview.lore_state is None
    delayed = m.scan(chat(1), context=ScanContext(lore_state=state, dry_run=True))
    assert delayed.item("dragon").reason == "delay"  # delay needs no state


def test_no_state_no_timed_effects_but_delay():
    dragon = entry("dragon", sticky=3, delay=3)
    m = Matcher([dragon], MatchOptions(recursive=False))
    assert m.scan(chat(2)).ids == []
    result = m.scan(chat(3))
    assert result.ids == ["dragon"] and result.lore_state is None


def test_sticky_member_wins_its_inclusion_group():
    stuck = entry("dragon", id="stuck", sticky=4, group="beasts", group_weight=0)
    other = entry("dragon", id="other", group="beasts", group_override=True)
    m = Matcher([stuck, other], MatchOptions(recursive=False))
    state = {"sticky": {}}
    first = m.scan(chat(2), context=ScanContext(lore_state=state))
    assert first.ids == ["other"]  # the prioritised member wins the group
    record = {"start": 1, "end": 9, "protected": False, "hash": effect_hash(stuck)}
    forced = {"sticky": {"stuck": record}}
    second = m.scan(chat(3), context=ScanContext(lore_state=forced))
    assert second.ids == ["stuck"]
    assert second.item("other").reason == "group"
    assert "sticky" in second.item("other").detail


@pytest.fixture
async def domain():
    db = Database(f"lore-timed-{next(_names)}")
    domain = await open_domain(db)
    yield domain
    domain.store.close()
    await db.delete()


async def test_state_is_saved_on_the_chat_and_survives_a_reload(domain):
    chat_record = await domain.chats.create({"title": "Dragons"})
    assert chat_record.lore_state == {}
    await domain.lorebook.create(
        {"level": "global", "name": "Dragon", "keys": ["dragon"], "sticky": 4}
    )
    entries = await domain.lorebook.by_level("global")
    result = await Matcher(entries, MatchOptions(recursive=False)).scan_async(
        chat(2), context=ScanContext(lore_state=chat_record.lore_state)
    )
    await domain.chats.update(chat_record.id, {"lore_state": result.lore_state})
    # reopen the library as after a page reload
    db = domain.store.db
    domain.store.close()
    reopened = await open_domain(Database(db.name, backend=db.backend))
    try:
        saved = await reopened.chats.require(chat_record.id)
        assert saved.lore_state == result.lore_state
        entries = await reopened.lorebook.by_level("global")
        later = await Matcher(entries, MatchOptions(recursive=False)).scan_async(
            chat(4, "nothing"), context=ScanContext(lore_state=saved.lore_state)
        )
        assert [e.name for e in later.entries] == ["Dragon"]
        assert later.trace[0].reason == "sticky"
    finally:
        reopened.store.close()


def test_a_story_text_has_no_chat_to_count():
    late = entry("dragon", delay=5, sticky=2)
    m = Matcher([late], MatchOptions(recursive=False))
    result = m.scan("a dragon", context=ScanContext(lore_state={}))
    assert result.ids == ["dragon"] and result.lore_state is None
    counted = m.scan("a dragon", context=ScanContext(lore_state={}, chat_length=3))
    assert counted.ids == [] and counted.item("dragon").reason == "delay"
