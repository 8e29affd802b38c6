"""Inclusion groups: of the entries of one group activated in one step, one goes in.

SillyTavern's rules (`filterByInclusionGroups`, `filterGroupsByTimedEffects`,
`filterGroupsByScoring` in `public/scripts/world-info.js`), group by group:

1. a group with sticky members keeps only those;
2. with group scoring (the scan's default or an entry's `use_group_scoring`), scored
   members that matched fewer keys than the best member drop out;
3. a group that already had an entry activated in an earlier step admits no more;
4. otherwise, among "prioritise inclusion" (`group_override`) members the highest
   `insertion_order` wins; else one member is drawn with `group_weight` as its weight.

An entry in several groups is removed when it loses any of them; when it wins one group
after losing another, that group admits nobody. Unlike SillyTavern, removing an entry that
another group already removed never removes an unrelated entry (SillyTavern's
`splice(indexOf(entry))` removes the last entry then), and "a group already activated"
counts an earlier entry of that group even when it belongs to several groups (SillyTavern
compares the whole `group` text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

__all__ = ["GroupLoss", "choose_group_winners"]


class GroupLoss(NamedTuple):
    """An entry removed by a group: `why` is "sticky", "score", "taken", "override" or
    "roll"; `winner` the entry that won (None when none did)."""

    entry: int
    group: str
    winner: int | None
    why: str


def choose_group_winners(
    new: list[int],
    groups_of: Callable[[int], list[str]],
    *,
    sticky: Callable[[int], bool],
    taken: set[str],
    scored: Callable[[int], bool],
    score: Callable[[int], int],
    override: Callable[[int], bool],
    order: Callable[[int], int],
    weight: Callable[[int], int],
    roll: Callable[[str], float],
) -> list[GroupLoss]:
    """Remove the losers of every group from `new` (kept in order); return the losses.

    `taken` holds groups an earlier step admitted an entry of; `roll(group)` gives a number
    in [0, 1) for that group's weighted draw."""
    grouped: dict[str, list[int]] = {}
    for gid in new:
        for name in groups_of(gid):
            grouped.setdefault(name, []).append(gid)
    if not grouped:
        return []
    losses: list[GroupLoss] = []
    removed: set[int] = set()

    def remove(gid: int, name: str, winner: int | None, why: str) -> None:
        if gid not in removed:
            removed.add(gid)
            losses.append(GroupLoss(gid, name, winner, why))

    with_sticky: set[str] = set()
    for name, members in grouped.items():
        stuck = [m for m in members if sticky(m)]
        if stuck:
            with_sticky.add(name)
            for m in members:
                if m not in stuck:
                    remove(m, name, stuck[0], "sticky")
    for name, members in grouped.items():
        if name in with_sticky or not any(scored(m) for m in members):
            continue
        scores = {m: score(m) for m in members}
        best = max(scores.values())
        leader = next(m for m in members if scores[m] == best)
        for m in list(members):
            if scored(m) and scores[m] < best:
                members.remove(m)
                remove(m, name, leader, "score")
    for name, members in grouped.items():
        if name in with_sticky:
            continue
        if name in taken:
            for m in members:
                remove(m, name, None, "taken")
            continue
        if len(members) <= 1:
            continue
        prioritised = [m for m in members if override(m)]
        if prioritised:
            winner = prioritised[0]
            for m in prioritised[1:]:
                if order(m) > order(winner):
                    winner = m
            how = "override"
        else:
            total = sum(weight(m) for m in members)
            target = roll(name) * total
            cumulative = 0
            winner = members[0]
            for m in members:
                cumulative += weight(m)
                if target <= cumulative:
                    winner = m
                    break
            how = "roll"
        for m in members:
            if m != winner:
                remove(m, name, winner, how)
    new[:] = [gid for gid in new if gid not in removed]
    return losses
