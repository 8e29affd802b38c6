"""Glitch tests: Preact signals' graph tests, sveltejs/svelte#10376, delivery order.

Preact's computeds are read lazily; here every leaf has a subscriber, so each
test asserts the values subscribers saw and how many times each function ran.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.reactive import batch, derived, get, readonly, writable

RUN_IN_BROWSER = True


class Spy:
    """Wraps a function; records its calls and results."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn
        self.results: list[Any] = []

    def __call__(self, value: Any) -> Any:
        result = self.fn(value)
        self.results.append(result)
        return result

    @property
    def calls(self) -> int:
        return len(self.results)

    def clear(self) -> None:
        self.results.clear()


def watch(store: Any) -> list[Any]:
    seen: list[Any] = []
    store.subscribe(seen.append)
    return seen


# -- Preact: graph updates ---------------------------------------------------
def test_runs_computeds_once_for_multiple_dep_changes_in_one_set() -> None:
    # Preact batches two writes; with stores the two inputs change in one set of a parent.
    source = writable(("a", "b"))
    a = derived(source, lambda s: s[0])
    b = derived(source, lambda s: s[1])
    compute = Spy(lambda v: v[0] + v[1])
    c = derived([a, b], compute)
    seen = watch(c)
    assert seen == ["ab"] and compute.calls == 1
    compute.clear()
    source.set(("aa", "bb"))
    assert seen == ["ab", "aabb"] and compute.calls == 1


def test_should_drop_a_b_a_updates() -> None:
    #     A
    #   / |
    #  B  |
    #   \ |
    #     C
    #     |
    #     D
    a = writable(2)
    b = derived(a, lambda v: v - 1)
    c = derived([a, b], lambda v: v[0] + v[1])
    compute = Spy(lambda v: f"d: {v}")
    d = derived(c, compute)
    seen = watch(d)
    assert seen == ["d: 3"] and compute.calls == 1
    compute.clear()
    a.set(4)
    assert seen == ["d: 3", "d: 7"] and compute.calls == 1


def test_should_only_update_every_signal_once_diamond_graph() -> None:
    #     A
    #   /   \
    #  B     C
    #   \   /
    #     D
    a = writable("a")
    b = derived(a, lambda v: v)
    c = derived(a, lambda v: v)
    spy = Spy(lambda v: f"{v[0]} {v[1]}")
    d = derived([b, c], spy)
    seen = watch(d)
    assert seen == ["a a"] and spy.calls == 1
    a.set("aa")
    assert seen == ["a a", "aa aa"] and spy.calls == 2


def test_should_only_update_every_signal_once_diamond_graph_plus_tail() -> None:
    #     A
    #   /   \
    #  B     C
    #   \   /
    #     D
    #     |
    #     E
    a = writable("a")
    b = derived(a, lambda v: v)
    c = derived(a, lambda v: v)
    d = derived([b, c], lambda v: f"{v[0]} {v[1]}")
    spy = Spy(lambda v: v)
    e = derived(d, spy)
    seen = watch(e)
    assert seen == ["a a"] and spy.calls == 1
    a.set("aa")
    assert seen == ["a a", "aa aa"] and spy.calls == 2


def test_should_bail_out_if_result_is_the_same() -> None:
    # A -> B -> C, B always "foo"
    a = writable("a")
    b = derived(a, lambda _: "foo")
    spy = Spy(lambda v: v)
    c = derived(b, spy)
    seen = watch(c)
    assert seen == ["foo"] and spy.calls == 1
    a.set("aa")
    assert seen == ["foo"] and spy.calls == 1


def test_should_only_update_every_signal_once_jagged_diamond_graph_plus_tails() -> None:
    #     A
    #   /   \
    #  B     C
    #  |     |
    #  |     D
    #   \   /
    #     E
    #   /   \
    #  F     G
    order: list[str] = []
    a = writable("a")
    b = derived(a, lambda v: v)
    c = derived(a, lambda v: v)
    d = derived(c, lambda v: v)

    def tracked(name: str, fn: Callable[[Any], Any]) -> Spy:
        def run(value: Any) -> Any:
            order.append(name)
            return fn(value)

        return Spy(run)

    e_spy = tracked("e", lambda v: f"{v[0]} {v[1]}")
    e = derived([b, d], e_spy)
    f_spy = tracked("f", lambda v: v)
    f = derived(e, f_spy)
    g_spy = tracked("g", lambda v: v)
    g = derived(e, g_spy)
    f_seen, g_seen = watch(f), watch(g)
    assert f_seen == ["a a"] and g_seen == ["a a"]
    for spy in (e_spy, f_spy, g_spy):
        spy.clear()
    order.clear()

    a.set("b")
    assert f_seen == ["a a", "b b"] and g_seen == ["a a", "b b"]
    assert (e_spy.calls, f_spy.calls, g_spy.calls) == (1, 1, 1)
    for spy in (e_spy, f_spy, g_spy):
        spy.clear()
    order.clear()

    a.set("c")
    assert f_seen[-1] == "c c" and g_seen[-1] == "c c"
    assert (e_spy.calls, f_spy.calls, g_spy.calls) == (1, 1, 1)
    assert order == ["e", "f", "g"]  # top to bottom, then left to right


def test_should_only_subscribe_to_signals_listened_to() -> None:
    #    *A
    #   /   \
    # *B     C <- nobody listens to C
    a = writable("a")
    b = derived(a, lambda v: v)
    spy = Spy(lambda v: v)
    derived(a, spy)
    seen = watch(b)
    assert seen == ["a"] and spy.calls == 0
    a.set("aa")
    assert seen == ["a", "aa"] and spy.calls == 0


def test_should_stop_updating_stores_nobody_listens_to_any_more() -> None:
    #    *A
    #   /   \
    # *B     D
    #  |
    # *C
    a = writable("a")
    spy_b = Spy(lambda v: v)
    b = derived(a, spy_b)
    spy_c = Spy(lambda v: v)
    c = derived(b, spy_c)
    d = derived(a, lambda v: v)
    result: list[str] = []
    unsubscribe = c.subscribe(result.append)
    assert result == ["a"]
    assert get(d) == "a"
    spy_b.clear()
    spy_c.clear()
    unsubscribe()
    a.set("aa")
    assert spy_b.calls == 0 and spy_c.calls == 0
    assert get(d) == "aa"


def test_should_ensure_subs_update_even_if_one_dep_unmarks_it() -> None:
    #     A
    #   /   \
    #  B     *C <- returns the same value every time
    #   \   /
    #     D
    a = writable("a")
    b = derived(a, lambda v: v)
    c = derived(a, lambda _: "c")
    spy = Spy(lambda v: f"{v[0]} {v[1]}")
    d = derived([b, c], spy)
    seen = watch(d)
    assert seen == ["a c"]
    spy.clear()
    a.set("aa")
    assert spy.results == ["aa c"] and seen == ["a c", "aa c"]


def test_should_ensure_subs_update_even_if_two_deps_unmark_it() -> None:
    #     A
    #   / | \
    #  B *C *D
    #   \ | /
    #     E
    a = writable("a")
    b = derived(a, lambda v: v)
    c = derived(a, lambda _: "c")
    d = derived(a, lambda _: "d")
    spy = Spy(lambda v: " ".join(v))
    e = derived([b, c, d], spy)
    seen = watch(e)
    assert seen == ["a c d"]
    spy.clear()
    a.set("aa")
    assert spy.results == ["aa c d"] and seen == ["a c d", "aa c d"]


def test_should_not_update_a_sub_if_all_deps_unmark_it() -> None:
    #     A
    #   /   \
    # *B     *C
    #   \   /
    #     D
    a = writable("a")
    b = derived(a, lambda _: "b")
    c = derived(a, lambda _: "c")
    spy = Spy(lambda v: f"{v[0]} {v[1]}")
    d = derived([b, c], spy)
    seen = watch(d)
    assert seen == ["b c"]
    spy.clear()
    a.set("aa")
    assert spy.calls == 0 and seen == ["b c"]


def test_should_keep_graph_consistent_on_errors_in_computeds() -> None:
    a = writable(0)

    def fail_on_one(v: int) -> int:
        if v == 1:
            raise ValueError("fail")
        return v

    b = derived(a, fail_on_one)
    c = derived(b, lambda v: v)
    seen = watch(c)
    with pytest.raises(ValueError, match="fail"):
        a.set(1)
    a.set(2)
    assert seen == [0, 2]
    assert get(c) == 2


def test_should_keep_graph_consistent_on_errors_during_activation() -> None:
    a = writable(0)

    def fail(_: int) -> int:
        raise ValueError("fail")

    b = derived(a, fail)
    c = derived(a, lambda v: v)
    with pytest.raises(ValueError, match="fail"):
        b.subscribe(lambda _: None)
    a.set(1)
    assert get(c) == 1
    with pytest.raises(ValueError, match="fail"):
        get(b)


# -- sveltejs/svelte#10376: unequal path lengths -------------------------------
@pytest.mark.parametrize("order", ["a_first", "b_first"])
def test_unequal_path_lengths_do_not_glitch(order: str) -> None:
    #  A ---------> C
    #  \--> B ----/
    a = writable(1)
    b = derived(a, lambda v: v * 2)
    if order == "a_first":
        spy = Spy(lambda v: v[0] + v[1])
        c = derived([a, b], spy)
    else:
        spy = Spy(lambda v: v[1] + v[0])
        c = derived([b, a], spy)
    seen = watch(c)
    a.set(2)
    a.set(3)
    assert seen == [3, 6, 9]  # Svelte emits [3, 4, 6, 7, 9] for the a-first order
    assert spy.calls == 3


@pytest.mark.parametrize("order", ["short_first", "long_first"])
def test_unequal_path_lengths_with_long_chains(order: str) -> None:
    # One path of length 1 and one of length 4 into the same store.
    a = writable(1)
    chain = a
    for _ in range(4):
        chain = derived(chain, lambda v: v + 1)
    inputs = [a, chain] if order == "short_first" else [chain, a]
    spy = Spy(lambda v: (v[0], v[1]))
    c = derived(inputs, spy)
    seen = watch(c)
    a.set(10)
    expected_first = (1, 5) if order == "short_first" else (5, 1)
    expected_last = (10, 14) if order == "short_first" else (14, 10)
    assert seen == [expected_first, expected_last]
    assert spy.calls == 2


@pytest.mark.parametrize("order", ["a_first", "b_first"])
def test_subscriber_of_source_and_of_derived_sees_consistent_values(order: str) -> None:
    # A plain subscriber reads another store; it must never see it half updated.
    a = writable(1)
    b = derived(a, lambda v: v * 10)
    c = derived([a, b] if order == "a_first" else [b, a], lambda v: sum(v))
    observed: list[tuple[int, int, int]] = []
    unsub_c = c.subscribe(lambda _: None)
    a.subscribe(lambda v: observed.append((v, get(b), get(c))))
    a.set(2)
    a.set(3)
    assert observed == [(1, 10, 11), (2, 20, 22), (3, 30, 33)]
    unsub_c()


def test_readonly_views_stay_glitch_free() -> None:
    a = writable(1)
    ra = readonly(a)
    b = readonly(derived(ra, lambda v: v * 2))
    spy = Spy(lambda v: v[0] + v[1])
    c = derived([ra, b], spy)
    seen = watch(c)
    a.set(2)
    assert seen == [3, 6] and spy.calls == 2


# -- delivery order -------------------------------------------------------------
def test_nested_sets_are_delivered_breadth_first_in_set_order() -> None:
    log: list[str] = []
    a = writable(0)
    b = writable(0)

    def on_a(v: int) -> None:
        log.append(f"a1:{v}")
        if v == 1:
            b.set(1)
            log.append("a1 done")

    a.subscribe(on_a)
    a.subscribe(lambda v: log.append(f"a2:{v}"))
    b.subscribe(lambda v: log.append(f"b:{v}"))
    log.clear()
    a.set(1)
    assert log == ["a1:1", "a1 done", "a2:1", "b:1"]


def test_set_inside_subscriber_settles_derived_stores_before_returning() -> None:
    a = writable(0)
    b = writable(0)
    total = derived([a, b], lambda v: v[0] + v[1])
    unsub = total.subscribe(lambda _: None)
    seen_inside: list[int] = []

    def on_a(v: int) -> None:
        if v == 1:
            b.set(5)
            seen_inside.append(get(total))

    a.subscribe(on_a)
    a.set(1)
    assert seen_inside == [6]
    unsub()


def test_two_sets_before_delivery_recompute_once_with_the_last_value() -> None:
    trigger = writable(0)
    a = writable(0)
    b = derived(a, lambda v: v * 2)
    spy = Spy(lambda v: (v[0], v[1]))
    c = derived([a, b], spy)
    seen = watch(c)

    def on_trigger(v: int) -> None:
        if v:
            a.set(1)
            a.set(2)

    trigger.subscribe(on_trigger)
    spy.clear()
    trigger.set(1)
    assert seen == [(0, 0), (1, 2), (2, 4)]
    assert all(v[1] == v[0] * 2 for v in spy.results)


def test_subscriber_exception_does_not_stop_other_subscribers() -> None:
    a = writable(0)
    seen: list[int] = []

    def boom(v: int) -> None:
        if v == 1:
            raise RuntimeError("boom")

    a.subscribe(boom)
    a.subscribe(seen.append)
    with pytest.raises(RuntimeError, match="boom"):
        a.set(1)
    a.set(2)
    assert seen == [0, 1, 2]


def test_unsubscribed_subscriber_is_not_called_with_queued_values() -> None:
    a = writable(0)
    seen: list[int] = []
    unsubscribers: list[Any] = []

    def first(v: int) -> None:
        if v and unsubscribers:
            unsubscribers.pop()()

    a.subscribe(first)
    unsubscribers.append(a.subscribe(seen.append))
    a.set(1)
    assert seen == [0]


def test_late_subscriber_of_a_derived_store_sees_a_consistent_value() -> None:
    # A subscriber of the source subscribes to a derived store mid-update.
    a = writable(1)
    b = derived(a, lambda v: v * 2)
    c = derived([a, b], lambda v: (v[0], v[1]))
    keep = c.subscribe(lambda _: None)
    late: list[tuple[int, int]] = []

    def on_a(v: int) -> None:
        if v == 2:
            c.subscribe(late.append)

    a.subscribe(on_a)
    a.set(2)
    assert late == [(2, 4)]
    keep()


def test_derived_with_set_later_keeps_value_until_it_sets() -> None:
    a = writable(1)
    setters: list[Any] = []

    def fn(v: int, set_: Any) -> None:
        setters.append((v, set_))

    d = derived(a, fn, "initial")
    seen = watch(d)
    a.set(2)
    assert seen == ["initial"]
    value, set_ = setters[-1]
    set_(value * 100)
    assert seen == ["initial", 200]


def test_derived_that_sets_asynchronously_feeds_its_dependents_consistently() -> None:
    a = writable(1)
    later = derived(a, lambda v, set_: setters.append(lambda: set_(v * 3)), 0)
    setters: list[Any] = []
    spy = Spy(lambda v: (v[0], v[1]))
    both = derived([a, later], spy)
    seen = watch(both)
    a.set(2)
    setters.pop()()
    assert seen == [(1, 0), (2, 0), (2, 6)]


# -- batch ----------------------------------------------------------------------
def test_batch_recomputes_once_and_shows_no_partial_state() -> None:
    a = writable(1)
    b = writable(2)
    spy = Spy(lambda v: v[0] + v[1])
    total = derived([a, b], spy)
    seen = watch(total)
    seen_a = watch(a)
    spy.clear()
    with batch():
        a.set(10)
        b.set(20)
        assert seen == [3] and seen_a == [1]  # nothing delivered inside the block
    assert seen == [3, 30] and spy.calls == 1
    assert seen_a == [1, 10]


def test_nested_batches_deliver_at_the_outermost_end() -> None:
    a = writable(0)
    seen = watch(a)
    with batch():
        with batch():
            a.set(1)
        assert seen == [0]
        a.set(2)
        assert seen == [0]
    assert seen == [0, 1, 2]  # every set is still delivered, in order


def test_batch_delivers_even_when_the_block_raises() -> None:
    a = writable(0)
    doubled = derived(a, lambda v: v * 2)
    seen = watch(doubled)
    with pytest.raises(RuntimeError), batch():
        a.set(1)
        raise RuntimeError("stop")
    assert seen == [0, 2]
    a.set(2)
    assert seen == [0, 2, 4]


def test_a_long_chain_beside_a_short_path_stays_glitch_free() -> None:
    a = writable(0)
    chain = a
    for _ in range(150):
        chain = derived(chain, lambda v: v + 1)
    spy = Spy(lambda v: (v[0], v[1]))
    end = derived([a, chain], spy)
    seen = watch(end)
    a.set(1)
    a.set(2)
    assert seen == [(0, 150), (1, 151), (2, 152)]
    assert spy.calls == 3


def test_outside_subscriber_with_invalidate_always_gets_a_run_after_it() -> None:
    # Svelte's contract: every invalidate() is followed by a run(). A warning that is
    # withdrawn (the derived value did not change) must still be answered.
    a = writable(1)
    parity = derived(a, lambda v: v % 2)
    events: list[Any] = []
    parity.subscribe(lambda v: events.append(("run", v)), lambda: events.append("invalidate"))
    events.clear()
    a.set(3)  # parity unchanged
    a.set(4)
    assert events == ["invalidate", ("run", 1), "invalidate", ("run", 0)]


# ---------------------------------------------------------------- deep chains (issue 10, 9)


@pytest.mark.parametrize("depth", [200, 1000])
def test_a_deep_chain_of_derived_stores_starts_updates_and_stops(depth: int) -> None:
    starts: list[str] = []
    stops: list[str] = []

    def start(_set: Any) -> Callable[[], None]:
        starts.append("root")
        return lambda: stops.append("root")

    root = writable(0, start)
    chain = [root]
    for _ in range(depth):
        chain.append(derived(chain[-1], lambda v: v + 1))
    last = chain[-1]
    seen: list[int] = []
    off = last.subscribe(seen.append)
    root.set(5)
    assert seen == [depth, depth + 5]
    assert get(chain[depth // 2]) == depth // 2 + 5  # a store in the middle, already running
    off()
    assert (starts, stops) == (["root"], ["root"])  # the whole chain started and stopped
    assert get(last) == depth + 5  # and starts again (and stops) for one read


def test_a_deep_diamond_is_glitch_free() -> None:
    root = writable(1)
    left = right = root
    for _ in range(300):
        left = derived(left, lambda v: v + 1)
        right = derived(right, lambda v: v * 1)
    both = derived([left, right], lambda vs: (vs[0], vs[1]))
    seen: list[tuple[int, int]] = []
    off = both.subscribe(seen.append)
    root.set(2)
    assert seen == [(301, 1), (302, 2)]  # never a mix of old and new
    off()
