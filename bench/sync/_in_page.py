# Runs inside Pyodide (bench.sync's browser step): the first sync of a large library into
# IndexedDB through fetch, exactly as the app does it.
import time

from app.db import Database
from app.sync import SYNC_TABLES, Replica, SyncSchema, outbox_layer
from app.sync._browser import FetchTransport


async def first_sync(server, user, password, name):
    schema = SyncSchema({"characters": frozenset()})
    db = Database(name)
    db.version(1).stores({"characters": "id, name, updated_at", **SYNC_TABLES})
    db.use(outbox_layer(schema))
    await db.open()
    replica = Replica(db, schema, FetchTransport())
    started = time.perf_counter()
    await replica.sign_in(server, user, password)
    signed_in = time.perf_counter()
    await replica.sync_once()
    done = time.perf_counter()
    count = await db.table("characters").count()
    db.close()
    await Database(name).delete()
    return {"records": count, "sign_in_s": signed_in - started, "sync_s": done - signed_in}
