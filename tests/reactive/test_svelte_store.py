"""Svelte's store tests (packages/svelte/tests/store/test.ts), ported to Python."""

from __future__ import annotations

from typing import Any

import pytest

from app.reactive import derived, get, readable, readonly, writable

RUN_IN_BROWSER = True


# -- writable ---------------------------------------------------------------
def test_creates_a_writable_store() -> None:
    count = writable(0)
    values: list[int] = []
    unsubscribe = count.subscribe(values.append)
    count.set(1)
    count.update(lambda n: n + 1)
    unsubscribe()
    count.set(3)
    count.update(lambda n: n + 1)
    assert values == [0, 1, 2]


def test_creates_an_undefined_writable_store() -> None:
    store = writable()
    values: list[Any] = []
    store.subscribe(values.append)()
    assert values == [None]


def test_calls_provided_subscribe_handler() -> None:
    called = 0

    def start(_set: Any) -> Any:
        nonlocal called
        called += 1

        def stop() -> None:
            nonlocal called
            called -= 1

        return stop

    store = writable(0, start)
    unsubscribe1 = store.subscribe(lambda _: None)
    assert called == 1
    unsubscribe2 = store.subscribe(lambda _: None)
    assert called == 1
    unsubscribe1()
    assert called == 1
    unsubscribe2()
    assert called == 0


def test_does_not_assume_immutable_data() -> None:
    obj: dict[str, Any] = {}
    called = 0
    store = writable(obj)

    def run(_: Any) -> None:
        nonlocal called
        called += 1

    store.subscribe(run)
    store.set(obj)
    assert called == 2
    store.update(lambda o: o)
    assert called == 3


def test_only_calls_subscriber_once_initially_including_on_resubscriptions() -> None:
    num = 0

    def start(set_: Any) -> None:
        nonlocal num
        num += 1
        set_(num)

    store = writable(num, start)
    count1: list[Any] = []
    count2: list[Any] = []
    store.subscribe(count1.append)()
    assert len(count1) == 1
    unsubscribe = store.subscribe(count2.append)
    assert len(count2) == 1
    assert count1 == [1] and count2 == [2]
    unsubscribe()


def test_no_error_even_if_unsubscribe_calls_twice() -> None:
    store = writable(0, lambda set_: set_(1))
    unsubscribe = store.subscribe(lambda _: None)
    unsubscribe()
    unsubscribe()


# -- readable ---------------------------------------------------------------
def test_creates_a_readable_store() -> None:
    running = False
    tick: Any = lambda _value: None  # noqa: E731

    def start(set_: Any) -> Any:
        nonlocal tick, running
        tick = set_
        running = True
        set_(0)

        def stop() -> None:
            nonlocal tick, running
            tick = lambda _value: None  # noqa: E731
            running = False

        return stop

    store = readable(None, start)
    assert not running
    values: list[int] = []
    unsubscribe = store.subscribe(values.append)
    assert running
    tick(1)
    tick(2)
    unsubscribe()
    assert not running
    tick(3)
    tick(4)
    assert values == [0, 1, 2]


def test_passes_an_optional_update_function() -> None:
    running = False
    tick: Any = lambda _value: None  # noqa: E731
    add: Any = lambda _n: None  # noqa: E731

    def start(set_: Any, update: Any) -> Any:
        nonlocal tick, add, running
        tick = set_
        running = True
        add = lambda n: update(lambda value: value + n)  # noqa: E731
        set_(0)

        def stop() -> None:
            nonlocal tick, add, running
            tick = lambda _value: None  # noqa: E731
            add = lambda _n: None  # noqa: E731
            running = False

        return stop

    store = readable(None, start)
    assert not running
    values: list[int] = []
    unsubscribe = store.subscribe(values.append)
    assert running
    tick(1)
    tick(2)
    add(3)
    add(4)
    tick(5)
    add(6)
    unsubscribe()
    assert not running
    tick(7)
    add(8)
    assert values == [0, 1, 2, 5, 9, 5, 11]


def test_creates_an_undefined_readable_store() -> None:
    store = readable()
    values: list[Any] = []
    store.subscribe(values.append)()
    assert values == [None]


def test_creates_a_readable_store_without_updater() -> None:
    store = readable(100)
    values: list[int] = []
    store.subscribe(values.append)()
    assert values == [100]


class _FakeObservable:
    """An RxJS-style observable: ``subscribe`` returns an object with ``unsubscribe``."""

    def __init__(self) -> None:
        self.unsubscribed = 0

    def subscribe(self, fn: Any) -> Any:
        fn(42)
        observable = self

        class Subscription:
            def unsubscribe(self) -> None:
                observable.unsubscribed += 1

        return Subscription()


# -- derived ----------------------------------------------------------------
def test_maps_a_single_store() -> None:
    a = writable(1)
    b = derived(a, lambda n: n * 2)
    values: list[int] = []
    unsubscribe = b.subscribe(values.append)
    a.set(2)
    assert values == [2, 4]
    unsubscribe()
    a.set(3)
    assert values == [2, 4]


def test_maps_multiple_stores() -> None:
    a = writable(2)
    b = writable(3)
    c = derived([a, b], lambda v: v[0] * v[1])
    values: list[int] = []
    unsubscribe = c.subscribe(values.append)
    a.set(4)
    b.set(5)
    assert values == [6, 12, 20]
    unsubscribe()
    a.set(6)
    assert values == [6, 12, 20]


def test_passes_optional_set_function() -> None:
    number = writable(1)

    def fn(n: int, set_: Any) -> None:
        if n % 2 == 0:
            set_(n)

    evens = derived(number, fn, 0)
    values: list[int] = []
    unsubscribe = evens.subscribe(values.append)
    number.set(2)
    number.set(3)
    number.set(4)
    number.set(5)
    assert values == [0, 2, 4]
    unsubscribe()
    number.set(6)
    number.set(7)
    number.set(8)
    assert values == [0, 2, 4]


def test_passes_optional_set_and_update_functions() -> None:
    number = writable(1)

    def fn(n: int, set_: Any, update: Any) -> None:
        if n % 2 == 0:
            set_(n)
        if n % 4 == 0:
            update(lambda m: m * m)

    evens_and_squares_of_4 = derived(number, fn, 0)
    values: list[int] = []
    unsubscribe = evens_and_squares_of_4.subscribe(values.append)
    for n in (2, 3, 4, 5, 6):
        number.set(n)
    assert values == [0, 2, 4, 16, 6]
    for n in (7, 8, 9, 10):
        number.set(n)
    assert values == [0, 2, 4, 16, 6, 8, 64, 10]
    unsubscribe()
    number.set(11)
    number.set(12)
    assert values == [0, 2, 4, 16, 6, 8, 64, 10]


def test_prevents_glitches() -> None:
    lastname = writable("Jekyll")
    firstname = derived(lastname, lambda n: "Henry" if n == "Jekyll" else "Edward")
    fullname = derived([firstname, lastname], lambda names: " ".join(names))
    values: list[str] = []
    unsubscribe = fullname.subscribe(values.append)
    lastname.set("Hyde")
    assert values == ["Henry Jekyll", "Edward Hyde"]
    unsubscribe()


def test_prevents_diamond_dependency_problem() -> None:
    count = writable(0)
    values: list[str] = []
    a = derived(count, lambda c: f"a{c}")
    b = derived(count, lambda c: f"b{c}")
    combined = derived([a, b], lambda v: v[0] + v[1])
    unsubscribe = combined.subscribe(values.append)
    assert values == ["a0b0"]
    count.set(1)
    assert values == ["a0b0", "a1b1"]
    unsubscribe()


def test_derived_dependency_does_not_update_and_shared_ancestor_updates() -> None:
    root = writable({"a": 0, "b": 0})
    values: list[str] = []
    a = derived(root, lambda r: f"a{r['a']}")
    b = derived([a, root], lambda v: f"b{v[1]['b']}{v[0]}")
    unsubscribe = b.subscribe(values.append)
    assert values == ["b0a0"]
    root.set({"a": 0, "b": 1})
    assert values == ["b0a0", "b1a0"]
    unsubscribe()


def test_is_updated_with_safe_not_equal_logic() -> None:
    arr = [0]
    number = writable(1)

    def fn(n: int) -> list[int]:
        arr[0] = n
        return arr

    numbers = derived(number, fn)
    concatenated: list[int] = []
    unsubscribe = numbers.subscribe(lambda value: concatenated.extend(value))
    number.set(2)
    number.set(3)
    assert concatenated == [1, 2, 3]
    unsubscribe()


def test_calls_a_cleanup_function() -> None:
    num = writable(1)
    values: list[int] = []
    cleaned_up: list[int] = []

    def fn(n: int, set_: Any) -> Any:
        set_(n * 2)
        return lambda: cleaned_up.append(n)

    d = derived(num, fn)
    num.set(2)
    unsubscribe = d.subscribe(values.append)
    num.set(3)
    num.set(4)
    assert values == [4, 6, 8]
    assert cleaned_up == [2, 3]
    unsubscribe()
    assert cleaned_up == [2, 3, 4]


def test_discards_non_function_return_values() -> None:
    num = writable(1)
    values: list[int] = []

    def fn(n: int, set_: Any) -> Any:
        set_(n * 2)
        return {}

    d = derived(num, fn)
    num.set(2)
    unsubscribe = d.subscribe(values.append)
    num.set(3)
    num.set(4)
    assert values == [4, 6, 8]
    unsubscribe()


def test_allows_derived_with_different_types() -> None:
    a = writable("one")
    b = writable(1)
    c = derived([a, b], lambda v: f"{v[0]} {v[1]}")
    assert get(c) == "one 1"
    a.set("two")
    b.set(2)
    assert get(c) == "two 2"


def test_derived_works_with_rxjs_style_observables() -> None:
    observable = _FakeObservable()
    d = derived(observable, lambda x: x)
    assert get(d) == 42
    assert observable.unsubscribed == 1


def test_does_not_restart_when_unsubscribed_from_another_store_with_a_shared_ancestor() -> None:
    a = writable(True)
    b_started = False

    def b_fn(_: Any, __: Any) -> Any:
        nonlocal b_started
        b_started = True

        def cleanup() -> None:
            nonlocal b_started
            assert b_started
            b_started = False

        return cleanup

    b = derived(a, b_fn)

    def c_fn(value: bool, set_: Any) -> Any:
        if value:
            return b.subscribe(set_)
        return None

    c = derived(a, c_fn)
    c.subscribe(lambda _: None)
    a.set(False)
    assert b_started is False


def test_errors_on_undefined_stores_1() -> None:
    with pytest.raises(TypeError):
        derived(None, lambda n: n)  # type: ignore[arg-type]


def test_errors_on_undefined_stores_2() -> None:
    a = writable(1)
    with pytest.raises(TypeError):
        derived([a, None, None], lambda v: v[0] * 2)  # type: ignore[list-item]


def test_prevents_glitches_with_32_or_more_dependencies() -> None:
    # sveltejs/svelte#18706: a bitmask of dirty inputs broke at 32 inputs.
    root = writable(0)
    leaves = [derived(root, lambda v, i=i: v + i) for i in range(40)]
    total = derived(leaves, sum)
    values: list[int] = []
    unsubscribe = total.subscribe(values.append)
    root.set(1)
    assert values == [sum(range(40)), sum(range(40)) + 40]
    unsubscribe()


# -- get / readonly ---------------------------------------------------------
def test_get_gets_the_current_value_of_a_store() -> None:
    store = readable(42, lambda _set: None)
    assert get(store) == 42


def test_get_works_with_rxjs_style_observables() -> None:
    assert get(_FakeObservable()) == 42


def test_readonly_makes_a_store_readonly() -> None:
    writable_store = writable(1)
    readable_store = readonly(writable_store)
    assert get(readable_store) == get(writable_store)
    writable_store.set(2)
    assert get(readable_store) == 2
    assert get(readable_store) == get(writable_store)
    with pytest.raises(AttributeError):
        readable_store.set(3)  # type: ignore[attr-defined]
