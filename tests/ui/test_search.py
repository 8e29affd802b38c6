"""Search folding: case and accents ignored, every word must appear."""

from __future__ import annotations

import pytest

from app.ui import fold, matches

RUN_IN_BROWSER = True


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Élodie", "elodie"),
        ("ÉLODIE", "elodie"),
        ("Straße", "strasse"),
        ("Øystein", "oystein"),
        ("Æsir", "aesir"),
        ("Łódź", "lodz"),
        ("Ðrífa", "drifa"),
        ("Þór", "thor"),
        ("ﬁne", "fine"),  # compatibility ligature
        ("Ｆｕｌｌ", "full"),  # full-width letters
        ("Nguyễn", "nguyen"),
        ("İstanbul", "istanbul"),
        ("東京", "東京"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_matches() -> None:
    assert matches("elo", "Élodie")
    assert matches("ÉLO", "elodie")
    assert matches("ada love", "Ada Lovelace")
    assert matches("love ada", "Ada Lovelace")
    assert not matches("ada byron", "Ada Lovelace")
    assert matches("", "anything")
    assert matches("   ", "anything")


def test_ascii_text_folds_as_the_general_path_does():
    import string
    import unicodedata

    from app.ui._search import _LETTERS, fold

    for piece in (string.printable, "Hello, World! 42", "MiXeD case\tand\nlines"):
        general = "".join(
            c for c in unicodedata.normalize("NFKD", piece) if not unicodedata.combining(c)
        )
        assert fold(piece) == general.casefold().translate(_LETTERS)
