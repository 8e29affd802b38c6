"""DBCore layers: a middleware writes an outbox row atomically with each change."""

import pytest

from app.db import DBCoreLayer, DBCoreTableLayer, MutateRequest

RUN_IN_BROWSER = True


class OutboxLayer(DBCoreLayer):
    """Adds 'outbox' to every read-write transaction and records each write into it."""

    def transaction(self, tables, mode):
        if mode == "rw" and "outbox" not in tables:
            tables = [*tables, "outbox"]
        return self.down.transaction(tables, mode)

    def wrap_table(self, table):
        if table.name == "outbox":
            return table
        outbox = self.down.table("outbox")

        class Recorder(DBCoreTableLayer):
            async def mutate(self, trans, req):
                resp = await self.down.mutate(trans, req)
                rows = [
                    {"table": self.name, "op": req.type, "key": k}
                    for i, k in enumerate(resp.results)
                    if i not in resp.failures and k is not None
                ]
                if rows:
                    await outbox.mutate(trans, MutateRequest("add", values=rows))
                return resp

        return Recorder(table)


@pytest.fixture
async def odb(make_db):
    db = make_db()
    db.version(1).stores({"notes": "id", "outbox": "++seq"})
    db.use(OutboxLayer)
    await db.open()
    return db


async def test_outbox_row_written_with_change(odb):
    await odb.notes.put({"id": "n1", "text": "hi"})
    rows = await odb.outbox.to_array()
    assert rows == [{"table": "notes", "op": "put", "key": "n1", "seq": 1}]


async def test_outbox_rolls_back_with_transaction(odb):
    with pytest.raises(RuntimeError):
        async with odb.transaction("rw", odb.notes):
            await odb.notes.put({"id": "n1"})
            raise RuntimeError
    assert await odb.outbox.count() == 0
    assert await odb.notes.count() == 0


async def test_outbox_in_explicit_transaction(odb):
    async with odb.transaction("rw", odb.notes):
        await odb.notes.bulk_put([{"id": "a"}, {"id": "b"}])
        await odb.notes.delete("a")
    assert [(r["op"], r["key"]) for r in await odb.outbox.to_array()] == [
        ("put", "a"),
        ("put", "b"),
        ("delete", "a"),
    ]


async def test_outbox_rows_appear_in_change_feed(odb):
    batches = []
    odb.on("changes", batches.append)
    await odb.notes.put({"id": "x"})
    assert sorted(c.table for c in batches[0]) == ["notes", "outbox"]


class UpperNames(DBCoreLayer):
    """A read middleware: every value read through ``get`` comes back with its name in
    capitals, and each get's key is noted."""

    def __init__(self, down):
        super().__init__(down)
        self.keys = []

    def wrap_table(self, table):
        layer = self

        class Upper(DBCoreTableLayer):
            async def get(self, trans, key):
                layer.keys.append(key)
                value = await self.down.get(trans, key)
                return value if value is None else {**value, "name": value["name"].upper()}

        return Upper(table)


async def test_read_middleware_sees_every_get(make_db):
    """A single get outside a transaction (which a backend may serve in one step) still
    passes through a middleware's table, as one inside a transaction does."""
    layers = []
    db = make_db()
    db.version(1).stores({"notes": "id"})
    db.use(lambda down: layers.append(UpperNames(down)) or layers[-1])
    await db.open()
    await db.notes.put({"id": 1, "name": "ada"})
    assert await db.notes.get(1) == {"id": 1, "name": "ADA"}
    assert await db.notes.get(2) is None
    async with db.transaction("r", db.notes):
        assert (await db.notes.get(1))["name"] == "ADA"
    assert layers[-1].keys == [1, 2, 1]
