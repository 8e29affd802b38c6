"""The change rule (Svelte's safe_not_equal) and ``equals=``."""

from __future__ import annotations

import math
from typing import Any

import pytest

from app.reactive import derived, readable, safe_not_equal, writable

RUN_IN_BROWSER = True


@pytest.mark.parametrize(
    ("old", "new", "changed"),
    [
        (1, 1, False),
        (1, 2, True),
        (1, 1.0, False),  # one number type, as in JavaScript
        (0.0, -0.0, False),
        (True, 1, True),  # a bool is not a number
        (True, True, False),
        ("a", "a", False),
        ("a", "b", True),
        (None, None, False),
        (None, 0, True),
        (b"x", b"x", False),
        (math.nan, math.nan, False),
        (math.nan, 1.0, True),
        (1.0, math.nan, True),
        ((1, 2), (1, 2), True),  # tuples are objects
        ([1], [1], True),
        ({}, {}, True),
        (print, print, True),  # functions always count as changed
    ],
    ids=lambda v: repr(v),
)
def test_safe_not_equal(old: Any, new: Any, changed: bool) -> None:
    assert safe_not_equal(old, new) is changed


def test_same_object_set_again_notifies() -> None:
    items = [1]
    store = writable(items)
    seen: list[Any] = []
    store.subscribe(seen.append)
    items.append(2)
    store.set(items)
    assert len(seen) == 2 and seen[-1] == [1, 2]


def test_nan_set_again_does_not_notify() -> None:
    store = writable(math.nan)
    seen: list[Any] = []
    store.subscribe(seen.append)
    store.set(math.nan)
    assert len(seen) == 1


def test_equals_replaces_the_rule_for_writable_readable_and_derived() -> None:
    same = lambda a, b: a == b  # noqa: E731
    store = writable([1], equals=same)
    seen: list[Any] = []
    store.subscribe(seen.append)
    store.set([1])
    store.set([1, 2])
    assert seen == [[1], [1, 2]]

    setters: list[Any] = []
    ticker = readable({"n": 0}, lambda set_: setters.append(set_), equals=same)
    ticks: list[Any] = []
    ticker.subscribe(ticks.append)
    setters[0]({"n": 0})
    setters[0]({"n": 1})
    assert ticks == [{"n": 0}, {"n": 1}]

    pairs = derived(store, lambda v: [len(v) > 1], equals=same)
    out: list[Any] = []
    pairs.subscribe(out.append)
    store.set([1, 2, 3])  # still [True]: not delivered
    store.set([1])
    assert out == [[True], [False]]


def test_equals_false_makes_every_set_notify() -> None:
    store = writable(1, equals=lambda a, b: False)
    seen: list[Any] = []
    store.subscribe(seen.append)
    store.set(1)
    assert seen == [1, 1]
