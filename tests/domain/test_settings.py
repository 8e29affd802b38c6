"""Settings the writing workspace and the Settings screen use."""

import pytest

from app.domain import InvalidDataError

RUN_IN_BROWSER = True


async def test_matching_and_storage_defaults(domain):
    settings = await domain.settings.all()
    assert settings.lore_case_sensitive is False
    assert settings.lore_match_whole_words is True
    assert settings.lore_max_recursion == 3
    assert settings.storage_warning_percent == 80


@pytest.mark.parametrize(
    ("key", "bad"),
    [
        ("lore_max_recursion", -1),
        ("lore_max_recursion", 21),
        ("storage_warning_percent", 100),
        ("lore_case_sensitive", "maybe"),
    ],
)
async def test_bad_values_are_refused_and_nothing_is_stored(domain, key, bad):
    with pytest.raises(InvalidDataError) as caught:
        await domain.settings.set(key, bad)
    assert caught.value.errors[0].path == key
    assert await domain.settings.raw() == {}


async def test_set_and_read_back(domain):
    await domain.settings.set_many({"lore_case_sensitive": True, "lore_max_recursion": 5})
    settings = await domain.settings.all()
    assert (settings.lore_case_sensitive, settings.lore_max_recursion) == (True, 5)
