"""Table: ``db.characters`` — writes, point reads, and the way into queries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from ._collection import Collection, Part, QueryContext
from ._core import CoreTransaction, DBCoreTable, MutateRequest, MutateResponse
from ._key_path import MISSING, del_by_keypath, extract_key, get_by_keypath, set_by_keypath
from ._key_range import KeyRange
from ._keys import Encoded, encode
from ._schema import TableSchema
from ._values import clone
from ._where_clause import WhereClause
from .errors import BulkError, DatabaseError, DataError, SchemaError

if TYPE_CHECKING:
    from ._database import Database

R = TypeVar("R")


class Table:
    """One object store of a :class:`Database`."""

    def __init__(self, db: Database, name: str) -> None:
        self._db = db
        self.name = name

    def __repr__(self) -> str:
        return f"<Table {self._db.name}.{self.name}>"

    @property
    def db(self) -> Database:
        return self._db

    @property
    def schema(self) -> TableSchema:
        return self._db._table_schema(self.name)

    def _core_table(self) -> DBCoreTable:
        return self._db._current_core().table(self.name)

    async def _op(self, write: bool, fn: Callable[[CoreTransaction], Awaitable[R]]) -> R:
        return await self._db._op(self.name, write, fn)

    # ------------------------------------------------------------ index lookup
    def _resolve_index(self, index: str | list[str]) -> tuple[str, int]:
        """Map a user index name to (real index name, virtual prefix length)."""
        schema = self.schema
        if isinstance(index, (list, tuple)):
            parts = list(index)
            index = "[" + "+".join(parts) + "]" if len(parts) > 1 else parts[0]
        name = index.strip()
        pk = schema.primary_key
        if name in (":id", "") or (pk.key_path is not None and name == pk.name):
            return "", 0
        spec = schema.get_index(name)
        if spec is not None:
            return spec.name, 0
        if name.startswith("[") and name.endswith("]"):
            want = [p.strip() for p in name[1:-1].split("+")]
        else:
            want = [name]
        for cand in [pk, *schema.indexes.values()]:
            kp = cand.key_path
            if isinstance(kp, list) and len(kp) > len(want) and kp[: len(want)] == want:
                return ("" if cand is pk else cand.name), len(want)
        raise SchemaError(f"table {self.name!r}: {name!r} is not indexed")

    # ------------------------------------------------------------ collections
    def where(self, index: str | list[str] | dict[str, Any]) -> Any:
        """``where("name")`` gives a WhereClause; ``where({"a": 1, "b": 2})`` a Collection."""
        if isinstance(index, dict):
            return self._where_dict(index)
        return WhereClause(self, index)

    def _where_dict(self, crit: dict[str, Any]) -> Collection:
        if not crit:
            return self.to_collection()
        schema = self.schema
        keys = list(crit)
        # 1. an index (or pk) whose key path is exactly the criteria's fields
        for spec in [schema.primary_key, *schema.indexes.values()]:
            kp = spec.key_path
            if isinstance(kp, list) and sorted(kp) == sorted(keys) and not spec.multi:
                return WhereClause(
                    self, spec.name if spec is not schema.primary_key else ":id"
                ).equals([crit[k] for k in kp])
        # 2. a compound index with the criteria's fields as a prefix
        for spec in [schema.primary_key, *schema.indexes.values()]:
            kp = spec.key_path
            if (
                isinstance(kp, list)
                and len(kp) > len(keys)
                and sorted(kp[: len(keys)]) == sorted(keys)
            ):
                prefix = kp[: len(keys)]
                name = "[" + "+".join(prefix) + "]" if len(prefix) > 1 else prefix[0]
                value = [crit[k] for k in prefix]
                return WhereClause(self, name).equals(value if len(prefix) > 1 else value[0])
        # 3. one simple index plus a filter for the rest
        for k in keys:
            simple = schema.index_for_keypath(k)
            if simple is not None:
                spec = simple
                rest = {kk: vv for kk, vv in crit.items() if kk != k}
                coll = WhereClause(self, ":id" if spec is schema.primary_key else spec.name).equals(
                    crit[k]
                )
                if rest:
                    coll.filter(_matcher(rest, schema))
                return coll
        raise SchemaError(f"table {self.name!r}: none of {', '.join(map(repr, keys))} is indexed")

    def to_collection(self) -> Collection:
        return Collection(self, QueryContext([Part("", [KeyRange()])]))

    def order_by(self, index: str | list[str]) -> Collection:
        """All records ordered by ``index``."""
        try:
            name, plen = self._resolve_index(index)
        except SchemaError as err:
            return Collection(self, QueryContext([Part(error=err)]))
        return Collection(self, QueryContext([Part(name, [KeyRange()], None, plen)]))

    def filter(self, fn: Callable[[Any], Any]) -> Collection:
        return self.to_collection().filter(fn)

    def reverse(self) -> Collection:
        return self.to_collection().reverse()

    def limit(self, n: int) -> Collection:
        return self.to_collection().limit(n)

    def offset(self, n: int) -> Collection:
        return self.to_collection().offset(n)

    async def each(self, fn: Callable[..., Any]) -> None:
        await self.to_collection().each(fn)

    async def to_array(self) -> list[Any]:
        return await self.to_collection().to_array()

    to_list = to_array

    async def count(self) -> int:
        return await self.to_collection().count()

    # ------------------------------------------------------------ reads
    async def get(self, key: Any) -> Any:
        """The value at ``key`` (or matching a ``{"field": value}`` dict), or None."""
        if isinstance(key, dict):
            return await self._where_dict(key).first()
        if key is None:
            raise DataError(f"table {self.name!r}: get() needs a key")
        encode(key)
        return await self._db._op(
            self.name,
            False,
            lambda t: self._core_table().get(t, key),
            lambda core: core.get_once(self.name, key),
        )

    async def bulk_get(self, keys: Iterable[Any]) -> list[Any]:
        keys = list(keys)
        for k in keys:
            encode(k)

        async def run(trans: Any) -> list[Any]:
            return await self._core_table().get_many(trans, keys)

        return await self._op(False, run)

    # ------------------------------------------------------------ writes
    def _check_key_arg(self, key: Any) -> None:
        if key is not None and self.schema.inbound:
            raise DataError(
                f"table {self.name!r}: key argument given but the table has inbound key "
                f"{self.schema.primary_key.name!r}"
            )

    def _write_back(self, objs: list[Any], resp: MutateResponse) -> None:
        """Auto-increment keys the caller did not give go back into its dicts."""
        pk = self.schema.primary_key
        kp = pk.key_path
        if not pk.auto or not isinstance(kp, str):
            return
        for i, obj in enumerate(objs):
            if i not in resp.failures and isinstance(obj, dict):
                if get_by_keypath(obj, kp) in (MISSING, None):
                    set_by_keypath(obj, kp, resp.results[i])

    def _without_null_keys(self, objs: list[Any]) -> list[Any]:
        """A None primary key on an auto-increment table means "generate one" (Dexie 4
        drops a null key before adding): those dicts go without it (copies)."""
        pk = self.schema.primary_key
        kp = pk.key_path
        if not pk.auto or not isinstance(kp, str):
            return objs
        out = objs
        for i, obj in enumerate(objs):
            if isinstance(obj, dict) and get_by_keypath(obj, kp) is None:
                if out is objs:
                    out = list(objs)
                out[i] = stripped = clone(obj)
                del_by_keypath(stripped, kp)
        return out

    async def _write(
        self, op: Literal["add", "put"], objs: list[Any], keys: list[Any] | None
    ) -> MutateResponse:
        if keys is not None:
            self._check_key_arg(keys[0] if keys else None)
            if len(keys) != len(objs):
                raise DataError(f"table {self.name!r}: {len(objs)} values but {len(keys)} keys")
        values = self._without_null_keys(objs)

        async def run(trans: CoreTransaction) -> MutateResponse:
            return await self._core_table().mutate(trans, MutateRequest(op, values=values, keys=keys))

        resp = await self._op(True, run)
        self._write_back(objs, resp)
        return resp

    async def add(self, obj: Any, key: Any = None) -> Any:
        """Insert; ConstraintError if the key exists. Returns the key."""
        resp = await self._write("add", [obj], None if key is None else [key])
        if resp.failures:
            raise resp.failures[0]
        return resp.results[0]

    async def put(self, obj: Any, key: Any = None) -> Any:
        """Insert or replace. Returns the key."""
        resp = await self._write("put", [obj], None if key is None else [key])
        if resp.failures:
            raise resp.failures[0]
        return resp.results[0]

    async def bulk_add(
        self, objs: Iterable[Any], keys: Iterable[Any] | None = None, *, all_keys: bool = False
    ) -> Any:
        return await self._bulk("add", objs, keys, all_keys)

    async def bulk_put(
        self, objs: Iterable[Any], keys: Iterable[Any] | None = None, *, all_keys: bool = False
    ) -> Any:
        return await self._bulk("put", objs, keys, all_keys)

    async def _bulk(
        self,
        op: Literal["add", "put"],
        objs: Iterable[Any],
        keys: Iterable[Any] | None,
        all_keys: bool,
    ) -> Any:
        objs = list(objs)
        klist = None if keys is None else list(keys)
        if not objs:
            return [] if all_keys else None
        resp = await self._write(op, objs, klist)
        if resp.failures:
            raise BulkError(
                f"table {self.name!r}: bulk_{op} failed for {len(resp.failures)} of {len(objs)} items",
                resp.failures,
            )
        return list(resp.results) if all_keys else resp.last_result

    async def delete(self, key: Any) -> None:
        encode(key)

        async def run(trans: Any) -> Any:
            return await self._core_table().mutate(trans, MutateRequest("delete", keys=[key]))

        await self._op(True, run)

    async def bulk_delete(self, keys: Iterable[Any]) -> None:
        keys = list(keys)
        for k in keys:
            encode(k)
        if not keys:
            return

        async def run(trans: Any) -> Any:
            return await self._core_table().mutate(trans, MutateRequest("delete", keys=keys))

        await self._op(True, run)

    async def clear(self) -> None:
        async def run(trans: Any) -> Any:
            return await self._core_table().mutate(
                trans, MutateRequest("delete_range", range=KeyRange())
            )

        await self._op(True, run)

    async def update(self, key: Any, changes: dict[str, Any] | Callable[..., Any]) -> int:
        """Apply changes to the record at ``key``; returns 1 if it changed, else 0."""
        if isinstance(key, dict) and self.schema.inbound:
            kp = self.schema.primary_key.key_path
            assert kp is not None
            k = extract_key(key, kp)
            if k is MISSING:
                raise DataError(f"table {self.name!r}: object has no valid primary key")
            key = k
        try:
            encode(key)
        except DataError as e:
            raise DataError(f"table {self.name!r}: update() key {key!r}: {e}") from None
        return await WhereClause(self, ":id").equals(key).modify(changes)

    async def upsert(self, key: Any, changes: dict[str, Any]) -> bool:
        """Update the record at ``key`` or create it from ``changes``.

        Returns True when a record was there (and updated), False when it was created,
        as Dexie's ``upsert`` does."""
        encode(key)

        async def body() -> bool:
            existing = await self.get(key)
            if existing is not None:
                await self.update(key, changes)
                return True
            obj: dict[str, Any] = {}
            for path, v in changes.items():
                set_by_keypath(obj, path, v)
            kp = self.schema.primary_key.key_path
            if isinstance(kp, str):
                set_by_keypath(obj, kp, key)
                await self.add(obj)
            elif isinstance(kp, list):
                for p, part in zip(kp, key, strict=True):
                    set_by_keypath(obj, p, part)
                await self.add(obj)
            else:
                await self.add(obj, key)
            return False

        return await self._db._in_tx("rw", [self.name], body)

    async def bulk_update(self, updates: Iterable[dict[str, Any]]) -> int:
        """``[{"key": k, "changes": {...}}, ...]``; returns how many records changed."""
        ups = list(updates)

        failures: dict[int, DatabaseError] = {}

        async def body() -> int:
            n = 0
            for i, u in enumerate(ups):
                try:
                    n += await self.update(u["key"], u["changes"])
                except DatabaseError as err:
                    failures[i] = err
            return n

        n = await self._db._in_tx("rw", [self.name], body)
        if failures:
            raise BulkError(
                f"table {self.name!r}: bulk_update failed for {len(failures)} item(s)", failures
            )
        return n


def _matcher(crit: dict[str, Any], schema: TableSchema) -> Callable[[Any], bool]:
    """``where({...})``'s filter for the criteria no index served: equal values, or for a
    multi-entry index's field, an array holding the value (as Dexie filters)."""
    tests: list[tuple[str, Encoded, bool]] = []
    for k, v in crit.items():
        spec = schema.index_for_keypath(k)
        tests.append((k, encode(v), spec is not None and spec.multi))

    def holds(x: Any, e: Encoded) -> bool:
        try:
            return encode(x) == e
        except DataError:
            return False

    def match(value: Any) -> bool:
        for k, e, multi in tests:
            v = get_by_keypath(value, k)
            if v is MISSING:
                return False
            if multi and isinstance(v, list):
                if not any(holds(item, e) for item in v):
                    return False
            elif not holds(v, e):
                return False
        return True

    return match
