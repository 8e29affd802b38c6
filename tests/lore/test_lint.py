"""Lorebook lint."""

from __future__ import annotations

from app.lore import MatchOptions, lint
from tests.lore._factory import entry

RUN_IN_BROWSER = True


def kinds(issues):
    return sorted((i.kind, i.key) for i in issues)


def test_key_collision_across_scopes():
    issues = lint([entry("Ann", id="g"), entry("ann", id="s", level="story"), entry("Bob")])
    collisions = [i for i in issues if i.kind == "key_collision"]
    assert len(collisions) == 1
    assert collisions[0].entry_ids == ["g", "s"]
    assert "global" in collisions[0].message and "story:story-1" in collisions[0].message


def test_same_scope_duplicates_are_not_collisions():
    assert lint([entry("Ann", id="a"), entry("Ann", id="b")]) == []


def test_common_word_keys():
    issues = lint([entry("the", id="x"), entry("Al", id="y"), entry("Eldoria", id="z")])
    assert kinds(issues) == [("common_key", "Al"), ("common_key", "the")]


def test_common_regex_keys():
    issues = lint([entry("/.*/", id="r"), entry("/\\w+/", id="w"), entry("/dragon/i", id="ok")])
    assert kinds(issues) == [("common_key", "/.*/"), ("common_key", "/\\w+/")]


def test_common_by_sample_text():
    text = "\n\n".join(["The sword gleamed.", "A sword fell.", "No sword here? sword.", "Sky."])
    issues = lint([entry("sword"), entry("Sky")], sample_text=text)
    assert kinds(issues) == [("common_key", "sword")]


def test_entries_that_never_fit_the_budget():
    entries = [
        entry("a", content="x" * 400),
        entry(id="c", constant=True, content="x" * 400),
        entry("b"),
    ]
    issues = lint(entries, MatchOptions(token_budget=50))
    fits = [i for i in issues if i.kind == "never_fits"]
    assert [i.entry_ids for i in fits] == [["a"], ["c"]]
    assert "can never fit" in fits[0].message
    assert "constant" in fits[1].message


def test_invalid_and_missing_keys():
    issues = lint([entry("/([/", id="bad"), entry(id="nokeys")])
    assert kinds(issues) == [("invalid_key", "/([/"), ("never_activates", None)]


def test_nested_quantifier_regex_is_flagged():
    issues = lint([entry("/(a+)+b/", id="slow"), entry("/(ab)+c/", id="fine")])
    assert kinds(issues) == [("slow_regex", "/(a+)+b/")]
