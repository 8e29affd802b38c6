"""Error classes, messages and mapping."""

import pytest

from app.db import errors
from app.db.errors import (
    BulkError,
    ConstraintError,
    DatabaseError,
    DataError,
    QuotaExceededError,
    map_error,
)

RUN_IN_BROWSER = True

ALL = [
    "DatabaseError",
    "ConstraintError",
    "DataError",
    "NotFoundError",
    "ReadOnlyError",
    "QuotaExceededError",
    "AbortError",
    "TransactionInactiveError",
    "PrematureCommitError",
    "SubTransactionError",
    "SchemaError",
    "UpgradeError",
    "VersionError",
    "BulkError",
    "InvalidTableError",
    "DatabaseClosedError",
]


def test_every_error_class_exists_with_inner():
    for name in ALL:
        cls = getattr(errors, name)
        assert issubclass(cls, DatabaseError)
        err = cls("msg") if cls is not BulkError else cls("msg", {})
        assert err.inner is None
        assert err.name == name


class FakeDomError:
    def __init__(self, name, message):
        self.name = name
        self.message = message


def test_map_error_by_name():
    inner = FakeDomError("ConstraintError", "Key already exists")
    err = map_error(inner, "table 't'")
    assert isinstance(err, ConstraintError)
    assert err.inner is inner
    assert "table 't'" in str(err)


def test_quota_reported_as_abort_is_recognised():
    inner = FakeDomError("AbortError", "Transaction aborted: QuotaExceededError: quota exceeded")
    assert isinstance(map_error(inner), QuotaExceededError)
    assert isinstance(map_error(FakeDomError("QuotaExceededError", "full")), QuotaExceededError)


def test_unknown_names_map_to_base():
    err = map_error(FakeDomError("WeirdError", "?"))
    assert type(err) is DatabaseError


async def test_constraint_message_names_table_and_key(db):
    await db.items.add({"id": "k1", "code": "c"})
    with pytest.raises(ConstraintError) as info:
        await db.items.add({"id": "k1", "code": "d"})
    assert "items" in str(info.value)


async def test_unique_message_names_index(db):
    await db.items.add({"id": 1, "code": "c"})
    with pytest.raises(ConstraintError) as info:
        await db.items.add({"id": 2, "code": "c"})
    assert "items" in str(info.value)
    assert "code" in str(info.value)


async def test_bulk_error_failures_list(db):
    await db.items.add({"id": 1, "code": "c"})
    with pytest.raises(BulkError) as info:
        await db.items.bulk_add(
            [{"id": 1, "code": "x"}, {"id": 2, "code": "y"}, {"id": 3, "code": "c"}]
        )
    assert list(info.value.failures_by_pos) == [0, 2]
    assert len(info.value.failures) == 2
    assert all(isinstance(f, ConstraintError) for f in info.value.failures)


async def test_data_error_for_bad_key_in_get(db):
    with pytest.raises(DataError):
        await db.items.get(None)
    with pytest.raises(DataError):
        await db.items.bulk_get([1, None])


async def test_errors_are_catchable_as_database_error(db):
    await db.items.add({"id": 1, "code": "c"})
    with pytest.raises(DatabaseError):
        await db.items.add({"id": 1, "code": "c"})


async def test_browser_error_is_kept_as_inner(db):
    import sys

    await db.items.add({"id": 1, "code": "c"})
    with pytest.raises(ConstraintError) as info:
        await db.items.add({"id": 1, "code": "d"})
    if sys.platform == "emscripten":
        assert info.value.inner is not None
        assert str(info.value.inner.name) == "ConstraintError"
    else:
        assert info.value.inner is None


async def test_bulk_failure_messages_name_position_and_key(db):
    await db.items.add({"id": "taken", "code": "c"})
    with pytest.raises(BulkError) as info:
        await db.items.bulk_add([{"id": "free", "code": "x"}, {"id": "taken", "code": "y"}])
    text = str(info.value.failures_by_pos[1])
    assert "items" in text and "taken" in text
