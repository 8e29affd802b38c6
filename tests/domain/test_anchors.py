"""Anchors: a scene beat's point follows edits, and is found again by its context."""

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain._anchors import CONTEXT, Anchor, anchor_at, common_ends, follow, locate

TEXT = "The door creaked. Mara stepped in.\n\nThe hall was dark and cold."


def test_anchor_keeps_context_on_both_sides():
    a = anchor_at(TEXT, TEXT.index("Mara"))
    assert a.position == 18
    assert a.before == "The door creaked. "
    assert a.after.startswith("Mara stepped in.")
    assert len(anchor_at("x" * 100, 50).before) == CONTEXT
    assert anchor_at(TEXT, 10_000).position == len(TEXT)
    assert anchor_at(TEXT, -3).position == 0


def test_common_ends():
    assert common_ends("abcdef", "abXYef") == (2, 2)
    assert common_ends("aaa", "aaaa") == (3, 0)
    assert common_ends("", "abc") == (0, 0)
    long = "x" * 5000
    assert common_ends(long + "a" + long, long + "bb" + long) == (5000, 5000)


def test_typing_before_the_point_moves_it_along():
    a = anchor_at(TEXT, TEXT.index("Mara"))
    new = "Slowly, t" + TEXT[1:]
    moved = follow(TEXT, new, a)
    assert new[moved.position :].startswith("Mara")


def test_typing_after_the_point_leaves_it():
    a = anchor_at(TEXT, TEXT.index("Mara"))
    new = TEXT.replace("cold", "very cold")
    assert follow(TEXT, new, a).position == a.position


def test_text_inserted_exactly_at_the_point_goes_after_it():
    p = TEXT.index("Mara")
    new = TEXT[:p] + "Suddenly, " + TEXT[p:]
    assert follow(TEXT, new, anchor_at(TEXT, p)).position == p


def test_a_point_inside_a_merged_edit_is_found_by_its_context():
    # two edits in one save (before and after the point): the changed span covers it
    a = anchor_at(TEXT, TEXT.index("Mara"))
    new = TEXT.replace("The door", "A door").replace("dark", "dim")
    moved = follow(TEXT, new, a)
    assert new[moved.position :].startswith("Mara")


def test_text_changed_out_of_view_is_searched_by_context():
    a = anchor_at(TEXT, TEXT.index("The hall"))
    elsewhere = "PROLOGUE\n\n" + TEXT
    assert elsewhere[locate(elsewhere, a) :].startswith("The hall")
    # the anchor no longer belongs to the old text given: located in the new one
    assert elsewhere[follow("unrelated", elsewhere, a).position :].startswith("The hall")


def test_locate_prefers_the_occurrence_nearest_the_old_point():
    text = "X. Then it rained. Y. Then it rained. Z."
    second = text.rindex("Then")
    a = Anchor(second, "Y. ", "Then it rained.")
    assert locate("AAAA" + text, a) == second + 4


def test_locate_falls_back_to_the_clamped_offset():
    assert locate("short", Anchor(99, "nothing like", "this at all")) == 5


def test_context_deleted_around_the_point_keeps_a_sensible_place():
    a = anchor_at(TEXT, TEXT.index("Mara"))
    new = TEXT.replace("The door creaked. ", "")
    assert new[follow(TEXT, new, a).position :].startswith("Mara")


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="ab \n", max_size=60),
    point=st.integers(0, 60),
    at=st.integers(0, 60),
    inserted=st.text(alphabet="xyz", min_size=1, max_size=10),
)
def test_an_insertion_moves_the_point_exactly_by_what_came_before_it(text, point, at, inserted):
    point = min(point, len(text))
    at = min(at, len(text))
    new = text[:at] + inserted + text[at:]
    moved = follow(text, new, anchor_at(text, point))
    expected = point if at >= point else point + len(inserted)
    assert moved.position == expected
    assert moved.holds_in(new)
