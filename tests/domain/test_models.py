"""Models: validation messages name the field; ids and timestamps."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.domain import InvalidDataError, LorebookEntry, format_utc, new_id, uuid7
from app.domain._ids import _uuid7_fallback

RUN_IN_BROWSER = True


def test_uuid7_fallback_is_version_7_and_monotonic():
    ids = [_uuid7_fallback() for _ in range(2000)]
    assert all(u.version == 7 and u.variant == "specified in RFC 4122" for u in ids)
    assert [str(u) for u in ids] == sorted(str(u) for u in ids)
    assert len(set(ids)) == len(ids)


def test_new_id_is_a_uuid7_string():
    value = new_id()
    assert isinstance(value, str) and len(value) == 36
    assert uuid7().version == 7


def test_format_utc_is_fixed_width_and_orders():
    a = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    b = a + timedelta(microseconds=500)
    assert format_utc(a) == "2026-01-02T03:04:05.000000Z"
    assert format_utc(a) < format_utc(b)
    plus_two = datetime(2026, 1, 2, 5, 4, 5, tzinfo=timezone(timedelta(hours=2)))
    assert format_utc(plus_two) == format_utc(a)


def test_entry_defaults_and_record_form():
    entry = LorebookEntry(level="story", scope_id="s1", keys=["dragon"])
    record = entry.to_record()
    assert record["level"] == "story" and record["scope_id"] == "s1"
    assert record["selective_logic"] == "and_any" and record["probability"] == 100
    assert record["created_at"] == record["updated_at"]
    assert record["created_at"].endswith("Z")
    assert LorebookEntry.parse(record) == entry


@pytest.mark.parametrize("level", ["series", "story", "character", "chat", "module"])
def test_scoped_levels_require_scope_id(level):
    with pytest.raises(InvalidDataError, match=f'scope_id: required when level is "{level}"'):
        LorebookEntry.parse({"level": level})


def test_global_level_rejects_scope_id():
    with pytest.raises(InvalidDataError, match='scope_id: must be empty when level is "global"'):
        LorebookEntry.parse({"level": "global", "scope_id": "x"})


def test_invalid_fields_are_named():
    with pytest.raises(InvalidDataError) as info:
        LorebookEntry.parse({"level": "global", "probability": 101, "keys": "dragon"})
    paths = {e.path for e in info.value.errors}
    assert paths == {"probability", "keys"}
    assert "probability:" in str(info.value)


def test_unknown_fields_round_trip_in_extensions():
    entry = LorebookEntry.parse(
        {"level": "global", "vectorized": True, "extensions": {"lorekeeper": {"x": 1}}}
    )
    assert entry.extensions == {"vectorized": True, "lorekeeper": {"x": 1}}
    assert LorebookEntry.parse(entry.to_record()).extensions == entry.extensions


def test_assignment_is_validated():
    entry = LorebookEntry(level="global")
    with pytest.raises(ValueError):
        entry.probability = -1
