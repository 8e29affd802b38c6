"""Collection: a lazy query over one table (built by ``Table`` and ``WhereClause``)."""

from __future__ import annotations

import copy
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from ._core import CoreTransaction, MutateRequest, QueryRequest, QueryResponse, serially
from ._key_path import MISSING, del_by_keypath, extract_key, get_by_keypath, set_by_keypath
from ._key_range import KeyRange
from ._keys import Encoded, encode
from .errors import BulkError, DatabaseError, DataError

if TYPE_CHECKING:
    from ._table import Table
    from ._where_clause import WhereClause

__all__ = ["DELETE", "Collection", "Cursor", "ModifyContext", "Part", "QueryContext"]

R = TypeVar("R")


@dataclass(slots=True)
class Part:
    """One index scan: union of ranges on one index, plus a key predicate."""

    index: str = ""
    ranges: list[KeyRange] = field(default_factory=lambda: [KeyRange()])
    key_filter: Callable[[Any], bool] | None = None
    #: For a virtual (prefix) index: how many leading components to keep.
    prefix_len: int = 0
    error: BaseException | None = None


@dataclass(slots=True)
class QueryContext:
    parts: list[Part]
    filters: list[Callable[[Any], bool]] = field(default_factory=list)
    reverse: bool = False
    limit: int | None = None
    offset: int = 0
    distinct: bool = False
    until: tuple[Callable[[Any], bool], bool] | None = None


class Collection:
    """A lazy query over a table. Builder methods change it in place and return it."""

    def __init__(self, table: Table, ctx: QueryContext) -> None:
        self._table = table
        self._ctx = ctx

    # ------------------------------------------------------------ builders
    def clone(self) -> Collection:
        c = self._ctx
        return Collection(self._table, replace(c, parts=list(c.parts), filters=list(c.filters)))

    def filter(self, fn: Callable[[Any], Any]) -> Collection:
        """Keep only values for which ``fn(value)`` is true (runs in Python)."""
        self._ctx.filters.append(fn)
        return self

    and_ = filter

    def or_(self, index: str) -> WhereClause:
        """Union with another where-clause: ``coll.or_("age").above(60)``."""
        from ._where_clause import WhereClause

        return WhereClause(self._table, index, or_of=self)

    def limit(self, n: int) -> Collection:
        self._ctx.limit = max(0, int(n))
        return self

    def offset(self, n: int) -> Collection:
        self._ctx.offset = max(0, int(n))
        return self

    def reverse(self) -> Collection:
        self._ctx.reverse = not self._ctx.reverse
        return self

    desc = reverse

    def distinct(self) -> Collection:
        """Drop repeated primary keys (matters for multi-entry indexes)."""
        self._ctx.distinct = True
        return self

    def until(self, fn: Callable[[Any], Any], include_stop_entry: bool = False) -> Collection:
        """Stop at the first value for which ``fn(value)`` is true."""
        self._ctx.until = (fn, include_stop_entry)
        return self

    # ------------------------------------------------------------ execution
    def _is_plain(self) -> bool:
        c = self._ctx
        return (
            len(c.parts) == 1
            and len(c.parts[0].ranges) == 1
            and c.parts[0].key_filter is None
            and not c.filters
            and c.until is None
            and not c.distinct
            and c.parts[0].error is None
        )

    async def _scan(
        self, want_values: bool, want_keys: bool, trans: Any, want_pks: bool = True
    ) -> list[tuple[Any, Any, Any]]:
        """All matching (key, primary key, value) entries, in order, fully filtered."""
        c = self._ctx
        core = self._table._core_table()
        needs_values = want_values or bool(c.filters) or c.until is not None
        if self._is_plain():
            part = c.parts[0]
            limit = None if c.limit is None else c.offset + c.limit
            resp = await core.query(
                trans,
                QueryRequest(
                    part.index,
                    part.ranges[0],
                    limit,
                    c.reverse,
                    False,
                    needs_values,
                    want_keys,
                    want_pks,
                ),
            )
            found = _entries(resp, part)
            return found[c.offset :] if c.offset else found
        merged: list[tuple[Any, Any, Any]] = []
        for part in c.parts:
            if part.error is not None:
                raise part.error
            ranges = sorted(part.ranges, key=lambda r: r.bounds()[0], reverse=c.reverse)
            ents: list[tuple[Any, Any, Any]] = []
            for rng in ranges:
                if rng.is_empty():
                    continue
                kw = want_keys or part.key_filter is not None
                resp = await core.query(
                    trans, QueryRequest(part.index, rng, None, c.reverse, False, needs_values, kw)
                )
                ents.extend(_entries(resp, part))
            if part.key_filter is not None:
                kf = part.key_filter
                ents = [e for e in ents if kf(e[0])]
            merged.extend(ents)
        if len(c.parts) > 1:
            seen: set[Encoded] = set()
            uniq = []
            for e in merged:
                ek = encode(e[1])
                if ek not in seen:
                    seen.add(ek)
                    uniq.append(e)
            uniq.sort(key=lambda e: encode(e[1]), reverse=c.reverse)
            merged = uniq
        return self._post(merged)

    def _post(self, ents: list[tuple[Any, Any, Any]]) -> list[tuple[Any, Any, Any]]:
        c = self._ctx
        if c.filters:
            fs = c.filters
            ents = [e for e in ents if all(f(e[2]) for f in fs)]
        if c.distinct:
            seen: set[Encoded] = set()
            out = []
            for e in ents:
                ek = encode(e[1])
                if ek not in seen:
                    seen.add(ek)
                    out.append(e)
            ents = out
        if c.until is not None:
            fn, include = c.until
            for i, e in enumerate(ents):
                if fn(e[2]):
                    ents = ents[: i + 1] if include else ents[:i]
                    break
        if c.offset:
            ents = ents[c.offset :]
        if c.limit is not None:
            ents = ents[: c.limit]
        return ents

    async def _run(self, write: bool, fn: Callable[[CoreTransaction], Awaitable[R]]) -> R:
        return await self._table._db._op(self._table.name, write, fn)

    async def _write_after_read(self, fn: Callable[[CoreTransaction], Awaitable[R]]) -> R:
        """A write that reads first (modify, delete), one at a time per transaction."""
        return await self._run(True, lambda trans: serially(trans, fn))

    async def to_array(self) -> list[Any]:
        """All matching values."""

        async def run(trans: Any) -> list[Any]:
            c = self._ctx
            if self._is_plain():
                part = c.parts[0]
                limit = None if c.limit is None else c.offset + c.limit
                req = QueryRequest(
                    part.index, part.ranges[0], limit, c.reverse, False, True, False, False
                )
                values = (await self._table._core_table().query(trans, req)).values or []
                return values[c.offset :] if c.offset else values
            return [e[2] for e in await self._scan(True, False, trans, want_pks=False)]

        return await self._run(False, run)

    to_list = to_array

    async def first(self) -> Any:
        """The first matching value, or None."""
        c = self.clone()
        c._ctx.limit = 1 if c._ctx.limit is None else min(1, c._ctx.limit)
        res = await c.to_array()
        return res[0] if res else None

    async def last(self) -> Any:
        """The last matching value, or None."""
        return await self.clone().reverse().first()

    async def count(self) -> int:
        c = self._ctx

        async def run(trans: Any) -> int:
            if (
                len(c.parts) == 1
                and c.parts[0].key_filter is None
                and c.parts[0].error is None
                and not c.filters
                and c.until is None
                and not c.distinct
            ):
                part = c.parts[0]
                core = self._table._core_table()
                total = 0
                for rng in part.ranges:
                    if not rng.is_empty():
                        total += await core.count(trans, part.index, rng)
                total = max(0, total - c.offset)
                return total if c.limit is None else min(total, c.limit)
            return len(await self._scan(False, False, trans))

        return await self._run(False, run)

    async def keys(self) -> list[Any]:
        """Index keys of the matches (one per entry)."""

        async def run(trans: Any) -> list[Any]:
            return [e[0] for e in await self._scan(False, True, trans)]

        return await self._run(False, run)

    async def primary_keys(self) -> list[Any]:
        async def run(trans: Any) -> list[Any]:
            return [e[1] for e in await self._scan(False, False, trans)]

        return await self._run(False, run)

    async def unique_keys(self) -> list[Any]:
        """Distinct index keys of the matches, in order."""
        keys = await self.keys()
        seen: set[Encoded] = set()
        out = []
        for k in keys:
            ek = encode(k)
            if ek not in seen:
                seen.add(ek)
                out.append(k)
        return out

    async def each(self, fn: Callable[..., Any]) -> None:
        """Call ``fn(value)`` (or ``fn(value, cursor)``) per match, streaming in chunks."""
        two = _arity(fn) >= 2
        c = self._ctx

        async def call(ent: tuple[Any, Any, Any]) -> None:
            r = fn(ent[2], Cursor(ent[0], ent[1])) if two else fn(ent[2])
            if inspect.isawaitable(r):
                await r

        async def run(trans: Any) -> None:
            if not (len(c.parts) == 1 and c.parts[0].error is None):
                for ent in await self._scan(True, True, trans):
                    await call(ent)
                return
            part = c.parts[0]
            core = self._table._core_table()
            skipped = 0
            emitted = 0
            seen: set[Encoded] = set()
            ranges = sorted(part.ranges, key=lambda r: r.bounds()[0], reverse=c.reverse)
            for rng in ranges:
                if rng.is_empty():
                    continue
                req = QueryRequest(part.index, rng, None, c.reverse, False, True, True)
                async for chunk in core.open_cursor(trans, req):
                    for ent in _entries(chunk, part):
                        if part.key_filter is not None and not part.key_filter(ent[0]):
                            continue
                        if c.filters and not all(f(ent[2]) for f in c.filters):
                            continue
                        if c.distinct:
                            ek = encode(ent[1])
                            if ek in seen:
                                continue
                            seen.add(ek)
                        if c.until is not None and c.until[0](ent[2]):
                            if c.until[1] and skipped >= c.offset:
                                await call(ent)
                            return
                        if skipped < c.offset:
                            skipped += 1
                            continue
                        if c.limit is not None and emitted >= c.limit:
                            return
                        emitted += 1
                        await call(ent)

        await self._run(False, run)

    async def sort_by(self, key_path: str) -> list[Any]:
        """``to_array()`` sorted by a key path (IndexedDB key order; missing last)."""
        values = await self.to_array()

        def sort_key(v: Any) -> tuple[int, Encoded | tuple[()]]:
            x = get_by_keypath(v, key_path)
            try:
                return (0, encode(x))
            except DataError:
                return (1, ())

        values.sort(key=sort_key, reverse=self._ctx.reverse)
        return values

    # ------------------------------------------------------------ writes
    async def modify(self, changes: dict[str, Any] | Callable[..., Any]) -> int:
        """Change every match with a dict of key-path changes or a function.

        A function gets the value (and, if it takes two arguments, a context whose
        ``value`` may be replaced, or set to None to delete). It changes the value in
        place; returning False skips the record.  Returns how many records changed.

        A change may move a record to another primary key (inbound keys): as in Dexie,
        the record is added at its new key and deleted at its old one, in the same
        transaction; if the new key is taken, the record stays where it was and the
        call raises ``BulkError``.
        """
        table = self._table
        pk_path = table.schema.primary_key.key_path
        if callable(changes):
            fn: Callable[..., Any] = changes
            two = _arity(fn) >= 2
        elif isinstance(changes, dict):
            fn = _apply_changes(changes)
            two = False
        else:
            raise TypeError("modify() takes a dict of changes or a function")

        def apply(value: Any, pk: Any) -> tuple[str, Any]:
            """-> ("skip"|"put"|"delete", new value)."""
            if two:
                ctx = ModifyContext(value, pk)
                if fn(value, ctx) is False:
                    return ("skip", value)
                if ctx.value is None:
                    return ("delete", None)
                return ("put", ctx.value)
            r = fn(value)
            if r is False:
                return ("skip", value)
            if isinstance(r, dict) and r is not value:
                return ("put", r)
            return ("put", value)

        async def run(trans: CoreTransaction) -> int:
            ents = await self._scan(True, False, trans)
            core = table._core_table()
            puts: list[Any] = []
            put_keys: list[Any] = []
            dels: list[Any] = []
            moved: list[Any] = []  # new values whose primary key changed
            moved_from: list[Any] = []
            for _k, pk, value in ents:
                action, new = apply(value, pk)
                if action == "delete":
                    dels.append(pk)
                    continue
                if action != "put":
                    continue
                if pk_path is None:
                    puts.append(new)
                    put_keys.append(pk)
                    continue
                nk = extract_key(new, pk_path)
                if nk is MISSING:
                    raise DataError(
                        f"table {table.name!r}: modify() left record {pk!r} without a valid "
                        f"primary key {table.schema.primary_key.name!r}"
                    )
                if encode(nk) == encode(pk):
                    puts.append(new)
                else:
                    moved.append(new)
                    moved_from.append(pk)
            deleted = len(dels)
            failures: dict[int, DatabaseError] = {}
            if moved:
                resp = await core.mutate(trans, MutateRequest("add", values=moved))
                failures.update(resp.failures)
                dels.extend(k for i, k in enumerate(moved_from) if i not in resp.failures)
            if puts:
                resp = await core.mutate(
                    trans,
                    MutateRequest("put", values=puts, keys=None if pk_path is not None else put_keys),
                )
                failures.update({len(moved) + i: e for i, e in resp.failures.items()})
            if dels:
                await core.mutate(trans, MutateRequest("delete", keys=dels))
            if failures:
                raise BulkError(
                    f"table {table.name!r}: modify() failed for {len(failures)} record(s)",
                    failures,
                )
            return len(moved) + len(puts) + deleted

        return await self._write_after_read(run)

    async def delete(self) -> int:
        """Delete every match; returns how many were deleted."""
        c = self._ctx
        core = self._table._core_table

        async def run(trans: Any) -> int:
            if self._is_plain() and c.parts[0].index == "" and not c.offset and c.limit is None:
                rng = c.parts[0].ranges[0]
                n = await core().count(trans, "", rng)
                if n:
                    await core().mutate(trans, MutateRequest("delete_range", range=rng))
                return n
            pks = [e[1] for e in await self._scan(False, False, trans)]
            if pks:
                await core().mutate(trans, MutateRequest("delete", keys=pks))
            return len(pks)

        return await self._write_after_read(run)

    def __await__(self) -> Any:
        return self.to_array().__await__()

    def __aiter__(self) -> Any:
        return self._aiter()

    async def _aiter(self) -> Any:
        for v in await self.to_array():
            yield v


def _apply_changes(changes: dict[str, Any]) -> Callable[[Any], bool]:
    """``modify({...})``: set (or, with ``DELETE``, remove) each key path; False when
    nothing changed (the record is then not written)."""

    def apply(value: Any) -> bool:
        changed = False
        for kp, v in changes.items():
            cur = get_by_keypath(value, kp)
            if v is DELETE:
                if cur is not MISSING:
                    del_by_keypath(value, kp)
                    changed = True
            elif cur is MISSING or cur != v or type(cur) is not type(v):
                set_by_keypath(value, kp, copy.deepcopy(v))
                changed = True
        return changed

    return apply


class _DeleteSentinel:
    def __repr__(self) -> str:
        return "DELETE"


#: Use as a value in ``update``/``modify`` changes to remove a property.
DELETE: Any = _DeleteSentinel()


@dataclass(slots=True)
class Cursor:
    """What ``each(fn)`` passes as second argument."""

    key: Any
    primary_key: Any


class ModifyContext:
    """Second argument of a two-argument ``modify`` function."""

    __slots__ = ("primary_key", "value")

    def __init__(self, value: Any, primary_key: Any) -> None:
        self.value = value
        self.primary_key = primary_key


def _arity(fn: Callable[..., Any]) -> int:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 1
    n = 0
    for p in params:
        if p.kind == p.VAR_POSITIONAL:
            return 99
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty:
            n += 1
    return n


def _entries(resp: QueryResponse, part: Part) -> list[tuple[Any, Any, Any]]:
    pks = resp.primary_keys
    if pks is None:
        n = len(resp.values if resp.values is not None else resp.keys or [])
        pks = [None] * n
    keys = resp.keys if resp.keys is not None else pks
    vals = resp.values if resp.values is not None else [None] * len(pks)
    if part.prefix_len and resp.keys is not None:
        n = part.prefix_len
        keys = [k[:n] if n > 1 else k[0] for k in keys]
    return list(zip(keys, pks, vals, strict=True))
