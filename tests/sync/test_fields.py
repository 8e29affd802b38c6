"""Records as fields with clocks: diffs, the merge rule, compact clock rows."""

from __future__ import annotations

from app.sync._fields import DELETED, Clocks, LocalRecord, diff_fields, same_value

RUN_IN_BROWSER = True


def h(n: int, node: str = "a") -> str:
    return f"{n:015d}-00000-{node}"


def test_json_equality_tells_one_from_true() -> None:
    assert same_value({"a": [1, {"b": None}]}, {"a": [1, {"b": None}]})
    assert not same_value(1, True) and not same_value([1], [True]) and not same_value(1, 1.0)


def test_a_diff_names_new_changed_and_removed_fields() -> None:
    assert diff_fields({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 5, "d": 4}) == {
        "b": 5, "d": 4, "c": None}
    assert diff_fields(None, {"a": 1}) == {"a": 1}


def test_the_greater_clock_wins_each_field_and_equal_clocks_change_nothing() -> None:
    clocks = Clocks.new("t", "r", h(5))
    record = LocalRecord({"a": "mine", "b": "mine"}, False, clocks)
    assert record.merge({"a": ["theirs", h(6)], "b": ["older", h(4)], "c": ["new", h(1)]})
    assert record.values == {"a": "theirs", "b": "mine", "c": "new"}
    assert not record.merge({"a": ["theirs", h(6)]})


def test_a_tombstone_and_a_later_undelete() -> None:
    record = LocalRecord({"a": 1}, False, Clocks.new("t", "r", h(1)))
    record.merge({DELETED: [True, h(2)]})
    assert record.deleted
    record.merge({DELETED: [False, h(1)]})
    assert record.deleted
    record.merge({DELETED: [False, h(3)]})
    assert not record.deleted
    assert record.fields_with_clocks() == {"a": [1, h(1)], DELETED: [False, h(3)]}


def test_clock_rows_keep_one_base_and_list_only_the_exceptions() -> None:
    clocks = Clocks.new("t", "r", None)
    record = LocalRecord({}, False, clocks)
    record.merge({"a": [1, h(2)], "b": [2, h(2)], "c": [3, h(7)], DELETED: [False, h(2)]})
    clocks.normalize(record.values)
    assert clocks.row == {"table": "t", "id": "r", "base": h(2),
                          "f": {"c": h(7), DELETED: h(2)}}
    assert clocks.hlc("a", True) == h(2) and clocks.hlc("zz", False) is None
