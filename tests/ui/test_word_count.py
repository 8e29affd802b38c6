"""Word count."""

import pytest

from app.ui._word_count import word_count

RUN_IN_BROWSER = True


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("   \n\n ", 0),
        ("Hello, world — again", 3),
        ("don't stop-me now...", 3),
        ("東京に行く", 5),
        ("Mara said 東京", 4),
        ("— … !!", 0),
        ("line one\nline two", 4),
        ("Élodie's café", 2),
    ],
)
def test_word_count(text, count):
    assert word_count(text) == count


def test_line_counter_agrees_and_caches():
    from app.ui._word_count import LineWordCounter

    count = LineWordCounter(limit=3)
    text = "one two\nthree\n\nfour five six"
    assert count(text) == word_count(text) == 6
    assert count(text + "\nseven") == 7
