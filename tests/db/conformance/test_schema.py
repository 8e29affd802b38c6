"""Schema syntax, table access, open/close/delete."""

import pytest

from app.db import Database
from app.db.errors import DatabaseClosedError, InvalidTableError, SchemaError, VersionError

from .conftest import unique_name

RUN_IN_BROWSER = True


async def test_tables_are_attributes(db):
    assert db.friends.name == "friends"
    assert db.table("items") is db.items
    assert sorted(t.name for t in db.tables) == ["friends", "items", "kv", "logs"]


async def test_unknown_table_raises(db):
    with pytest.raises(InvalidTableError):
        db.table("nope")
    with pytest.raises(AttributeError):
        db.nope  # noqa: B018


async def test_table_attributes_follow_schema_changes(make_db):
    """``db.name`` is kept as a plain attribute while open; a table a later version
    deletes is no attribute after the upgrade, while the others stay the same objects."""
    d = make_db()
    d.version(1).stores({"a": "id", "b": "id"})
    await d.open()
    a, b = d.a, d.b
    assert d.a is a and d.b is b
    await d.b.put({"id": 1})
    d.close()
    d.version(2).stores({"b": None})
    with pytest.raises(AttributeError):
        d.b  # noqa: B018
    await d.open()
    with pytest.raises(AttributeError):
        d.b  # noqa: B018
    assert d.a is a
    assert await d.a.count() == 0


async def test_schema_parsing_flags(db):
    f = db.friends.schema
    assert f.primary_key.auto and f.primary_key.key_path == "id"
    assert f.indexes["tags"].multi
    assert f.indexes["[name+age]"].key_path == ["name", "age"]
    assert f.indexes["address.city"].key_path == "address.city"
    assert db.items.schema.indexes["code"].unique
    assert db.kv.schema.primary_key.key_path is None
    assert db.logs.schema.primary_key.auto and db.logs.schema.primary_key.key_path is None


async def test_auto_increment_only_on_primary_key(make_db):
    with pytest.raises(SchemaError):
        make_db().version(1).stores({"t": "id, ++other"})


async def test_multi_entry_primary_key_rejected(make_db):
    with pytest.raises(SchemaError):
        make_db().version(1).stores({"t": "*id"})


async def test_bad_compound_rejected(make_db):
    with pytest.raises(SchemaError):
        make_db().version(1).stores({"t": "id, [a+]"})


async def test_duplicate_index_rejected(make_db):
    with pytest.raises(SchemaError):
        make_db().version(1).stores({"t": "id, a, a"})


async def test_compound_primary_key(make_db):
    db = make_db()
    db.version(1).stores({"t": "[a+b], c"})
    await db.t.put({"a": 1, "b": "x", "c": 3})
    await db.t.put({"a": 1, "b": "y", "c": 4})
    assert (await db.t.get([1, "x"]))["c"] == 3
    assert await db.t.where("[a+b]").equals([1, "y"]).count() == 1
    assert await db.t.count() == 2


async def test_opens_lazily_on_first_use(make_db):
    db = make_db()
    db.version(1).stores({"t": "id"})
    assert not db.is_open()
    await db.t.put({"id": 1})
    assert db.is_open()


async def test_open_is_idempotent(make_db):
    db = make_db()
    db.version(1).stores({"t": "id"})
    await db.open()
    await db.open()
    assert db.is_open() and db.verno == 1


async def test_ready_event(make_db):
    db = make_db()
    db.version(1).stores({"t": "id"})
    seen = []
    db.on("ready", lambda d: seen.append(d))
    await db.open()
    assert seen == [db]


async def test_close_then_use_raises(make_db):
    db = make_db()
    db.version(1).stores({"t": "id"})
    await db.open()
    db.close()
    with pytest.raises(DatabaseClosedError):
        await db.t.count()
    await db.open()
    assert await db.t.count() == 0


async def test_data_persists_across_instances(make_db):
    name = unique_name()
    a = make_db(name)
    a.version(1).stores({"t": "id"})
    await a.t.put({"id": 1, "v": "x"})
    a.close()
    b = make_db(name)
    b.version(1).stores({"t": "id"})
    assert await b.t.get(1) == {"id": 1, "v": "x"}


async def test_delete_removes_data(make_db):
    name = unique_name()
    a = make_db(name)
    a.version(1).stores({"t": "id"})
    await a.t.put({"id": 1})
    await a.delete()
    b = make_db(name)
    b.version(1).stores({"t": "id"})
    assert await b.t.count() == 0


async def test_lower_declared_version_opens_when_its_tables_fit(make_db):
    name = unique_name()
    a = make_db(name)
    a.version(3).stores({"t": "id, x", "extra": "id"})
    await a.open()
    a.close()
    b = make_db(name)
    b.version(2).stores({"t": "id"})
    await b.open()
    assert b.verno == 3  # the installed version
    assert [t.name for t in b.tables] == ["t"]  # the tables this code knows


async def test_lower_declared_version_that_does_not_fit_raises_version_error(make_db):
    name = unique_name()
    a = make_db(name)
    a.version(3).stores({"t": "id"})
    await a.open()
    a.close()
    b = make_db(name)
    b.version(2).stores({"t": "id, x"})  # an index the stored database does not have
    with pytest.raises(VersionError) as info:
        await b.open()
    assert info.value.needs_reload
    assert (info.value.installed_version, info.value.declared_version) == (3, 2)
    assert "Reload the page" in str(info.value)


async def test_cannot_declare_version_while_open(db):
    with pytest.raises(SchemaError):
        db.version(5)


async def test_open_without_versions_adopts_existing_schema(make_db):
    name = unique_name()
    a = make_db(name)
    a.version(1).stores({"t": "id, name"})
    await a.t.put({"id": 1, "name": "n"})
    a.close()
    b = make_db(name)
    await b.open()
    assert await b.table("t").where("name").equals("n").count() == 1


async def test_explicit_memory_backend_selectable():
    db = Database(unique_name(), backend="memory")
    db.version(1).stores({"t": "id"})
    await db.t.put({"id": 1})
    assert await db.t.count() == 1
    await db.delete()


async def test_dotted_key_path_primary_key(make_db):
    db = make_db()
    db.version(1).stores({"t": "meta.id, meta.kind"})
    await db.t.put({"meta": {"id": "x", "kind": "k"}})
    assert await db.t.get("x") == {"meta": {"id": "x", "kind": "k"}}
    assert await db.t.where("meta.kind").equals("k").count() == 1
