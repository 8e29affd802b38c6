"""Keyed reconciliation plans: one-row edits cost one step, and plans are correct."""

from __future__ import annotations

import pytest

from app.ui import Plan, Step, apply_plan, longest_increasing_subsequence, plan_keyed

RUN_IN_BROWSER = True

ROWS = list(range(100))


def test_identical_lists_need_nothing() -> None:
    assert not plan_keyed(ROWS, list(ROWS))


def test_append_one_row_is_one_insert_at_the_end() -> None:
    plan = plan_keyed(ROWS, [*ROWS, 100])
    assert plan == Plan(removes=[], steps=[Step("insert", 100, None)])


def test_insert_in_the_middle_names_its_successor() -> None:
    new = [*ROWS[:40], "x", *ROWS[40:]]
    assert plan_keyed(ROWS, new).steps == [Step("insert", "x", 40)]


def test_remove_one_row_is_one_remove() -> None:
    new = [k for k in ROWS if k != 57]
    plan = plan_keyed(ROWS, new)
    assert plan.removes == [57]
    assert plan.steps == []


@pytest.mark.parametrize(("src", "dst"), [(5, 95), (95, 5), (0, 99), (99, 0), (10, 11), (11, 10)])
def test_move_one_row_is_one_move(src: int, dst: int) -> None:
    new = list(ROWS)
    new.insert(dst, new.pop(src))
    plan = plan_keyed(ROWS, new)
    assert plan.removes == []
    assert plan.moves == 1
    assert plan.inserts == 0
    assert apply_plan(ROWS, plan) == new


def test_swap_two_rows_is_two_moves_at_most() -> None:
    new = list(ROWS)
    new[3], new[80] = new[80], new[3]
    plan = plan_keyed(ROWS, new)
    assert plan.moves == 2
    assert apply_plan(ROWS, plan) == new


def test_reverse_keeps_one_row_in_place() -> None:
    new = list(reversed(ROWS))
    plan = plan_keyed(ROWS, new)
    assert plan.moves == len(ROWS) - 1
    assert apply_plan(ROWS, plan) == new


def test_replace_everything() -> None:
    new = [f"n{i}" for i in range(5)]
    plan = plan_keyed(ROWS[:5], new)
    assert sorted(plan.removes) == ROWS[:5]
    assert plan.inserts == 5
    assert apply_plan(ROWS[:5], plan) == new


def test_from_and_to_empty() -> None:
    assert apply_plan([], plan_keyed([], ["a", "b"])) == ["a", "b"]
    assert plan_keyed(["a", "b"], []).removes == ["a", "b"]


def test_mixed_edit() -> None:
    old = ["a", "b", "c", "d", "e", "f"]
    new = ["f", "b", "x", "d", "c"]
    plan = plan_keyed(old, new)
    assert sorted(plan.removes) == ["a", "e"]
    assert apply_plan(old, plan) == new
    assert plan.moves == 2  # LIS of [b, d] or [b, c] stays


def test_duplicate_new_keys_are_rejected() -> None:
    with pytest.raises(ValueError, match="duplicate key"):
        plan_keyed(["a"], ["a", "a"])


def test_lis_skips_negative_entries() -> None:
    values = [3, -1, 1, 2, -1, 0, 5, 4]
    idx = longest_increasing_subsequence(values)
    picked = [values[i] for i in idx]
    assert picked == sorted(picked)
    assert len(picked) == 3  # 1, 2, 5 (or 1, 2, 4)
    assert all(v >= 0 for v in picked)


def test_lis_of_nothing() -> None:
    assert longest_increasing_subsequence([]) == []
    assert longest_increasing_subsequence([-1, -1]) == []
