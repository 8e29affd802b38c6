"""Entries the format importers built, as lorebook records: models already validated are
read as they are; anything else is validated in one call, errors naming the entry."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.domain import InvalidDataError
from app.domain._imported_entry import imported_entries
from app.lore import formats
from tests.domain._files import SAMPLES

RUN_IN_BROWSER = True


def _book_entries(name: str) -> list:
    data, filename, *_ = SAMPLES[name]
    return formats.load(data, filename).entries


@pytest.mark.parametrize("name", ["st", "lorebook_v3", "novelai", "agnai", "ccv3"])
@pytest.mark.parametrize(
    "fields", [{"level": "global", "scope_id": None}, {"level": "story", "scope_id": "s1"}]
)
def test_built_models_give_the_records_full_validation_gives(name, fields):
    entries = _book_entries(name)
    plain = [SimpleNamespace(**entry.__dict__) for entry in entries]  # not models: validated
    assert imported_entries(entries, "entries", **fields) == imported_entries(
        plain, "entries", **fields
    )


def test_bad_fields_are_named_on_every_entry():
    entries = _book_entries("st")
    with pytest.raises(InvalidDataError) as caught:
        imported_entries(entries, "entries", level="story", scope_id=None)
    paths = [error.path for error in caught.value.errors]
    assert paths == [f"entries[{i}].scope_id" for i in range(len(entries))]


def test_a_bad_value_on_a_plain_entry_is_named():
    entries = [SimpleNamespace(**e.__dict__) for e in _book_entries("st")]
    entries[1].probability = 250
    with pytest.raises(InvalidDataError) as caught:
        imported_entries(entries, "entries", level="global", scope_id=None)
    assert [error.path for error in caught.value.errors] == ["entries[1].probability"]


@pytest.mark.parametrize("name", ["st", "lorebook_v3", "novelai", "agnai", "ccv3"])
@pytest.mark.parametrize("built", [True, False])
def test_each_record_comes_with_the_entity_loading_it_gives(name, built):
    """The entity beside each record is what loading the record gives: the state shows
    it without validating the record again."""
    from app.domain import LorebookEntry
    from app.domain._imported_entry import imported_pairs

    entries = _book_entries(name)
    if not built:
        entries = [SimpleNamespace(**entry.__dict__) for entry in entries]
    pairs = imported_pairs(entries, "entries", level="story", scope_id="s1")
    for record, entity in pairs:
        assert entity == LorebookEntry.parse(record)
        assert (entity.level, entity.scope_id) == ("story", "s1")
