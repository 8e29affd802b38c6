"""Inclusion groups: one entry per group per step, and the trace says why the others lost."""

from __future__ import annotations

from collections import Counter

from app.lore import Matcher, MatchOptions
from app.lore._groups import choose_group_winners
from tests.lore._factory import entry

RUN_IN_BROWSER = True


def scan(entries, text, **options):
    return Matcher(entries, MatchOptions(**{"recursive": False, **options})).scan(text)


def test_one_member_of_a_group_goes_in_and_the_trace_names_the_winner():
    entries = [entry("dragon", id=f"d{i}", group="beasts") for i in range(4)]
    result = scan(entries, "a dragon", seed=3)
    assert len(result.ids) == 1
    winner = result.ids[0]
    for e in entries:
        if e.id != winner:
            item = result.item(e.id)
            assert (item.reason, item.group, item.group_winner) == ("group", "beasts", winner)
            assert "lost the weighted draw" in item.detail


def test_weights_shape_the_draw():
    entries = [
        entry("dragon", id="heavy", group="g", group_weight=300),
        entry("dragon", id="light", group="g", group_weight=100),
    ]
    wins = Counter(scan(entries, "a dragon", seed=s).ids[0] for s in range(400))
    assert 250 < wins["heavy"] < 350  # about three in four


def test_the_draw_is_seeded():
    entries = [entry("dragon", id=f"d{i}", group="g") for i in range(5)]
    assert scan(entries, "a dragon", seed=9).ids == scan(entries, "a dragon", seed=9).ids


def test_an_entry_in_several_groups_loses_when_it_loses_one():
    both = entry("dragon", id="both", group="a, b", group_override=True, insertion_order=1)
    a_wins = entry("dragon", id="a", group="a", group_override=True, insertion_order=9)
    b_only = entry("dragon", id="b", group="b")
    result = scan([both, a_wins, b_only], "a dragon")
    # "both" loses group a to a higher order; as the prioritised member of group b it
    # still wins b, so b's other member is out too (SillyTavern's rule)
    assert result.ids == ["a"]
    assert result.item("both").group == "a"
    assert result.item("b").group == "b" and result.item("b").group_winner == "both"


def test_group_scoring_from_the_options():
    entries = [
        entry("song", "ghosts", id="ghosts", group="songs"),
        entry("song", "cat", id="cat", group="songs", group_override=True),
    ]
    plain = scan(entries, "a song about ghosts")
    assert plain.ids == ["cat"]  # prioritised
    scored = scan(entries, "a song about ghosts", use_group_scoring=True)
    assert scored.ids == ["ghosts"]
    assert "matched more keys" in scored.item("cat").detail


def test_a_group_loser_may_win_a_later_step_when_the_winner_did_not_fit():
    big = entry("dragon", id="big", group="g", group_override=True, content="x" * 400)
    small = entry("dragon", id="small", group="g", content="small")
    teller = entry("tale", id="tale", content="A dragon appears.")
    result = scan([big, small, teller], "a dragon tale", recursive=True, token_budget=20)
    assert result.item("big").reason == "budget"
    # "small" lost the group in step 0; the group admitted nobody, so in the recursion
    # step (SillyTavern evaluates every entry again) it wins
    assert "small" in result.ids and result.item("small").step == 1
    without_recursion = scan([big, small, teller], "a dragon tale", token_budget=20)
    assert without_recursion.item("small").reason == "group"


def test_choose_group_winners_keeps_order_and_reports_losses():
    new = [5, 3, 8]
    losses = choose_group_winners(
        new,
        lambda gid: ["g"] if gid != 8 else [],
        sticky=lambda gid: False,
        taken=set(),
        scored=lambda gid: False,
        score=lambda gid: 0,
        override=lambda gid: gid == 3,
        order=lambda gid: 0,
        weight=lambda gid: 100,
        roll=lambda name: 0.0,
    )
    assert new == [3, 8]
    assert [(loss.entry, loss.group, loss.winner, loss.why) for loss in losses] == [
        (5, "g", 3, "override")
    ]
