"""One library's side of the protocol: sign in and out, push the outbox, pull and merge.

``Replica(db, schema, transport)`` works on any ``app.db`` database that has the sync
tables and the outbox layer; the background task (``_task.py``) calls ``sync_once()``.
Every step that changes local state is one IndexedDB transaction, so a tab closed at any
moment leaves either the old or the new state: a batch leaves the outbox only after the
server acknowledged it; a pulled page and the cursor after it are stored together.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from app.db import Database

from ._api import ApiError, NetworkError, SyncApi, Transport, WireChange
from ._fields import Clocks, LocalRecord, synced_fields
from ._hlc import HybridClock, hlc_wall_ms, wall_clock_ms
from ._outbox import MAX_BATCH_BYTES, MAX_BATCH_CHANGES, applying_pulled_changes, writer_clock
from ._protocol import DELETED, MAX_BATCHES, MAX_DRIFT_MS, PULL_LIMIT_MAX
from ._schema import META, OUTBOX, STATE, SyncSchema
from ._state import LINK, WRITER, LinkRow, Rejection, WriterRow, new_client_id, new_writer

__all__ = [
    "MAX_PUSH_BYTES",
    "Progress",
    "Replica",
    "SignedOutError",
    "UpgradeRequiredError",
]

#: A push request carries batches up to about this many bytes (the server takes 5 MB).
MAX_PUSH_BYTES = 4_000_000
SNAPSHOT_CHUNK = 1000
_REJECTIONS_KEPT = 50
_OFFSET_SLACK_MS = 2000


class SignedOutError(Exception):
    """There is no session (never signed in, signed out, or the server ended it)."""


class UpgradeRequiredError(Exception):
    """The server no longer speaks this app's schema version: update the app."""


@dataclass(frozen=True, slots=True)
class Progress:
    phase: Literal["push", "pull"]
    done: int
    total: int


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


@dataclass(slots=True)
class _Batch:
    """One outbox batch on its way: its changes and the same changes as JSON."""

    seq: int
    changes: list[dict[str, Any]]
    encoded: list[str]


class Replica:
    """See the module docstring."""

    def __init__(self, db: Database, schema: SyncSchema, transport: Transport, *,
                 now_ms: Callable[[], int] = wall_clock_ms,
                 on_progress: Callable[[Progress], None] | None = None,
                 on_applied: Callable[[dict[str, list[str]]], None] | None = None,
                 page_size: int = PULL_LIMIT_MAX) -> None:
        self.db = db
        self.schema = schema
        self.transport = transport
        self.now_ms = now_ms
        self.on_progress = on_progress
        #: told, after each pulled page committed, which records it changed (table -> ids):
        #: the app's state reloads them as if another tab had written them
        self.on_applied = on_applied
        self.page_size = page_size
        self._repaired = False
        #: HLCs this replica restamped after the server refused them (old -> new)
        self.restamped: dict[str, str] = {}

    # ------------------------------------------------------------------ rows
    async def writer(self) -> WriterRow | None:
        row: WriterRow | None = await self.db.table(STATE).get(WRITER)
        return row

    async def link(self) -> LinkRow | None:
        row: LinkRow | None = await self.db.table(STATE).get(LINK)
        return row

    def _synced_tables(self) -> list[str]:
        return [t for t in self.schema.tables if t in self.db._current_schema()]

    def _key_path(self, table: str) -> str:
        path = self.db.table(table).schema.primary_key.key_path
        assert isinstance(path, str)
        return path

    async def api(self) -> SyncApi:
        link = await self.link()
        if link is None or not link.get("token"):
            raise SignedOutError("sign in to sync")
        return SyncApi(self.transport, link["server"], link["token"])

    # ------------------------------------------------------------------ account
    async def register(self, server: str, username: str, password: str) -> None:
        await SyncApi(self.transport, server).register(username, password)

    async def sign_in(self, server: str, username: str, password: str) -> None:
        """Log in and link this library to that account (recording starts if needed).

        Signing in again to the same account keeps the outbox and the cursor; another
        account (or server) gets a fresh client id and the whole library pushed to it."""
        api = SyncApi(self.transport, server)
        login = await api.login(username, password)
        await self._link(server.rstrip("/"), username, login.user_id, login.token)

    async def _link(self, server: str, username: str, user_id: str, token: str) -> None:
        synced = self._synced_tables()
        async with self.db.transaction("rw", *synced, OUTBOX, META, STATE):
            state = self.db.table(STATE)
            writer: WriterRow = await state.get(WRITER) or new_writer()
            link: LinkRow | None = await state.get(LINK)
            if link is not None and (link.get("server"), link.get("user_id")) == (server, user_id):
                link["token"], link["username"] = token, username
                await state.put(link)
                await state.put(writer)
                return
            had_recording = writer["recording"]
            if link is not None or had_recording:
                # this library synced with another account: start afresh there
                writer["client_id"], writer["next_seq"] = new_client_id(), 1
                await self.db.table(OUTBOX).clear()
            if not writer["recording"]:
                clock = writer_clock(writer, self.now_ms)
                writer["recording"], writer["baseline"] = True, clock.tick()
                writer["clock"] = clock.last
            # the first account pushes what predates recording (records without clocks);
            # a later one gets everything, since its server has none of it
            only_unrecorded = link is None and not had_recording
            total = await self._count_library(synced)
            await state.put(writer)
            await state.put({"key": LINK, "server": server, "username": username,
                             "user_id": user_id, "token": token, "cursor": 0,
                             "snapshot": {"tables": synced, "index": 0, "after": None,
                                          "only_unrecorded": only_unrecorded},
                             "snapshot_total": total, "snapshot_done": 0, "rejected": [],
                             "last_synced_ms": None, "pulled_once": False})

    async def _count_library(self, tables: list[str]) -> int:
        total = 0
        for table in tables:
            total += await self.db.table(table).count()
            total += await self.db.table(META).where("[table+id]").between(
                [table], [table, []]).filter(lambda m: bool(m.get("deleted"))).count()
        return total

    async def sign_out(self) -> None:
        """End the session; the library, its outbox and its cursor stay."""
        link = await self.link()
        if link is None or not link.get("token"):
            return
        try:
            await SyncApi(self.transport, link["server"], link["token"]).logout()
        except (ApiError, NetworkError):
            pass  # the session ends here either way; the server forgets it later
        await self._forget_token()

    async def _forget_token(self) -> None:
        async with self.db.transaction("rw", STATE):
            link = await self.link()
            if link is not None:
                link["token"] = None
                await self.db.table(STATE).put(link)

    # ------------------------------------------------------------------ status
    async def pending(self) -> int:
        """Records with changes the server has not acknowledged yet (the outbox and the
        part of the library the first sync has not pushed yet)."""
        records = {(c["table"], c["id"]) for row in await self.db.table(OUTBOX).to_array()
                   for c in row["changes"]}
        waiting = len(records)
        link = await self.link()
        if link is not None and link.get("snapshot"):
            waiting += max(0, link.get("snapshot_total", 0) - link.get("snapshot_done", 0))
        return waiting

    async def rejected(self) -> list[Rejection]:
        link = await self.link()
        return list(link.get("rejected", [])) if link else []

    async def dismiss_rejected(self) -> None:
        async with self.db.transaction("rw", STATE):
            link = await self.link()
            if link is not None:
                link["rejected"] = []
                await self.db.table(STATE).put(link)

    # ------------------------------------------------------------------ sync
    async def sync_once(self) -> None:
        """Push everything waiting, then pull everything new."""
        api = await self.api()
        try:
            await self.push_all(api)
            await self.pull_all(api)
        except ApiError as error:
            await self._fatal(error)
            raise
        async with self.db.transaction("rw", STATE):
            link = await self.link()
            if link is not None:
                link["last_synced_ms"] = self.now_ms()
                await self.db.table(STATE).put(link)

    async def _fatal(self, error: ApiError) -> None:
        if error.status == 401:
            await self._forget_token()
            raise SignedOutError("the server ended this session: sign in again") from error
        if error.status == 426:
            raise UpgradeRequiredError(error.message) from error

    # ------------------------------------------------------------------ push
    async def push_all(self, api: SyncApi) -> None:
        self._repaired = False
        link = await self.link()
        if link is not None and link.get("snapshot") and self.on_progress is not None:
            total = link.get("snapshot_total", 0)
            self.on_progress(Progress("push", min(total, link.get("snapshot_done", 0)), total))
        while True:
            await self._materialize_snapshot()
            batches = await self._next_batches()
            if not batches:
                return
            await self._push(api, batches)

    async def _next_batches(self) -> list[_Batch]:
        """Outbox batches in order, as many as one request carries."""
        batches: list[_Batch] = []
        size = 0
        rows = await self.db.table(OUTBOX).limit(MAX_BATCHES * 2).to_array()
        for row in rows:
            encoded = [_dumps(c) for c in row["changes"]]
            added = sum(len(e) + 1 for e in encoded)
            if batches and batches[-1].seq == row["seq"]:
                batches[-1].changes.extend(row["changes"])
                batches[-1].encoded.extend(encoded)
            else:
                if len(batches) >= MAX_BATCHES or (batches and size + added > MAX_PUSH_BYTES):
                    break
                batches.append(_Batch(row["seq"], list(row["changes"]), encoded))
            size += added
        if len(batches) > 1 and rows and len(rows) == MAX_BATCHES * 2:
            batches.pop()  # the last batch may continue in rows not read yet
        return batches

    async def _push(self, api: SyncApi, batches: list[_Batch]) -> None:
        writer = await self.writer()
        assert writer is not None
        body = ('{"client_id":' + _dumps(writer["client_id"]) + ',"schema_version":'
                + str(api.schema_version) + ',"batches":['
                + ",".join('{"seq":' + str(b.seq) + ',"changes":[' + ",".join(b.encoded) + "]}"
                           for b in batches) + "]}").encode()
        try:
            answer = await api.push_raw(body)
        except ApiError as error:
            await self._push_refused(api, batches, error)
            return
        await self._acknowledge(answer.last_seq, answer.server_time_ms)
        if self.on_progress is not None:
            link = await self.link()
            if link is not None and link.get("snapshot_total"):
                total = link.get("snapshot_total", 0)
                self.on_progress(Progress("push", min(total, link.get("snapshot_done", 0)),
                                          total))

    async def _acknowledge(self, last_seq: int, server_time_ms: int) -> None:
        async with self.db.transaction("rw", OUTBOX, STATE):
            await self.db.table(OUTBOX).where("[seq+part]").below([last_seq, []]).delete()
            await self._learn_offset(server_time_ms)

    async def _learn_offset(self, server_time_ms: int) -> None:
        """Correct this device's wall clock by the server's, when they differ clearly."""
        writer = await self.writer()
        if writer is None:
            return
        offset = server_time_ms - self.now_ms()
        if abs(offset) < _OFFSET_SLACK_MS:
            offset = 0
        if abs(offset - int(writer.get("offset_ms") or 0)) >= _OFFSET_SLACK_MS or (
                offset == 0 and writer.get("offset_ms")):
            writer["offset_ms"] = offset
            await self.db.table(STATE).put(writer)

    async def _push_refused(self, api: SyncApi, batches: list[_Batch],
                            error: ApiError) -> None:
        if error.code == "sequence_gap" and isinstance(error.info.get("expected_seq"), int):
            await self._close_gap(int(error.info["expected_seq"]), batches[0].seq)
            return
        if (error.code == "clock_drift" and isinstance(error.info.get("server_time_ms"), int)
                and not self._repaired):
            self._repaired = True  # once per push: if it is still refused, retry later
            await self._repair_clock(int(error.info["server_time_ms"]))
            return
        if error.code == "clock_drift":
            raise error
        if error.transient or error.status in (401, 409, 410, 426):
            raise error
        if len(batches) > 1:  # find the batch the server refuses; push the others
            for one in batches:
                await self._push(api, [one])
            return
        await self._reject(batches[0], error)

    async def _reject(self, batch: _Batch, error: ApiError) -> None:
        """Keep the queue moving: the batch is sent empty and the user told which records."""
        seq, changes = batch.seq, batch.changes
        now = self.now_ms()
        rejections: list[Rejection] = [
            {"table": c["table"], "id": c["id"], "reason": error.message, "at_ms": now}
            for c in changes]
        async with self.db.transaction("rw", OUTBOX, STATE):
            outbox = self.db.table(OUTBOX)
            await outbox.where("[seq+part]").between([seq], [seq, []]).delete()
            await outbox.put({"seq": seq, "part": 0, "n": 0, "changes": []})
            link = await self.link()
            if link is not None:
                fresh = {(r["table"], r["id"]) for r in rejections}
                kept = [r for r in link.get("rejected", []) if (r["table"], r["id"]) not in fresh]
                link["rejected"] = (kept + list({(r["table"], r["id"]): r
                                                 for r in rejections}.values()))[-_REJECTIONS_KEPT:]
                await self.db.table(STATE).put(link)

    async def _close_gap(self, expected: int, first: int) -> None:
        async with self.db.transaction("rw", *self._synced_tables(), OUTBOX, META, STATE):
            outbox = self.db.table(OUTBOX)
            if expected > first:  # the server has those already
                await outbox.where("[seq+part]").below([expected]).delete()
                return
            # the server lost batches it had acknowledged (restored from a backup?):
            # fill the numbers with empty batches and push the whole library again
            await outbox.bulk_put([{"seq": s, "part": 0, "n": 0, "changes": []}
                                   for s in range(expected, first)])
            await self._restart_snapshot()

    async def _restart_snapshot(self) -> None:
        link = await self.link()
        if link is None:
            return
        synced = self._synced_tables()
        link["snapshot"] = {"tables": synced, "index": 0, "after": None,
                            "only_unrecorded": False}
        link["snapshot_total"] = await self._count_library(synced)
        link["snapshot_done"] = 0
        await self.db.table(STATE).put(link)

    async def _repair_clock(self, server_time_ms: int) -> None:
        """The server refused clocks from this device's future: adopt the server's time
        and restamp the fields it refused (they never left this device)."""
        synced = self._synced_tables()
        async with self.db.transaction("rw", *synced, OUTBOX, META, STATE):
            writer = await self.writer()
            assert writer is not None
            writer["offset_ms"] = server_time_ms - self.now_ms()
            limit = server_time_ms + MAX_DRIFT_MS // 2
            clock = writer_clock(writer, self.now_ms)
            if writer["clock"] and hlc_wall_ms(writer["clock"]) > limit:
                clock = writer_clock({**writer, "clock": None}, self.now_ms)
            baseline = writer.get("baseline")
            if baseline and hlc_wall_ms(baseline) > limit:
                writer["baseline"] = clock.tick()
            renamed: dict[str, str] = {}

            def fresh(hlc: str) -> str:
                if hlc_wall_ms(hlc) <= limit:
                    return hlc
                if hlc not in renamed:
                    renamed[hlc] = clock.tick()
                return renamed[hlc]

            outbox = self.db.table(OUTBOX)
            touched: set[tuple[str, str]] = set()
            for row in await outbox.to_array():
                for change in row["changes"]:
                    for name, pair in change["fields"].items():
                        new = fresh(pair[1])
                        if new != pair[1]:
                            change["fields"][name] = [pair[0], new]
                            touched.add((change["table"], change["id"]))
                await outbox.put(row)
            meta = self.db.table(META)
            for table, rid in touched:
                row = await meta.get([table, rid])
                if row is None:
                    continue
                if row.get("base") and hlc_wall_ms(row["base"]) > limit:
                    row["base"] = fresh(row["base"])
                row["f"] = {name: fresh(h) for name, h in row["f"].items()}
                await meta.put(row)
            writer["clock"] = clock.last
            await self.db.table(STATE).put(writer)
        self.restamped.update(renamed)

    # ------------------------------------------------------------------ snapshot
    async def _materialize_snapshot(self) -> None:
        """Turn the next chunk of the library that predates syncing into outbox batches."""
        link = await self.link()
        if link is None or not link.get("snapshot"):
            return
        if await self.db.table(OUTBOX).count() >= MAX_BATCHES:
            return  # push what is queued first
        synced = self._synced_tables()
        with applying_pulled_changes():
            async with self.db.transaction("rw", *synced, OUTBOX, META, STATE):
                link = await self.link()
                writer = await self.writer()
                assert writer is not None
                if link is None or not link.get("snapshot"):
                    return
                snap = dict(link["snapshot"] or {})
                tables = [t for t in snap["tables"] if t in synced]
                if snap["index"] >= len(tables):
                    link["snapshot"] = None
                    await self.db.table(STATE).put(link)
                    return
                table = tables[snap["index"]]
                after = snap["after"]
                chunk, last, scanned = await self._snapshot_chunk(
                    table, after, writer, bool(snap.get("only_unrecorded")))
                if scanned < SNAPSHOT_CHUNK:
                    snap["index"], snap["after"] = snap["index"] + 1, None
                else:
                    snap["after"] = last
                snap["tables"] = tables
                rows = self._rows(chunk, writer)
                if rows:
                    await self.db.table(OUTBOX).bulk_put(rows)
                link["snapshot_done"] = link.get("snapshot_done", 0) + scanned
                link["snapshot"] = snap if snap["index"] < len(tables) else None
                await self.db.table(STATE).put(writer)
                await self.db.table(STATE).put(link)

    async def _snapshot_chunk(self, table: str, after: str | None, writer: WriterRow,
                              only_unrecorded: bool) -> tuple[list[dict[str, Any]], str, int]:
        """The next records of ``table`` after ``after`` as changes: (changes, the last id
        looked at, how many were looked at)."""
        key_path = self._key_path(table)
        local = self.schema.local_fields(table)
        records_table = self.db.table(table)
        collection = (records_table.where(key_path).above(after) if after is not None
                      else records_table.to_collection())
        records = await collection.limit(SNAPSHOT_CHUNK).to_array()
        low = [table, after] if after is not None else [table]
        tombstones = [] if only_unrecorded else await self.db.table(META).where(
            "[table+id]").between(low, [table, []], include_lower=after is None).filter(
            lambda m: bool(m.get("deleted"))).limit(SNAPSHOT_CHUNK).to_array()
        metas = await self.db.table(META).bulk_get([[table, r[key_path]] for r in records])
        items: list[tuple[str, LocalRecord | None]] = []
        for record, meta in zip(records, metas, strict=True):
            if meta is not None and only_unrecorded:
                items.append((record[key_path], None))  # its writes are in the outbox
                continue
            clocks = Clocks(meta) if meta is not None else Clocks.new(
                table, record[key_path], writer["baseline"])
            items.append((record[key_path], LocalRecord(
                synced_fields(record, key_path, local), False, clocks)))
        for meta in tombstones:
            items.append((meta["id"], LocalRecord(dict(meta.get("values") or {}), True,
                                                  Clocks(meta))))
        items.sort(key=lambda item: item[0])
        items = items[:SNAPSHOT_CHUNK]
        chunk = []
        for rid, record in items:
            if record is None:
                continue
            fields = record.fields_with_clocks()
            if not fields:  # a record with nothing but its id still exists
                fields = {DELETED: [False, record.clocks.row.get("base") or writer["baseline"]]}
            chunk.append({"table": table, "id": rid, "fields": fields})
        return chunk, items[-1][0] if items else "", len(items)

    def _rows(self, changes: list[dict[str, Any]], writer: WriterRow) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        current: list[dict[str, Any]] = []
        size = 0
        for change in changes:
            encoded = len(_dumps(change))
            if current and (len(current) >= MAX_BATCH_CHANGES or size + encoded > MAX_BATCH_BYTES):
                rows.append({"seq": writer["next_seq"], "part": 0, "n": len(current),
                             "changes": current})
                writer["next_seq"] += 1
                current, size = [], 0
            current.append(change)
            size += encoded
        if current:
            rows.append({"seq": writer["next_seq"], "part": 0, "n": len(current),
                         "changes": current})
            writer["next_seq"] += 1
        return rows

    # ------------------------------------------------------------------ pull
    async def pull_all(self, api: SyncApi) -> None:
        link = await self.link()
        assert link is not None
        cursor = int(link.get("cursor", 0))
        start = cursor
        while True:
            try:
                page = await api.pull(cursor, self.page_size)
            except ApiError as error:
                if error.status != 410 or cursor == 0:
                    raise
                await self._reset()
                cursor = start = 0
                continue
            await self._apply(page.changes, page.cursor, page.server_time_ms)
            cursor = page.cursor
            if self.on_progress is not None and page.end:
                self.on_progress(Progress("pull", max(0, cursor - start),
                                          max(1, page.end - start)))
            if not page.has_more:
                return

    async def _reset(self) -> None:
        """``reset_required``: pull from 0 again and push the whole library again; local
        data is never discarded."""
        async with self.db.transaction("rw", *self._synced_tables(), OUTBOX, META, STATE):
            link = await self.link()
            if link is not None:
                link["cursor"] = 0
                await self.db.table(STATE).put(link)
                await self._restart_snapshot()

    async def _apply(self, changes: list[WireChange], cursor: int, server_time_ms: int) -> None:
        """Merge a pulled page and store the cursor after it, in one transaction."""
        schema = self.db._current_schema()
        known = [c for c in changes if self.schema.syncs(c["table"]) and c["table"] in schema]
        tables = sorted({c["table"] for c in known})
        changed: dict[str, list[str]] = {}
        with applying_pulled_changes():
            async with self.db.transaction("rw", *tables, META, STATE):
                writer = await self.writer()
                link = await self.link()
                assert writer is not None and link is not None
                clock = writer_clock(writer, self.now_ms)
                if known:
                    changed = await self._merge(known, writer, clock)
                    writer["clock"] = clock.last
                    await self.db.table(STATE).put(writer)
                link["cursor"] = cursor
                link["pulled_once"] = True
                await self.db.table(STATE).put(link)
                await self._learn_offset(server_time_ms)
        if changed and self.on_applied is not None:
            self.on_applied(changed)

    async def _merge(self, changes: list[WireChange], writer: WriterRow,
                     clock: HybridClock) -> dict[str, list[str]]:
        """Merge ``changes`` into the library; returns the records that changed."""
        meta_table = self.db.table(META)
        metas = await meta_table.bulk_get([[c["table"], c["id"]] for c in changes])
        by_table: dict[str, list[int]] = {}
        for index, change in enumerate(changes):
            by_table.setdefault(change["table"], []).append(index)
        records: list[Any] = [None] * len(changes)
        for table, indexes in by_table.items():
            found = await self.db.table(table).bulk_get([changes[i]["id"] for i in indexes])
            for i, record in zip(indexes, found, strict=True):
                records[i] = record
        puts: dict[str, list[dict[str, Any]]] = {}
        deletes: dict[str, list[str]] = {}
        new_metas: list[dict[str, Any]] = []
        newest = ""
        paths = {table: self._key_path(table) for table in by_table}
        for change, record, meta in zip(changes, records, metas, strict=True):
            table, rid = change["table"], change["id"]
            key_path = paths[table]
            local = self.schema.local_fields(table)
            incoming = {k: v for k, v in change["fields"].items()
                        if k != key_path and k not in local}
            for _value, hlc in incoming.values():
                if hlc > newest:
                    newest = hlc
            if record is None and meta is None:  # new here (most of a first sync)
                row = _fresh_clocks(table, rid, incoming)
                if row.get("deleted"):
                    new_metas.append(row)
                    continue
                puts.setdefault(table, []).append(
                    {name: value for name, (value, _h) in incoming.items()
                     if name != DELETED} | {key_path: rid})
                new_metas.append(row)
                continue
            if meta is not None:
                clocks = Clocks({**meta, "f": dict(meta["f"])})
            else:
                clocks = Clocks.new(table, rid, writer["baseline"])
            if record is not None:
                current = LocalRecord(synced_fields(record, key_path, local), False, clocks)
            else:
                current = LocalRecord(dict(meta.get("values") or {}) if meta else {},
                                      bool(meta and meta.get("deleted")), clocks)
            if not current.merge(incoming) and meta is not None:
                continue
            clocks.normalize(current.values)
            if current.deleted:
                clocks.row["deleted"], clocks.row["values"] = True, current.values
                if record is not None:
                    deletes.setdefault(table, []).append(rid)
            else:
                clocks.row.pop("deleted", None)
                clocks.row.pop("values", None)
                kept = {k: v for k, v in (record or {}).items() if k in local}
                puts.setdefault(table, []).append({**kept, **current.values, key_path: rid})
            new_metas.append(clocks.row)
        for table, rows in puts.items():
            await self.db.table(table).bulk_put(rows)
        for table, ids in deletes.items():
            await self.db.table(table).bulk_delete(ids)
        if new_metas:
            await meta_table.bulk_put(new_metas)
        if newest:
            clock.observe(newest)
        changed: dict[str, list[str]] = {}
        for table, rows in puts.items():
            changed.setdefault(table, []).extend(str(r[self._key_path(table)]) for r in rows)
        for table, ids in deletes.items():
            changed.setdefault(table, []).extend(ids)
        return changed


def _fresh_clocks(table: str, rid: str, incoming: dict[str, list[Any]]) -> dict[str, Any]:
    """The clock row of a record first seen in a pull: its most common HLC as ``base``
    (usually its only one), the others per field; a tombstone keeps its values."""
    counts: dict[str, int] = {}
    for name, (_value, hlc) in incoming.items():
        if name != DELETED:
            counts[hlc] = counts.get(hlc, 0) + 1
    base = max(counts, key=lambda h: (counts[h], h)) if counts else None
    row: dict[str, Any] = {"table": table, "id": rid, "base": base,
                           "f": {name: hlc for name, (_value, hlc) in incoming.items()
                                 if hlc != base or name == DELETED}}
    deleted = incoming.get(DELETED)
    if deleted is not None and deleted[0] is True:
        row["deleted"] = True
        row["values"] = {name: value for name, (value, _h) in incoming.items() if name != DELETED}
    return row
