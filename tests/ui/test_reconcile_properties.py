"""Property tests for keyed plans (CPython only: uses hypothesis)."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from app.ui import apply_plan, longest_increasing_subsequence, plan_keyed

keys = st.lists(st.integers(0, 40), unique=True, max_size=30)


@given(keys, keys)
def test_plan_turns_old_into_new(old: list[int], new: list[int]) -> None:
    assert apply_plan(old, plan_keyed(old, new)) == new


@given(keys, keys)
def test_plan_is_minimal(old: list[int], new: list[int]) -> None:
    plan = plan_keyed(old, new)
    kept = [k for k in new if k in set(old)]
    position = {k: i for i, k in enumerate(old)}
    best = len(longest_increasing_subsequence([position[k] for k in kept]))
    assert plan.moves == len(kept) - best
    assert plan.inserts == len(set(new) - set(old))
    assert sorted(plan.removes) == sorted(set(old) - set(new))


@given(st.lists(st.integers(), max_size=40))
def test_lis_is_increasing_and_longest(values: list[int]) -> None:
    values = [abs(v) for v in values]
    idx = longest_increasing_subsequence(values)
    assert idx == sorted(idx)
    picked = [values[i] for i in idx]
    assert all(a < b for a, b in itertools.pairwise(picked))
    # O(n^2) reference length
    best = [1] * len(values)
    for i in range(len(values)):
        for j in range(i):
            if values[j] < values[i]:
                best[i] = max(best[i], best[j] + 1)
    assert len(idx) == max(best, default=0)


@given(st.lists(st.integers(0, 1000), unique=True, min_size=2, max_size=60), st.data())
def test_any_single_move_is_one_step(old: list[int], data: st.DataObject) -> None:
    src = data.draw(st.integers(0, len(old) - 1))
    dst = data.draw(st.integers(0, len(old) - 1))
    new = list(old)
    new.insert(dst, new.pop(src))
    plan = plan_keyed(old, new)
    assert plan.moves == (0 if new == old else 1)
    assert not plan.removes
    assert plan.inserts == 0
