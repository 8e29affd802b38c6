"""Property tests (CPython only: hypothesis is not available in the browser tier)."""

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import InvalidDataError, LorebookEntry, open_domain, parse_file
from app.domain._ids import _uuid7_fallback
from tests.domain._support import FakeClock, dump_tables, memory_db

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)

levels = st.sampled_from(["global", "series", "story", "character", "chat", "module"])


@st.composite
def entry_records(draw):
    level = draw(levels)
    record = {
        "level": level,
        "scope_id": None if level == "global" else draw(st.text(min_size=1, max_size=6)),
        "name": draw(st.text(max_size=10)),
        "keys": draw(st.lists(st.text(max_size=6), max_size=3)),
        "probability": draw(st.integers(0, 100)),
        "case_sensitive": draw(st.none() | st.booleans()),
        "extensions": draw(
            st.dictionaries(st.text(min_size=1, max_size=5), json_values, max_size=3)
        ),
    }
    unknown = draw(
        st.dictionaries(st.sampled_from(["vectorized", "automationId", "uid"]), json_values, max_size=2)
    )
    return {**record, **unknown}


@settings(deadline=None)
@given(entry_records())
def test_entry_records_round_trip(record):
    entry = LorebookEntry.parse(record)
    again = LorebookEntry.parse(entry.to_record())
    assert again == entry
    for key in ("vectorized", "automationId", "uid"):
        if key in record and key not in record["extensions"]:
            assert entry.extensions[key] == record[key]


@settings(deadline=None)
@given(st.integers(1, 3000))
def test_uuid7_fallback_stays_sorted(n):
    ids = [str(_uuid7_fallback()) for _ in range(n)]
    assert ids == sorted(ids) and len(set(ids)) == n


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(
            ["format", "type", "version", "characters", "lorebook_entries", "chat", "messages"]
        ),
        json_values,
    )
)
def test_parse_file_rejects_garbage_only_with_invalid_data_errors(data):
    try:
        parse_file(data)
    except InvalidDataError as exc:
        assert str(exc)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entry_records(), max_size=6))
def test_any_valid_global_lorebook_round_trips(records):
    entries = [{**r, "level": "global", "scope_id": None} for r in records]

    async def run():
        source_db, target_db = memory_db(), memory_db()
        source = await open_domain(source_db, clock=FakeClock(), watch_external=False)
        target = await open_domain(target_db, clock=FakeClock(), watch_external=False)
        for entry in entries:
            await source.lorebook.create(entry)
        exported = await source.transfer.export_global_lorebook()
        await target.transfer.import_file(exported)
        assert await dump_tables(target_db) == await dump_tables(source_db)
        await source_db.delete()
        await target_db.delete()

    asyncio.run(run())


SECTIONS = [
    "settings",
    "api_keys",
    "provider_configs",
    "personas",
    "characters",
    "chats",
    "series",
    "stories",
    "lorebooks",
    "folders",
    "modules",
    "scripts",
    "rules",
    "presets",
    "plugins",
    "sync_targets",
]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(SECTIONS), unique=True),
    st.lists(st.sampled_from(["skip", "overwrite", "copy"]), min_size=1, max_size=3),
    st.booleans(),
)
def test_any_selective_import_sequence_keeps_the_database_consistent(sections, policies, preload):
    """Importing a full export again and again, with any sections and conflict policies,
    into an empty or already populated database never leaves a dangling reference,
    a stale chat summary, or other than one active preset."""
    from app.domain import ImportOptions
    from tests.domain._integrity import integrity_problems
    from tests.domain._populate import populate

    async def run():
        source_db, target_db = memory_db(), memory_db()
        source = await open_domain(source_db, clock=FakeClock(), watch_external=False)
        target = await open_domain(target_db, clock=FakeClock(), watch_external=False)
        await populate(source)
        if preload:
            await populate(target)
        exported = await source.transfer.export_full()
        for policy in policies:
            await target.transfer.import_file(
                exported, ImportOptions.only(*sections, on_conflict=policy)
            )
            assert await integrity_problems(target) == []
        await source_db.delete()
        await target_db.delete()

    asyncio.run(run())
