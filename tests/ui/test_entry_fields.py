"""Every field the lore engine uses has a control in the entry editor."""

from __future__ import annotations

import pytest

from app.domain import LorebookEntry
from app.ui._entry_fields import HIDDEN, editable_fields, format_value, parse_value

RUN_IN_BROWSER = True


def spec(name):
    (found,) = [s for s in editable_fields() if s.name == name]
    return found


def test_every_model_field_is_editable_once():
    names = [s.name for s in editable_fields()]
    assert sorted(names) == sorted(set(LorebookEntry.model_fields) - HIDDEN)
    assert len(names) == len(set(names))


def test_the_contract_labels():
    labels = {s.name: s.label for s in editable_fields()}
    assert (labels["name"], labels["keys"], labels["secondary_keys"], labels["content"]) == (
        "Title",
        "Keys",
        "Secondary keys",
        "Content",
    )


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("keys", ["a", "b c"], "a, b c"),
        ("enabled", True, "true"),
        ("case_sensitive", None, ""),
        ("case_sensitive", False, "false"),
        ("scan_depth", None, ""),
        ("probability", 40, "40"),
        ("category", None, ""),
        ("position", "at_depth", "at_depth"),
    ],
)
def test_round_trip(name, value, shown):
    s = spec(name)
    assert format_value(s, value) == shown
    assert parse_value(s, shown) == value


def test_bad_numbers_are_explained():
    with pytest.raises(ValueError, match="whole number"):
        parse_value(spec("probability"), "lots")
    with pytest.raises(ValueError, match="whole number"):
        parse_value(spec("insertion_order"), "")
    assert parse_value(spec("keys"), " a ,, b ,") == ["a", "b"]


def test_a_field_new_to_the_model_gets_a_control_from_its_type():
    from typing import Literal

    from app.ui._entry_fields import _kind_of

    assert _kind_of(bool) == ("bool", ())
    assert _kind_of(int | None) == ("optional_int", ())
    assert _kind_of(bool | None) == ("tristate", ())
    assert _kind_of(list[str]) == ("list", ())
    assert _kind_of(Literal["a", "b"]) == ("choice", (("a", "a"), ("b", "b")))
    assert _kind_of(str) == ("text", ())
