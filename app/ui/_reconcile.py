"""Keyed reconciliation as a pure plan: which keys to remove, insert and move.

The algorithm is the one ivi and Inferno use, trimmed to what a list needs:

1. skip the common prefix and the common suffix (one-row edits end here);
2. if the remaining middle is a rotation by one, that is a single move;
3. otherwise map each new key to its old position and keep the longest
   increasing subsequence of those positions in place; every other surviving
   key moves, every unknown key is inserted, every vanished key is removed.

The plan is applied right to left, so each step names the key it must be placed
before (``None`` = the end of the list). Nothing here touches the DOM.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Plan", "Step", "apply_plan", "longest_increasing_subsequence", "plan_keyed"]

Op = Literal["insert", "move"]


@dataclass(frozen=True, slots=True)
class Step:
    """Place ``key`` right before ``before`` (``None``: at the end)."""

    op: Op
    key: Hashable
    before: Hashable | None


@dataclass(slots=True)
class Plan:
    """What turns the old key order into the new one."""

    removes: list[Hashable] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)

    @property
    def moves(self) -> int:
        return sum(1 for s in self.steps if s.op == "move")

    @property
    def inserts(self) -> int:
        return sum(1 for s in self.steps if s.op == "insert")

    def __bool__(self) -> bool:
        return bool(self.removes or self.steps)


def longest_increasing_subsequence(values: Sequence[int]) -> list[int]:
    """Indices of one longest strictly increasing subsequence; negative values are skipped."""
    tails: list[int] = []  # tails[k] = smallest tail value of an increasing run of length k+1
    tail_at: list[int] = []  # index in ``values`` of that tail
    prev: list[int] = [-1] * len(values)
    for i, v in enumerate(values):
        if v < 0:
            continue
        k = bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_at.append(i)
        else:
            tails[k] = v
            tail_at[k] = i
        prev[i] = tail_at[k - 1] if k else -1
    out: list[int] = []
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        out.append(i)
        i = prev[i]
    out.reverse()
    return out


def _check_unique(keys: Sequence[Hashable], which: str) -> None:
    if len(set(keys)) != len(keys):
        seen: set[Hashable] = set()
        for k in keys:
            if k in seen:
                raise ValueError(f"duplicate key in {which} list: {k!r}")
            seen.add(k)


def plan_keyed(old: Sequence[Hashable], new: Sequence[Hashable]) -> Plan:
    """The smallest set of DOM operations (by move count) turning ``old`` into ``new``."""
    _check_unique(new, "new")
    plan = Plan()
    n_old, n_new = len(old), len(new)
    start = 0
    limit = min(n_old, n_new)
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = n_old, n_new
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    if start == end_old and start == end_new:
        return plan
    anchor: Hashable | None = new[end_new] if end_new < n_new else None
    mid_old = old[start:end_old]
    mid_new = new[start:end_new]
    if not mid_new:
        plan.removes.extend(mid_old)
        return plan
    if not mid_old:
        for k in reversed(mid_new):
            plan.steps.append(Step("insert", k, anchor))
            anchor = k
        return plan
    if len(mid_old) == len(mid_new) > 1:
        # A single move leaves, after trimming, a middle rotated by one.
        if mid_new[0] == mid_old[-1] and list(mid_new[1:]) == list(mid_old[:-1]):
            plan.steps.append(Step("move", mid_new[0], mid_new[1]))
            return plan
        if mid_new[-1] == mid_old[0] and list(mid_new[:-1]) == list(mid_old[1:]):
            plan.steps.append(Step("move", mid_new[-1], anchor))
            return plan
    position = {k: i for i, k in enumerate(mid_old)}
    new_set = set(mid_new)
    plan.removes.extend(k for k in mid_old if k not in new_set)
    sources = [position.get(k, -1) for k in mid_new]
    stay = set(longest_increasing_subsequence(sources))
    for i in range(len(mid_new) - 1, -1, -1):
        k = mid_new[i]
        if sources[i] < 0:
            plan.steps.append(Step("insert", k, anchor))
        elif i not in stay:
            plan.steps.append(Step("move", k, anchor))
        anchor = k
    return plan


def apply_plan(old: Sequence[Hashable], plan: Plan) -> list[Hashable]:
    """Run ``plan`` on a plain list of keys (the reference model of a DOM list)."""
    gone = set(plan.removes)
    keys = [k for k in old if k not in gone]
    for step in plan.steps:
        if step.op == "move":
            keys.remove(step.key)
        elif step.key in keys:
            raise ValueError(f"insert of a key already present: {step.key!r}")
        where = len(keys) if step.before is None else keys.index(step.before)
        keys.insert(where, step.key)
    return keys
