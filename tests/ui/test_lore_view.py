"""The lorebook screen's search, filters and sort."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.domain import LorebookEntry
from app.ui._lore_view import (
    LoreQuery,
    entry_name,
    facets,
    filter_entries,
    section_rows,
    sort_entries,
)

RUN_IN_BROWSER = True

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def entry(name: str, **extra) -> LorebookEntry:
    n = extra.pop("n", 0)
    return LorebookEntry.parse(
        {
            "name": name,
            "level": "global",
            "updated_at": T0 + timedelta(minutes=n),
            "created_at": T0,
            **extra,
        }
    )


ENTRIES = [
    entry(
        "Élodie",
        keys=["Elodie", "Lo"],
        category="Character",
        tags=["cast"],
        content="A thief.",
        insertion_order=5,
        n=1,
    ),
    entry("", keys=["Keep"], category="place", content="Stone walls.", insertion_order=1, n=3),
    entry(
        "Dragon",
        keys=["wyrm"],
        secondary_keys=["fire"],
        tags=["Monster", "cast"],
        insertion_order=3,
        n=2,
    ),
]


def names(items):
    return [entry_name(e) for e in items]


def test_names():
    assert names(ENTRIES) == ["Élodie", "Keep", "Dragon"]
    assert entry_name(LorebookEntry.parse({"level": "global"})) == "Untitled entry"


def test_search_covers_title_keys_content_category_tags_and_level_ignoring_case_and_accents():
    def find(text):
        return names(filter_entries(ENTRIES, LoreQuery(text=text)))

    assert find("elodie") == ["Élodie"]
    assert find("WYRM") == ["Dragon"]
    assert find("fire") == ["Dragon"]
    assert find("stone walls") == ["Keep"]
    assert find("character thief") == ["Élodie"]
    assert find("monster") == ["Dragon"]
    assert find("global") == ["Élodie", "Keep", "Dragon"]
    assert find("nothing") == []


def test_filters():
    assert names(filter_entries(ENTRIES, LoreQuery(category="character"))) == ["Élodie"]
    assert names(filter_entries(ENTRIES, LoreQuery(tag="CAST"))) == ["Élodie", "Dragon"]
    assert names(filter_entries(ENTRIES, LoreQuery(level="story"))) == []


def test_sorts():
    assert names(sort_entries(ENTRIES, "order")) == ["Keep", "Dragon", "Élodie"]
    assert names(sort_entries(ENTRIES, "title")) == ["Dragon", "Élodie", "Keep"]
    assert names(sort_entries(ENTRIES, "key")) == ["Élodie", "Keep", "Dragon"]
    assert names(sort_entries(ENTRIES, "category")) == ["Élodie", "Keep", "Dragon"]
    assert names(sort_entries(ENTRIES, "updated")) == ["Keep", "Dragon", "Élodie"]


def test_section_rows_page_and_count():
    shown = section_rows(ENTRIES, LoreQuery(tag="cast", sort="title"), 1)
    assert (names(shown.entries), shown.matching, shown.total) == (["Dragon"], 2, 3)


def test_search_text_follows_edits():
    e = ENTRIES[0]
    assert filter_entries([e], LoreQuery(text="thief"))
    edited = e.model_copy(update={"content": "A queen.", "updated_at": T0 + timedelta(days=1)})
    assert not filter_entries([edited], LoreQuery(text="thief"))


def test_facets():
    assert facets({"x": ENTRIES}) == (["Character", "place"], ["cast", "Monster"])


def test_rows_of_sorted_entries_keep_their_order():
    """A screen sorts once and filters per keystroke: the rows are what sorting the
    matches would give."""
    from app.ui._lore_view import sorted_rows

    for sort in ("order", "title", "key", "category", "updated"):
        ordered = sort_entries(ENTRIES, sort)
        for text in ("", "a", "cast", "stone walls", "zzz"):
            query = LoreQuery(text=text, sort=sort)
            assert sorted_rows(ordered, query, 2) == section_rows(ENTRIES, query, 2)
