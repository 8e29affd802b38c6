"""Generic repository: CRUD for one entity type, references and cascades from the registry."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from pydantic import ValidationError as _PydanticValidationError

from ._cascade import delete_cascading, delete_tables
from ._db_errors import translate_db_errors
from ._entity import Entity, list_adapter, validate_model
from ._entity_type import EntityType
from ._errors import FieldError, InvalidDataError, NotFoundError
from ._store import Change, Store

__all__ = [
    "Repository",
    "TableRepository",
    "check_reference",
    "require_record",
]

E = TypeVar("E", bound=Entity)
#: Below and above every key of the second part of a compound index (IndexedDB order:
#: numbers < dates < strings < binary < arrays).
_LOW: Any = -float("inf")
_HIGH: Any = [[]]


async def require_record(store: Store, table: str, key: Any, kind: str) -> dict[str, Any]:
    """The stored record or `NotFoundError` (message fit for the UI)."""
    record: dict[str, Any] | None = await store.table(table).get(key)
    if record is None:
        raise NotFoundError(kind, key)
    return record


async def check_reference(
    store: Store, field: str, kind: str, key: Any, *, path: str = ""
) -> dict[str, Any] | None:
    """Raise `InvalidDataError` naming `field` if `key` is set but no `kind` has that id."""
    if key is None or kind not in store.registry:
        return None
    target = store.registry.entity(kind)
    record: dict[str, Any] | None = await store.table(target.table).get(key)
    if record is None:
        name = f"{path}.{field}" if path else field
        raise InvalidDataError([FieldError(name, f"no {target.label} with id {key!r}")])
    return record


def _indexable(value: Any) -> bool:
    return isinstance(value, (str, int, float, list, tuple)) and not isinstance(value, bool)


class TableRepository:
    """A repository bound to one entity type's table, with that table's change event."""

    def __init__(self, store: Store, entity: EntityType) -> None:
        self.store = store
        self.entity = entity

    @property
    def table_name(self) -> str:
        return self.entity.table

    @property
    def kind(self) -> str:
        return self.entity.label

    @property
    def table(self) -> Any:
        return self.store.table(self.entity.table)

    @property
    def tables_used(self) -> tuple[str, ...]:
        """Every table this repository's methods may touch (for a caller's transaction)."""
        return (self.entity.table,)

    @property
    def event(self) -> str:
        """The event emitted after each commit that changed this table."""
        return f"{self.entity.table}:changed"

    def on_changed(self, fn: Callable[[list[Change]], Any]) -> Callable[[], None]:
        return self.store.on(self.event, fn)


class Repository(TableRepository, Generic[E]):
    """CRUD over one entity type's table; timestamps maintained here.

    Every method joins a caller's `db.transaction(...)` when one is active (the caller's
    transaction must include `tables_used`). References are checked on create and
    update, and deleting a record applies every reference's `on_delete` in the same
    transaction (see `_cascade.py`). Change events are emitted by the store after commit.
    """

    #: further tables that create/update touch (kept in step by the hooks).
    extra_write_tables: tuple[str, ...] = ()

    @property
    def model(self) -> type[E]:
        return self.entity.model  # type: ignore[return-value]  # the registry pairs them

    # -- helpers ----------------------------------------------------------------------
    def _reference_tables(self) -> list[str]:
        registry = self.store.registry
        return [
            registry.entity(kind).table
            for ref in self.entity.references
            if ref.check
            for kind in ref.possible_kinds
            if kind in registry
        ]

    @property
    def write_tables(self) -> tuple[str, ...]:
        extra = (t for t in self.extra_write_tables if self.store.has_table(t))
        return tuple(dict.fromkeys((self.table_name, *self._reference_tables(), *extra)))

    @property
    def delete_tables(self) -> tuple[str, ...]:
        return delete_tables(self.store.registry, self.entity.kind)

    @property
    def tables_used(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.write_tables, *self.delete_tables)))

    def load_many(self, records: Sequence[Mapping[str, Any]]) -> builtins.list[E]:
        """`load` of many records in one validation call (the error, if any, names the
        record as `load` does)."""
        try:
            return list_adapter(self.model).validate_python(records)
        except _PydanticValidationError:
            return [self.load(record) for record in records]

    def load(self, record: Mapping[str, Any]) -> E:
        try:
            return validate_model(self.model, record)
        except InvalidDataError as exc:
            raise exc.prefixed(f"{self.table_name}[{record.get('id')!r}]") from None

    def _coerce(self, data: E | Mapping[str, Any]) -> E:
        if isinstance(data, self.model):
            return validate_model(self.model, data.model_dump())
        return validate_model(self.model, data)

    async def _check(self, entity: E) -> None:
        """Validate references and invariants that need the database."""
        record = entity.model_dump()
        for ref in self.entity.references:
            if not ref.check:
                continue
            kind = ref.target_kind(record)
            if kind is not None:
                await check_reference(self.store, ref.field, kind, record.get(ref.field))

    # -- reads ------------------------------------------------------------------------
    async def get(self, id: str) -> E | None:
        async with translate_db_errors():
            record = await self.table.get(id)
        return None if record is None else self.load(record)

    async def require(self, id: str) -> E:
        entity = await self.get(id)
        if entity is None:
            raise NotFoundError(self.kind, id)
        return entity

    async def list(self) -> builtins.list[E]:
        async with translate_db_errors():
            records = await self.table.to_array()
        return [self.load(r) for r in records]

    async def where(self, index: str, value: Any) -> builtins.list[E]:
        async with translate_db_errors():
            records = await self.table.where(index).equals(value).to_array()
        return [self.load(r) for r in records]

    async def find(self, where: Mapping[str, Any]) -> builtins.list[E]:
        """Records whose fields equal `where`'s values. Values a key can hold go to the
        database (Dexie's `where({...})` picks the index); others (booleans, None) are
        checked here."""
        keyed = {k: v for k, v in where.items() if _indexable(v)}
        rest = {k: v for k, v in where.items() if k not in keyed}
        async with translate_db_errors():
            query = self.table.where(keyed) if keyed else self.table.to_collection()
            records = await query.to_array()
        return [
            self.load(r) for r in records if all(r.get(k) == v for k, v in rest.items())
        ]

    async def latest(self, index: str, value: Any, n: int) -> builtins.list[E]:
        """The last `n` records of compound `index` whose first part equals `value`
        (oldest of them first)."""
        async with translate_db_errors():
            records = await (
                self.table.where(index)
                .between([value, _LOW], [value, _HIGH], True, True)
                .reverse()
                .limit(n)
                .to_array()
            )
        return [self.load(r) for r in reversed(records)]

    async def count(self) -> int:
        async with translate_db_errors():
            return int(await self.table.count())

    # -- writes -----------------------------------------------------------------------
    async def create(self, data: E | Mapping[str, Any]) -> E:
        """Validate and add a new record; `created_at`/`updated_at` come from the clock."""
        entity = self._coerce(data)
        now = self.store.clock()
        entity = entity.model_copy(update={"created_at": now, "updated_at": now})
        async with translate_db_errors(), self.store.transaction("rw", *self.write_tables):
            if await self.table.get(entity.id) is not None:
                raise InvalidDataError([FieldError("id", f"a {self.kind} with this id exists")])
            await self._check(entity)
            await self._before_create(entity)
            await self.table.add(entity.to_record())
            await self._after_create(entity)
        return entity

    async def update(self, id: str, changes: Mapping[str, Any]) -> E:
        """Apply `changes` (validated as a whole record); bumps `updated_at`."""
        self._check_changes(changes)
        async with translate_db_errors(), self.store.transaction("rw", *self.write_tables):
            current = await self.require(id)
            return await self._apply_update(current, changes)

    def _check_changes(self, changes: Mapping[str, Any]) -> None:
        forbidden = {"id", "created_at"} & set(changes)
        if forbidden:
            raise InvalidDataError([FieldError(f, "cannot be changed") for f in sorted(forbidden)])
        unknown = set(changes) - set(self.model.model_fields)
        if unknown:
            raise InvalidDataError([FieldError(f, "unknown field") for f in sorted(unknown)])

    async def _apply_update(
        self, current: E, changes: Mapping[str, Any], *, check: bool = True
    ) -> E:
        """Validate `current` + `changes` as a whole record and write it (inside a
        transaction); `check=False` skips the reference checks (caller did them)."""
        merged = {**current.model_dump(), **changes, "updated_at": self.store.clock()}
        entity = self._coerce(merged)
        if check:
            await self._check(entity)
        await self._before_update(current, entity)
        await self.table.put(entity.to_record())
        return entity

    async def save(self, entity: E) -> E:
        """Create `entity` if new, else replace it (keeping `created_at`)."""
        async with translate_db_errors(), self.store.transaction("rw", *self.write_tables):
            existing = await self.get(entity.id)
            if existing is None:
                return await self.create(entity)
            changes = entity.model_dump(exclude={"id", "created_at", "updated_at"})
            return await self.update(entity.id, changes)

    async def delete(self, id: str) -> None:
        """Delete the record and apply every reference's `on_delete`, atomically."""
        async with translate_db_errors(), self.store.transaction("rw", *self.delete_tables):
            await self.require(id)
            await delete_cascading(self.store, self.entity.kind, [id])

    # -- hooks for subclasses -----------------------------------------------------------
    async def _before_create(self, entity: E) -> None:
        return None

    async def _after_create(self, entity: E) -> None:
        return None

    async def _before_update(self, current: E, entity: E) -> None:
        return None
