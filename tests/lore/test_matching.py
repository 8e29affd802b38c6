"""Matching semantics: keys, secondary logic, regex, case, whole words, Unicode."""

from __future__ import annotations

import pytest

from app.lore import Matcher, MatchOptions
from tests.lore._factory import entry

RUN_IN_BROWSER = True


def ids(entries, text, **options):
    return Matcher(entries, MatchOptions(recursive=False, **options)).scan(text).ids


def test_primary_key_activates_entry():
    assert ids([entry("Ann"), entry("Bob")], "Then Ann left.") == ["Ann"]


def test_any_primary_key_is_enough():
    assert ids([entry("Ann", "Annie", id="ann")], "Annie waved.") == ["ann"]


def test_no_key_no_activation():
    assert ids([entry("Ann")], "Nobody here.") == []


def test_case_insensitive_by_default():
    assert ids([entry("Ann")], "ANN shouted") == ["Ann"]


def test_case_sensitive_global_default():
    assert ids([entry("Ann")], "ann shouted", case_sensitive=True) == []
    assert ids([entry("Ann")], "Ann shouted", case_sensitive=True) == ["Ann"]


def test_case_sensitive_per_entry_overrides_default():
    e = entry("Ann", case_sensitive=True)
    assert ids([e], "ann shouted") == []
    e2 = entry("Bob", case_sensitive=False)
    assert ids([e2], "BOB", case_sensitive=True) == ["Bob"]


def test_whole_word_default_rejects_substrings():
    # "AI" must not match "ain't" (SillyTavern #386)
    assert ids([entry("AI")], "I ain't sure") == []
    assert ids([entry("AI")], "the AI said") == ["AI"]


def test_whole_word_off_matches_substrings():
    assert ids([entry("AI")], "I ain't sure", match_whole_words=False) == ["AI"]
    assert ids([entry("AI", match_whole_words=False)], "I ain't sure") == ["AI"]


def test_whole_word_per_entry_overrides_default():
    assert ids([entry("cat", match_whole_words=True)], "concatenate", match_whole_words=False) == []


def test_whole_word_key_starting_with_symbol():
    # "#hello" needs no word boundary before "#" (SillyTavern #2167)
    assert ids([entry("#hello")], "say #hello world") == ["#hello"]
    assert ids([entry("#hello")], "x#hello") == ["#hello"]
    assert ids([entry("#hello")], "#helloworld") == []


def test_multi_word_keys():
    e = entry("John Smith", id="js")
    assert ids([e], "Mr. John Smith arrived") == ["js"]
    assert ids([e], "John Smithers arrived") == []
    assert ids([e], "John  Smith") == []


def test_punctuation_around_keys():
    assert ids([entry("Ann")], "(Ann)") == ["Ann"]
    assert ids([entry("Ann")], "Ann's sword") == ["Ann"]
    assert ids([entry("Ann")], "Ann_Marie") == []


def test_unicode_letters_are_word_characters():
    assert ids([entry("café")], "au café!") == ["café"]
    assert ids([entry("caf")], "au café!") == []
    assert ids([entry("Straße")], "die Straße.") == ["Straße"]


def test_combining_marks_are_word_characters():
    # "हिन्दी" contains combining vowel signs; a key ending before one is not a whole word
    assert ids([entry("हिन्दी")], "मैं हिन्दी बोलता") == ["हिन्दी"]
    assert ids([entry("हिन")], "मैं हिन्दी बोलता") == []
    decomposed = "cafe\u0301"
    assert ids([entry("cafe")], f"au {decomposed}") == []


def test_cjk_has_no_word_boundaries():
    # CJK keys match inside running text (SillyTavern #1685)
    assert ids([entry("魔法")], "彼女は魔法使いだ") == ["魔法"]
    assert ids([entry("엘사")], "엘사가 왔다") == ["엘사"]
    # a Latin key next to CJK text still matches
    assert ids([entry("Python")], "我爱Python语言") == ["Python"]


def test_thai_has_no_word_boundaries():
    assert ids([entry("แมว")], "ฉันมีแมวสองตัว") == ["แมว"]


def test_greek_final_sigma():
    assert ids([entry("ΟΔΟΣ", id="odos")], "η οδος ήταν") == ["odos"]
    assert ids([entry("Σοφος", id="s")], "ΣΟΦΟΣ") == ["s"]


def test_dotted_capital_i_keeps_offsets():
    m = Matcher([entry("bob")], MatchOptions(recursive=False))
    text = "İİ bob"
    hit = m.scan(text).trace[0].hits[0]
    assert text[hit.start : hit.end] == "bob"


@pytest.mark.parametrize(
    ("logic", "text", "active"),
    [
        ("and_any", "Ann with a sword", True),
        ("and_any", "Ann alone", False),
        ("and_all", "Ann with a sword and a shield", True),
        ("and_all", "Ann with a sword", False),
        ("not_any", "Ann alone", True),
        ("not_any", "Ann with a shield", False),
        ("not_all", "Ann with a shield", True),
        ("not_all", "Ann alone", True),
        ("not_all", "Ann with a sword and a shield", False),
    ],
)
def test_secondary_logic(logic, text, active):
    e = entry("Ann", secondary_keys=["sword", "shield"], selective_logic=logic)
    result = Matcher([e], MatchOptions(recursive=False)).scan(text)
    assert (result.ids == ["Ann"]) is active
    if not active:
        assert result.item("Ann").reason == "secondary_logic"


def test_secondary_keys_alone_do_not_activate():
    e = entry("Ann", secondary_keys=["sword"])
    result = Matcher([e], MatchOptions(recursive=False)).scan("a sword")
    assert result.ids == []
    assert result.trace == []


@pytest.mark.parametrize(
    ("logic", "active"),
    [("and_any", False), ("and_all", False), ("not_any", True), ("not_all", True)],
)
def test_empty_secondary_keys_count_and_never_match(logic, active):
    # SillyTavern counts an empty secondary key and never matches it (`substituted &&
    # matchKeys(...)` in checkWorldInfo): under AND ALL the entry cannot activate.
    e = entry("Ann", secondary_keys=["", "  "], selective_logic=logic)
    assert (ids([e], "Ann") == ["Ann"]) is active


def test_no_secondary_keys_ignore_logic():
    assert ids([entry("Ann", secondary_keys=[], selective_logic="and_all")], "Ann") == ["Ann"]


def test_regex_keys():
    e = entry("/dragons?\\b/i", id="dragon")
    assert ids([e], "Two DRAGONS flew") == ["dragon"]
    assert ids([entry("/Dragon/", id="d")], "a dragon") == []


def test_regex_key_ignores_whole_word_setting():
    assert ids([entry("/ann/", id="a")], "banner") == ["a"]


def test_regex_key_js_named_groups():
    e = entry("/(?<word>ab)\\k<word>/", id="ab")
    assert ids([e], "xxababxx") == ["ab"]


def test_invalid_regex_key_is_reported_not_fatal():
    bad = entry("/([a-/", "Ann", id="bad")
    m = Matcher([bad], MatchOptions(recursive=False))
    assert m.scan("Ann").ids == ["bad"]
    assert [(e.id, raw) for e, raw, _ in m.key_errors()] == [("bad", "/([a-/")]


def test_slashes_without_regex_shape_are_literal():
    assert ids([entry("and/or", id="x")], "this and/or that") == ["x"]


def test_overlapping_keys_all_match():
    a = entry("New York", id="ny")
    b = entry("York City", id="yc")
    c = entry("York", id="y")
    assert sorted(ids([a, b, c], "in New York City")) == ["ny", "y", "yc"]


def test_key_hit_offsets_in_trace():
    result = Matcher([entry("Ann")], MatchOptions(recursive=False)).scan("Hi Ann, Ann!")
    hits = result.item("Ann").hits
    assert [(h.start, h.end, h.kind, h.source) for h in hits] == [
        (3, 6, "primary", "text"),
        (8, 11, "primary", "text"),
    ]


def test_keys_of_every_scope_layer_match():
    entries = [
        entry("Ann", level="global", id="g"),
        entry("Ann", level="series", id="se"),
        entry("Ann", level="story", id="st"),
        entry("Ann", level="character", id="ch"),
        entry("Ann", level="chat", id="ca"),
        entry("Ann", level="module", id="mo"),
    ]
    result = Matcher(entries, MatchOptions(recursive=False)).scan("Ann")
    # equal order: the budget prefers the most specific scope (chat, character, module,
    # story, series, global) and the prompt lists them the other way round, as
    # SillyTavern lists global lore before character lore before chat lore
    assert result.ids == ["g", "se", "st", "mo", "ch", "ca"]
    assert [i.level for i in result.trace] == [
        "global",
        "series",
        "story",
        "character",
        "chat",
        "module",
    ]


def test_find_lists_raw_occurrences():
    m = Matcher([entry("Ann", secondary_keys=["sword"])])
    found = [(e.id, kind, s, t) for e, kind, _, s, t in m.find("Ann's sword")]
    assert found == [("Ann", "primary", 0, 3), ("Ann", "secondary", 6, 11)]


def test_many_substring_keys_use_the_trie_path():
    words = [f"k{i}x" for i in range(60)]
    entries = [entry(w, match_whole_words=False) for w in words]
    assert sorted(ids(entries, "zzk7xzz k59x")) == ["k59x", "k7x"]


def test_deeply_nested_trie_compiles_everywhere():
    # keys that are prefixes of each other nest the trie regex as deep as it goes
    entries = [entry("x" * n, id=f"x{n}", match_whole_words=False) for n in range(1, 80)]
    found = ids(entries, "y" + "x" * 50 + "y")
    assert sorted(found, key=lambda i: int(i[1:])) == [f"x{n}" for n in range(1, 51)]


def test_match_options_from_the_settings_screen() -> None:
    from app.domain import AppSettings
    from app.lore import MatchOptions

    assert MatchOptions.from_settings(None) == MatchOptions()
    settings = AppSettings(
        lore_case_sensitive=True, lore_match_whole_words=False, lore_scan_depth=5,
        lore_recursive_scanning=False, lore_max_recursion=1, lore_token_budget=300,
    )
    options = MatchOptions.from_settings(settings)
    assert (options.case_sensitive, options.match_whole_words, options.scan_depth) == (
        True, False, 5)
    assert (options.recursive, options.max_recursion, options.token_budget) == (False, 1, 300)
