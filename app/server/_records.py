"""Each user's synced records: push applies batches, pull pages by change number.

Every record holds its fields with the HLC of their last write and the change number of
the last change that altered it. Change numbers are handed out per user inside the
writing transaction while that user's row is locked (PostgreSQL) or while the one
writer runs (SQLite), so they follow commit order: a pull can never pass a change that
commits late. Pull returns records whose change number is above the cursor, each with
all of its fields, so a record edited many times between two pulls comes once.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.sync._hlc import hlc_wall_ms
from app.sync._protocol import DELETED, MAX_DRIFT_MS, SCHEMA_VERSION, Change, PushRequest

from ._database import ServerDatabase
from ._errors import ApiError
from ._schema import clients, records, users

__all__ = ["POKE_CHANNEL", "PullPage", "PushResult", "RecordStore", "check_schema_version"]

POKE_CHANNEL = "lk_poke"
_KEY_CHUNK = 400


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def check_schema_version(version: int) -> None:
    """The server accepts its own schema version and the one before."""
    if version not in (SCHEMA_VERSION, SCHEMA_VERSION - 1):
        raise ApiError(426, "upgrade_required",
                       f"this server speaks schema version {SCHEMA_VERSION} "
                       f"(and {SCHEMA_VERSION - 1}); update the app to sync",
                       supported=[SCHEMA_VERSION - 1, SCHEMA_VERSION])


@dataclass(slots=True)
class PushResult:
    last_seq: int
    #: records that changed (the user's devices should pull)
    changed: int


@dataclass(slots=True)
class PullPage:
    #: the response body, already JSON (records are stored as JSON and passed through)
    body: bytes
    cursor: int
    has_more: bool
    count: int
    #: the newest change number of this user (for progress)
    end: int


@dataclass(slots=True)
class _Row:
    fields: dict[str, list[Any]]
    exists: bool
    changed: bool = False
    order: int = 0


def _check_drift(request: PushRequest, now_ms: int) -> None:
    limit = now_ms + MAX_DRIFT_MS
    for batch in request.batches:
        for change in batch.changes:
            for name, (_value, hlc) in change.fields.items():
                if hlc_wall_ms(hlc) > limit:
                    ahead = (hlc_wall_ms(hlc) - now_ms) // 1000
                    raise ApiError(
                        400, "clock_drift",
                        f"the clock of field {name!r} of {change.table}/{change.id} is "
                        f"{ahead} s ahead of the server's (at most {MAX_DRIFT_MS // 1000} s)",
                        table=change.table, id=change.id, field=name,
                        server_time_ms=now_ms)


class RecordStore:
    """Push, pull and tombstone purging over the server database."""

    def __init__(self, db: ServerDatabase) -> None:
        self.db = db

    # ------------------------------------------------------------------ push
    async def push(self, user_id: str, request: PushRequest) -> PushResult:
        """Apply the batches not applied before, all in one transaction."""
        check_schema_version(request.schema_version)
        now = _now_ms()
        _check_drift(request, now)
        async with self.db.write() as conn:
            change_seq = await self._lock_user(conn, user_id)
            last_seq = await self._client_last_seq(conn, user_id, request.client_id, now)
            expected = last_seq + 1
            todo: list[Change] = []
            for batch in request.batches:
                if batch.seq < expected:
                    continue  # applied before: acknowledged, not applied again
                if batch.seq > expected:
                    raise ApiError(409, "sequence_gap",
                                   f"batch {batch.seq} came before batch {expected}",
                                   expected_seq=expected)
                todo.extend(batch.changes)
                expected += 1
            changed = await self._apply(conn, user_id, todo, change_seq, now) if todo else 0
            if expected - 1 != last_seq:
                await conn.execute(update(clients)
                                   .where(clients.c.client_id == request.client_id)
                                   .values(last_seq=expected - 1))
            if changed and self.db.is_postgres:
                await conn.execute(text("SELECT pg_notify(:channel, :user)"),
                                   {"channel": POKE_CHANNEL, "user": user_id})
        return PushResult(last_seq=expected - 1, changed=changed)

    async def _lock_user(self, conn: AsyncConnection, user_id: str) -> int:
        query = select(users.c.change_seq).where(users.c.id == user_id)
        if self.db.is_postgres:
            query = query.with_for_update()
        seq = (await conn.execute(query)).scalar_one_or_none()
        if seq is None:
            raise ApiError(401, "unauthorized", "the account no longer exists")
        return int(seq)

    async def _client_last_seq(self, conn: AsyncConnection, user_id: str, client_id: str,
                               now: int) -> int:
        row = (await conn.execute(select(clients.c.user_id, clients.c.last_seq)
                                  .where(clients.c.client_id == client_id))).first()
        if row is None:
            # the client id joins this user; a concurrent claim by another user loses
            # on the primary key (and is told "forbidden" when it retries)
            await conn.execute(insert(clients).values(client_id=client_id, user_id=user_id,
                                                      last_seq=0, created_at_ms=now))
            return 0
        if row.user_id != user_id:
            raise ApiError(403, "forbidden", "this client id belongs to another account")
        return int(row.last_seq)

    async def _apply(self, conn: AsyncConnection, user_id: str, changes: list[Change],
                     change_seq: int, now: int) -> int:
        keys = list(dict.fromkeys((c.table, c.id) for c in changes))
        current: dict[tuple[str, str], _Row] = {}
        for start in range(0, len(keys), _KEY_CHUNK):
            chunk = keys[start:start + _KEY_CHUNK]
            result = await conn.execute(
                select(records.c.tbl, records.c.rid, records.c.fields)
                .where(records.c.user_id == user_id)
                .where(tuple_(records.c.tbl, records.c.rid).in_(chunk)))
            for tbl, rid, raw in result:
                current[(tbl, rid)] = _Row(json.loads(raw), exists=True)
        order = 0
        for change in changes:
            key = (change.table, change.id)
            row = current.get(key)
            if row is None:  # a new record: every field wins
                order += 1
                current[key] = _Row({name: [value, hlc] for name, (value, hlc)
                                     in change.fields.items()}, False, True, order)
                continue
            for name, (value, hlc) in change.fields.items():
                mine = row.fields.get(name)
                if mine is None or hlc > mine[1]:
                    row.fields[name] = [value, hlc]
                    if not row.changed:
                        row.changed = True
                        order += 1
                        row.order = order
        touched = sorted(((k, r) for k, r in current.items() if r.changed),
                         key=lambda item: item[1].order)
        if not touched:
            return 0
        new_rows: list[dict[str, Any]] = []
        old_rows: list[dict[str, Any]] = []
        for offset, ((tbl, rid), row) in enumerate(touched, start=1):
            deleted = row.fields.get(DELETED, [False])[0] is True
            values = {"fields": json.dumps(row.fields, separators=(",", ":")),
                      "seq": change_seq + offset, "deleted": deleted, "changed_at_ms": now}
            if row.exists:
                old_rows.append({"k_tbl": tbl, "k_rid": rid, **values})
            else:
                new_rows.append({"user_id": user_id, "tbl": tbl, "rid": rid, **values})
        if old_rows:
            await conn.execute(
                update(records)
                .where(records.c.user_id == user_id)
                .where(records.c.tbl == bindparam("k_tbl"))
                .where(records.c.rid == bindparam("k_rid"))
                .values(fields=bindparam("fields"), seq=bindparam("seq"),
                        deleted=bindparam("deleted"), changed_at_ms=bindparam("changed_at_ms")),
                old_rows)
        if new_rows:
            await conn.execute(insert(records), new_rows)
        await conn.execute(update(users).where(users.c.id == user_id)
                           .values(change_seq=change_seq + len(touched)))
        return len(touched)

    # ------------------------------------------------------------------ pull
    async def pull(self, user_id: str, cursor: int, limit: int) -> PullPage:
        """This user's records changed after ``cursor``, oldest change first."""
        async with self.db.read() as conn, conn.begin():
            row = (await conn.execute(select(users.c.change_seq, users.c.purged_seq)
                                      .where(users.c.id == user_id))).first()
            if row is None:
                raise ApiError(401, "unauthorized", "the account no longer exists")
            end, purged = int(row.change_seq), int(row.purged_seq)
            if cursor > end:
                raise ApiError(410, "reset_required",
                               "the server does not know this cursor (was it restored from a "
                               "backup?): pull from 0 and push everything again")
            if 0 < cursor < purged:
                raise ApiError(410, "reset_required",
                               "deleted records older than this cursor were purged: pull "
                               "from 0 and push everything again")
            result = await conn.execute(
                select(records.c.tbl, records.c.rid, records.c.fields, records.c.seq)
                .where(records.c.user_id == user_id).where(records.c.seq > cursor)
                .order_by(records.c.seq).limit(limit + 1))
            rows = result.all()
        has_more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = int(rows[-1].seq) if rows else cursor
        parts = [b'{"table":' + json.dumps(tbl).encode() + b',"id":' + json.dumps(rid).encode()
                 + b',"fields":' + raw.encode() + b"}" for tbl, rid, raw, _seq in rows]
        body = b"".join([
            b'{"changes":[', b",".join(parts), b'],"cursor":', str(next_cursor).encode(),
            b',"has_more":', b"true" if has_more else b"false",
            b',"server_time_ms":', str(_now_ms()).encode(), b"}"])
        return PullPage(body=body, cursor=next_cursor, has_more=has_more, count=len(rows),
                        end=end)

    # ------------------------------------------------------------------ purge
    async def purge_tombstones(self, older_than_ms: int) -> int:
        """Forget deleted records unchanged since ``older_than_ms``; clients whose cursor
        is older than a purged tombstone get ``reset_required``. Returns how many."""
        async with self.db.read() as conn:
            owners = (await conn.execute(
                select(records.c.user_id).where(records.c.deleted.is_(True))
                .where(records.c.changed_at_ms < older_than_ms).distinct())).scalars().all()
        purged = 0
        for user_id in owners:
            async with self.db.write() as conn:
                await self._lock_user(conn, user_id)
                doomed = (records.c.user_id == user_id, records.c.deleted.is_(True),
                          records.c.changed_at_ms < older_than_ms)
                top = (await conn.execute(select(func.max(records.c.seq), func.count())
                                          .where(*doomed))).one()
                if not top[1]:
                    continue
                await conn.execute(records.delete().where(*doomed))
                await conn.execute(update(users).where(users.c.id == user_id).values(
                    purged_seq=func.max(users.c.purged_seq, int(top[0]))
                    if self.db.is_sqlite else func.greatest(users.c.purged_seq, int(top[0]))))
                purged += int(top[1])
        return purged
