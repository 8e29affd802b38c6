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
