"""`EntityType`: everything the app knows about one kind of record, declared once.

A feature module declares each of its entities as one `EntityType` — kind, table and
schema, model, repository, references, schema history, sync behaviour and where the app
state shows it — and every layer reads that declaration instead of keeping its own map
(reference checks and delete cascades, import/export, the schema versions, sync, state
placement). See `app/domain/README.md`, "How to add an entity".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

if TYPE_CHECKING:
    from ._repository import TableRepository
    from ._store import Store

__all__ = [
    "CONTEXT",
    "EntityType",
    "InStore",
    "Linked",
    "OnDelete",
    "Ref",
    "Shown",
    "StateLevel",
    "Upgrade",
]

Upgrade = Callable[[Any], Awaitable[None]]
"""An upgrade function: `await fn(tx)` inside the version-change transaction."""

OnDelete = Literal["cascade", "clear", "keep"]
StateLevel = Literal["lists", "character", "chat"]


@dataclass(frozen=True, slots=True)
class Ref:
    """`field` of a record points at a record of another kind.

    - `kind`: the kind pointed at; or `by` names a field of the same record whose value
      is the kind (a lorebook entry's `level` says what its `scope_id` is), with `kinds`
      listing the kinds `by` may name (other values mean "no reference");
    - `required`: an import that cannot resolve it is an error (an optional one that
      resolves nowhere is cleared);
    - `on_delete`: what deleting the target does to this record — `"cascade"` deletes
      it (and what it owns, in the same transaction), `"clear"` sets the field to None,
      `"keep"` leaves it as it is;
    - `check`: create and update refuse a value that names no record.
    """

    field: str
    kind: str | None = None
    by: str | None = None
    kinds: tuple[str, ...] = ()
    required: bool = False
    on_delete: OnDelete = "keep"
    check: bool = True

    def __post_init__(self) -> None:
        if (self.kind is None) == (self.by is None):
            raise ValueError(f"reference {self.field!r}: give exactly one of kind= or by=")
        if self.by is not None and not self.kinds:
            raise ValueError(f"reference {self.field!r}: by= needs the kinds it may name")

    @property
    def possible_kinds(self) -> tuple[str, ...]:
        return (self.kind,) if self.kind is not None else self.kinds

    def target_kind(self, record: Mapping[str, Any]) -> str | None:
        """The kind this record's reference points at (None: it points nowhere)."""
        if self.kind is not None:
            return self.kind
        assert self.by is not None
        named = record.get(self.by)
        return named if named in self.kinds else None

    def index_for(self, kind: str, key: Any) -> tuple[str, Any]:
        """The index (and the value to look up) that finds records pointing at `key`."""
        if self.by is None:
            return self.field, key
        return f"[{self.by}+{self.field}]", [kind, key]


class _Context:
    """The id of the record the level shows (the active character, the active chat)."""

    def __repr__(self) -> str:
        return "CONTEXT"


CONTEXT: Any = _Context()


@dataclass(frozen=True, slots=True)
class InStore:
    """Matches when the field holds the id of a record shown in store `store`."""

    store: str


@dataclass(frozen=True, slots=True)
class Linked:
    """Membership decided by link records: the records whose id is the `key` field of
    the records of kind `kind` matching `where` (constants and `CONTEXT`). Links decide,
    so an update replaces a shown record in place and changes to links reload the level."""

    kind: str
    key: str
    where: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Shown:
    """A store of the app state that shows records of this entity.

    - `store`: the store's name (`state.views.<store>`); `level`: where it lives
      (`"lists"`, `"character"` or `"chat"`; leaving a level empties its stores);
    - `where`: field → wanted value: a constant, `CONTEXT` (the id the level shows) or
      `InStore(name)` (the id of any record shown in that store);
    - `single`: the store holds the one record whose id is the level's context;
    - `linked`: membership through link records (see `Linked`);
    - `order`: a sort key for loaded lists (`descending` reverses it);
    - `latest`: `(index, n)` — opening the level shows the last `n` records of the
      compound `index` (whose first part is the one `where` field) at once, and the rest
      when they are read (a chat of 10,000 messages opens on its newest ones).
    """

    store: str
    level: StateLevel
    where: Mapping[str, Any] = field(default_factory=dict)
    single: bool = False
    linked: Linked | None = None
    order: Callable[[Any], Any] | None = None
    descending: bool = False
    latest: tuple[str, int] | None = None


@dataclass(frozen=True)
class EntityType:
    """One kind of record, declared once by its feature module.

    - `kind`: identifier (`"character"`); `label`: how messages name one ("character");
    - `table`, `schema`: the table and its Dexie index spec (first entry = primary key);
      `key`: the primary key field;
    - `model`: the pydantic model of a record; `repository`: its repository class
      (`Repository` when the entity needs no behaviour of its own);
    - `references`: the fields that point at other records (see `Ref`);
    - `since`: the schema version the table appeared in; `history`: version → the
      table's index spec *before* that version (the version that changed it), so the
      schema of every earlier version can be rebuilt; `migrations`: version → upgrade
      function, run when a database older than that version is opened;
    - `syncs`: whether the table goes to a sync server; `device_only`: fields that never
      leave the device (not synced, not exported unless the user asks for secrets);
    - `section`: the import section that selects it (default: the table);
    - `shown`: where the app state shows these records.
    """

    kind: str
    table: str
    schema: str
    model: type[BaseModel]
    repository: Callable[[Store, EntityType], TableRepository] | None = None
    label: str = ""
    key: str = "id"
    references: tuple[Ref, ...] = ()
    since: int = 1
    history: Mapping[int, str] = field(default_factory=dict)
    migrations: Mapping[int, Upgrade] = field(default_factory=dict)
    syncs: bool = True
    device_only: frozenset[str] = frozenset()
    section: str = ""
    shown: tuple[Shown, ...] = ()

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.kind.replace("_", " "))
        if not self.section:
            object.__setattr__(self, "section", self.table)
        unknown = self.device_only - set(self.model.model_fields)
        if unknown:
            raise ValueError(f"{self.kind}: device_only names unknown fields {sorted(unknown)}")
        for ref in self.references:
            if ref.field not in self.model.model_fields:
                raise ValueError(f"{self.kind}: reference to unknown field {ref.field!r}")

    def schema_at(self, version: int) -> str | None:
        """The table's index spec at schema `version` (None: the table did not exist)."""
        if version < self.since:
            return None
        later = [v for v in self.history if v > version]
        return self.history[min(later)] if later else self.schema

    def ref(self, field_name: str) -> Ref | None:
        return next((r for r in self.references if r.field == field_name), None)

    @property
    def exportable_without_secrets(self) -> bool:
        """Whether a record still validates with its device-only fields left out."""
        fields = self.model.model_fields
        return not any(fields[name].is_required() for name in self.device_only)
