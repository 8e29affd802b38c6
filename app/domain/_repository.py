"""Generic repository: CRUD for one table of one pydantic entity."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Generic, TypeVar

from ._db_errors import translate_db_errors
from ._entity import Entity, validate_model
from ._errors import FieldError, InvalidDataError, NotFoundError
from ._ids import format_utc
from ._store import Change, Store

__all__ = ["Repository", "check_reference", "clear_references", "clear_setting", "require_record"]

E = TypeVar("E", bound=Entity)

#: Which table a scope/reference field points at.
KIND_TABLES: dict[str, str] = {
    "series": "series",
    "story": "stories",
    "chapter": "chapters",
    "character": "characters",
    "chat": "chats",
    "module": "modules",
    "folder": "folders",
    "persona": "personas",
    "api_key": "api_keys",
    "rule": "rules",
    "tag": "tags",
}


async def require_record(store: Store, table: str, key: Any, kind: str) -> dict[str, Any]:
    """The stored record or `NotFoundError` (message fit for the UI)."""
    record = await store.table(table).get(key)
    if record is None:
        raise NotFoundError(kind, key)
    return record


async def check_reference(
    store: Store, field: str, kind: str, key: Any, *, path: str = ""
) -> dict[str, Any] | None:
    """Raise `InvalidDataError` naming `field` if `key` is set but no `kind` has that id."""
    if key is None:
        return None
    table = KIND_TABLES[kind]
    if not store.has_table(table):
        return None  # that module is not registered: nothing to check against
    record = await store.table(table).get(key)
    if record is None:
        name = f"{path}.{field}" if path else field
        raise InvalidDataError([FieldError(name, f"no {kind} with id {key!r}")])
    return record


async def clear_references(store: Store, table: str, field: str, key: Any) -> int:
    """Set `field` to None (bumping `updated_at`) on every `table` record pointing at
    `key`; `field` must be indexed. Returns how many records changed."""
    if not store.has_table(table):
        return 0
    target = store.table(table)
    now = format_utc(store.clock())
    records = await target.where(field).equals(key).to_array()
    for record in records:
        await target.put({**record, field: None, "updated_at": now})
    return len(records)


async def clear_setting(store: Store, name: str, value: Any) -> None:
    """Forget setting `name` if it holds `value` (a reference to a deleted record)."""
    if not store.has_table("settings"):
        return
    settings = store.table("settings")
    record = await settings.get(name)
    if record is not None and record.get("value") == value:
        await settings.delete(name)


class TableRepository:
    """A repository bound to one table of the store, with that table's change event."""

    table_name: ClassVar[str]

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def table(self) -> Any:
        return self.store.table(self.table_name)

    @property
    def event(self) -> str:
        """The event emitted after each commit that changed this table."""
        return f"{self.table_name}:changed"

    def on_changed(self, fn: Callable[[list[Change]], Any]) -> Callable[[], None]:
        return self.store.on(self.event, fn)


class Repository(TableRepository, Generic[E]):
    """CRUD over `table` holding `model` records; timestamps maintained here.

    Every method joins a caller's `db.transaction(...)` when one is active (the
    caller's transaction must include the tables the method touches:
    `write_tables`). Change events are emitted by the store after commit.
    """

    model: ClassVar[type[Entity]]
    kind: ClassVar[str]
    #: field -> kind of the record it references (checked on create/update).
    references: ClassVar[tuple[tuple[str, str], ...]] = ()
    #: tables whose records `delete` also removes or rewrites.
    cascade_tables: ClassVar[tuple[str, ...]] = ()
    #: further tables that create/update touch (kept in step by the hooks).
    extra_write_tables: ClassVar[tuple[str, ...]] = ()

    # -- helpers ----------------------------------------------------------------------
    def _reference_tables(self) -> list[str]:
        return [KIND_TABLES[k] for _, k in self.references if self.store.has_table(KIND_TABLES[k])]

    @property
    def write_tables(self) -> tuple[str, ...]:
        extra = (t for t in self.extra_write_tables if self.store.has_table(t))
        return (self.table_name, *self._reference_tables(), *extra)

    @property
    def delete_tables(self) -> tuple[str, ...]:
        return (
            self.table_name,
            *(t for t in self.cascade_tables if self.store.has_table(t)),
        )

    @property
    def tables_used(self) -> tuple[str, ...]:
        """Every table this repository's methods may touch (for a caller's transaction)."""
        return tuple(dict.fromkeys((*self.write_tables, *self.delete_tables)))

    def load(self, record: Mapping[str, Any]) -> E:
        try:
            return validate_model(self.model, record)  # type: ignore[return-value]
        except InvalidDataError as exc:
            raise exc.prefixed(f"{self.table_name}[{record.get('id')!r}]") from None

    def _coerce(self, data: E | Mapping[str, Any]) -> E:
        if isinstance(data, self.model):
            return validate_model(self.model, data.model_dump())  # type: ignore[return-value]
        return validate_model(self.model, data)  # type: ignore[return-value]

    async def _check(self, entity: E) -> None:
        """Validate references and invariants that need the database."""
        for field, kind in self.references:
            await check_reference(self.store, field, kind, getattr(entity, field))

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

    async def list(self) -> list[E]:
        async with translate_db_errors():
            records = await self.table.to_array()
        return [self.load(r) for r in records]

    async def where(self, index: str, value: Any) -> list[E]:
        async with translate_db_errors():
            records = await self.table.where(index).equals(value).to_array()
        return [self.load(r) for r in records]

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
        """Delete the record and whatever it owns (see `cascade_tables`), atomically."""
        async with translate_db_errors(), self.store.transaction("rw", *self.delete_tables):
            current = await self.require(id)
            await self._cascade_delete(current)
            await self.table.delete(id)

    # -- hooks for subclasses -----------------------------------------------------------
    async def _before_create(self, entity: E) -> None:
        return None

    async def _after_create(self, entity: E) -> None:
        return None

    async def _before_update(self, current: E, entity: E) -> None:
        return None

    async def _cascade_delete(self, entity: E) -> None:
        return None
