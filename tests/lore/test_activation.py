"""Activation semantics: constant, disabled, probability, order, scan window, recursion, budget."""

from __future__ import annotations

from app.lore import LayerCache, Matcher, MatchOptions
from tests.lore._factory import entry

RUN_IN_BROWSER = True


def scan(entries, text, **options):
    return Matcher(entries, MatchOptions(**options)).scan(text)


# -- constant / disabled -------------------------------------------------------------------


def test_constant_entry_always_included():
    result = scan([entry(id="c", constant=True)], "nothing relevant")
    assert result.ids == ["c"]
    assert result.item("c").reason == "constant"


def test_disabled_entry_never_included_and_traced():
    result = scan([entry("Ann", enabled=False), entry(id="c", constant=True, enabled=False)], "Ann")
    assert result.ids == []
    assert result.item("Ann").reason == "disabled"
    assert result.item("c").reason == "disabled"


# -- probability ---------------------------------------------------------------------------


def test_probability_zero_and_hundred():
    result = scan([entry("Ann", probability=0), entry("Bob", probability=100)], "Ann Bob")
    assert result.ids == ["Bob"]
    assert result.item("Ann").reason == "probability"


def test_probability_is_seedable_and_deterministic():
    entries = [entry(f"k{i}", probability=50) for i in range(200)]
    text = " ".join(f"k{i}" for i in range(200))
    first = scan(entries, text, seed=42).ids
    assert scan(entries, text, seed=42).ids == first
    assert scan(entries, text, seed=43).ids != first
    assert 60 < len(first) < 140


def test_probability_seed_override_per_scan():
    entries = [entry(f"k{i}", probability=50) for i in range(50)]
    text = " ".join(f"k{i}" for i in range(50))
    m = Matcher(entries, MatchOptions(seed=1))
    assert m.scan(text, seed=7).ids == m.scan(text, seed=7).ids
    assert m.scan(text).ids == m.scan(text).ids


# -- order and priority --------------------------------------------------------------------


def test_result_is_in_insertion_order():
    entries = [
        entry("a", insertion_order=30),
        entry("b", insertion_order=10),
        entry("c", insertion_order=20),
    ]
    assert scan(entries, "a b c").ids == ["b", "c", "a"]


def test_equal_insertion_order_sorted_by_level():
    entries = [entry("x", id="story", level="story"), entry("x", id="glob")]
    assert scan(entries, "x").ids == ["glob", "story"]


def test_budget_keeps_higher_priority_first():
    entries = [
        entry("a", content="x" * 40, priority=1),
        entry("b", content="x" * 40, priority=5),
    ]
    result = scan(entries, "a b", token_budget=10)
    assert result.ids == ["b"]
    assert result.item("a").reason == "budget"


# -- budget --------------------------------------------------------------------------------


def test_budget_skips_what_does_not_fit_and_keeps_filling():
    entries = [
        entry("a", content="x" * 40, insertion_order=1),  # 10 tokens
        entry("big", content="x" * 400, insertion_order=2),  # 100 tokens
        entry("c", content="x" * 40, insertion_order=3),  # 10 tokens
    ]
    result = scan(entries, "a big c", token_budget=25)
    assert result.ids == ["a", "c"]
    assert result.item("big").reason == "budget"
    assert result.item("big").included is False
    assert "needs 100 tokens" in result.item("big").detail
    assert result.tokens_used == 20


def test_constants_never_dropped_and_overflow_reported():
    entries = [
        entry(id="c1", constant=True, content="x" * 400),
        entry("a", content="x" * 4),
    ]
    result = scan(entries, "a", token_budget=50)
    assert result.ids == ["c1"]
    assert result.item("c1").included
    assert "over budget" in result.item("c1").detail
    assert result.warnings and "budget is 50" in result.warnings[0]
    assert result.item("a").reason == "budget"


def test_custom_token_counter():
    entries = [entry("a", content="one two three"), entry("b", content="four")]
    result = scan(
        entries, "a b", token_budget=3, count_tokens=lambda s: len(s.split()), recursive=False
    )
    assert result.ids == ["a"]
    assert result.tokens_used == 3


def test_budget_override_per_scan():
    m = Matcher([entry("a", content="x" * 40)], MatchOptions(token_budget=1))
    assert m.scan("a").ids == []
    assert m.scan("a", token_budget=None).ids == ["a"]


# -- scan window ---------------------------------------------------------------------------


def test_chat_scans_last_n_messages():
    messages = ["Ann is here", "hello", "how are you"]
    m = Matcher([entry("Ann")], MatchOptions(scan_depth=2))
    result = m.scan(messages)
    assert result.ids == []
    assert result.trace == []
    assert m.scan(messages, scan_depth=3).ids == ["Ann"]


def test_hits_outside_entry_depth_are_traced():
    messages = ["Ann and Bob", "hello", "how are you"]
    m = Matcher([entry("Ann"), entry("Bob", scan_depth=3)], MatchOptions(scan_depth=2))
    result = m.scan(messages)
    assert result.ids == ["Bob"]
    assert result.item("Ann").reason == "scan_depth"


def test_chat_hit_reports_message_index_and_offset():
    result = Matcher([entry("Bob")]).scan(["x", "hi Bob", "y"], scan_depth=3)
    hit = result.item("Bob").hits[0]
    assert (hit.source, hit.message, hit.start, hit.end) == ("message", 1, 3, 6)


def test_entry_scan_depth_overrides_global():
    messages = ["Ann and Bob", "a", "b", "c"]
    entries = [entry("Ann", scan_depth=4), entry("Bob")]
    result = Matcher(entries, MatchOptions(scan_depth=2)).scan(messages)
    assert result.ids == ["Ann"]
    narrow = Matcher([entry("Ann", scan_depth=1)], MatchOptions(scan_depth=5))
    assert narrow.scan(["Ann", "later"]).ids == []


def test_scan_depth_zero_scans_nothing():
    assert Matcher([entry("Ann")], MatchOptions(scan_depth=0)).scan(["Ann"]).ids == []


def test_keys_do_not_span_messages():
    e = entry("Ann Lee", id="al")
    assert Matcher([e]).scan(["Ann", "Lee"], scan_depth=2).ids == []


def test_story_text_is_scanned_whole():
    text = "Ann " + "filler " * 5000 + "Bob"
    assert sorted(scan([entry("Ann"), entry("Bob")], text).ids) == ["Ann", "Bob"]


# -- recursion -----------------------------------------------------------------------------


def test_recursion_activates_entries_named_in_content():
    entries = [
        entry("Ann", content="Ann carries Zed."),
        entry("Zed", content="Zed is a sword forged in Ember."),
        entry("Ember", content="A city."),
    ]
    result = scan(entries, "Ann arrives")
    assert sorted(result.ids) == ["Ann", "Ember", "Zed"]
    assert result.item("Zed").step == 1
    assert result.item("Ember").step == 2
    hit = result.item("Zed").hits[0]
    assert (hit.source, hit.from_entry, hit.start, hit.end) == ("recursion", "Ann", 12, 15)


def test_recursion_off():
    entries = [entry("Ann", content="Ann carries Zed."), entry("Zed")]
    assert scan(entries, "Ann", recursive=False).ids == ["Ann"]


def test_recursion_max_depth_reported():
    entries = [
        entry("a", content="b"),
        entry("b", content="c"),
        entry("c", content="d"),
        entry("d", content="e"),
    ]
    result = scan(entries, "a", max_recursion=2)
    # equal order: SillyTavern's prompt order puts later activations first
    assert result.ids == ["c", "b", "a"]
    assert result.item("d").reason == "recursion_limit"
    assert not result.item("d").included
    assert result.steps == 2


def test_exclude_recursion():
    entries = [entry("Ann", content="Zed"), entry("Zed", exclude_recursion=True)]
    result = scan(entries, "Ann")
    assert result.ids == ["Ann"]
    assert result.item("Zed").reason == "exclude_recursion"
    assert sorted(scan(entries, "Ann Zed").ids) == ["Ann", "Zed"]


def test_prevent_recursion():
    entries = [entry("Ann", content="Zed", prevent_recursion=True), entry("Zed")]
    assert scan(entries, "Ann").ids == ["Ann"]


def test_delay_until_recursion():
    entries = [entry("Ann", content="Zed"), entry("Zed", delay_until_recursion=True)]
    assert scan(entries, "Ann").ids == ["Zed", "Ann"]
    # matched directly, it still waits for the recursion step, which runs
    result = scan([entry("Zed", delay_until_recursion=True), entry("Ann", content="x")], "Zed Ann")
    assert result.ids == ["Zed", "Ann"]
    assert (result.item("Ann").step, result.item("Zed").step) == (0, 1)
    result = scan([entry("Zed", delay_until_recursion=True)], "Zed", recursive=False)
    assert result.ids == []
    assert result.item("Zed").reason == "delay_until_recursion"


def test_constant_content_recurses():
    entries = [entry(id="c", constant=True, content="Zed"), entry("Zed")]
    assert sorted(scan(entries, "nothing").ids) == ["Zed", "c"]


def test_recursion_can_satisfy_secondary_keys():
    entries = [
        entry("Ann", content="She holds a sword."),
        entry("Bob", secondary_keys=["sword"], content="x"),
    ]
    result = scan(entries, "Ann meets Bob")
    assert sorted(result.ids) == ["Ann", "Bob"]
    assert result.item("Bob").step == 1


def test_budget_dropped_entries_do_not_recurse():
    entries = [entry("Ann", content="Zed " + "x" * 400), entry("Zed", content="z")]
    result = scan(entries, "Ann", token_budget=5)
    assert result.ids == []
    assert result.item("Zed") is None


def test_recursion_loops_terminate():
    entries = [entry("a", content="b"), entry("b", content="a")]
    assert sorted(scan(entries, "a", max_recursion=10).ids) == ["a", "b"]


# -- cache ---------------------------------------------------------------------------------


def test_layer_cache_reuses_unchanged_layers():
    cache = LayerCache()
    glob = [entry("Ann")]
    story = [entry("Bob", level="story")]
    Matcher(glob + story, cache=cache)
    assert cache.builds == 2
    Matcher(glob + story, cache=cache)
    assert cache.builds == 2
    story[0].content = "edited content only"
    cache.invalidate("story", "story-1")
    Matcher(glob + story, cache=cache)
    assert cache.builds == 2  # content does not affect the index
    story[0].keys = ["Robert"]
    cache.invalidate("story", "story-1")
    m = Matcher(glob + story, cache=cache)
    assert cache.builds == 3
    assert m.scan("Robert and Ann").ids == ["Ann", "Bob"]


def test_layer_cache_notices_changed_entry_list():
    cache = LayerCache()
    Matcher([entry("Ann")], cache=cache)
    m = Matcher([entry("Ann"), entry("Bob")], cache=cache)
    assert cache.builds == 2
    assert m.scan("Bob").ids == ["Bob"]


def test_invalidate_all():
    cache = LayerCache()
    e = entry("Ann")
    Matcher([e], cache=cache)
    e.keys = ["Anna"]
    cache.invalidate()
    assert Matcher([e], cache=cache).scan("Anna").ids == ["Ann"]


def test_recursion_regex_does_not_span_two_contents():
    entries = [
        entry("a", content="first Zed", insertion_order=1),
        entry("b", content="Ann second", insertion_order=2),
        entry("/Zed\\W+Ann/", id="span"),
    ]
    result = scan(entries, "a b")
    assert result.ids == ["a", "b"]


def test_recursion_sees_edited_content():
    ann = entry("Ann", content="Ann carries Zed.")
    m = Matcher([ann, entry("Zed"), entry("Ember")])
    assert sorted(m.scan("Ann").ids) == ["Ann", "Zed"]
    ann.content = "Ann lives in Ember."
    assert sorted(m.scan("Ann").ids) == ["Ann", "Ember"]


def test_content_hits_are_shared_through_the_layer_cache():
    cache = LayerCache()
    entries = [entry("Ann", content="Ann carries Zed."), entry("Zed", level="story")]
    first = Matcher(entries, cache=cache).scan("Ann")
    second_matcher = Matcher(entries, cache=cache)
    indexes = [index for _, _, index, _ in second_matcher._layers]
    assert any("Ann carries Zed." in index.content_hits for index in indexes)
    assert second_matcher.scan("Ann").ids == first.ids == ["Zed", "Ann"]
