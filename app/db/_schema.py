"""Dexie schema syntax: ``"++id, name, &email, *tags, [a+b], addr.city"``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import SchemaError

_NAME = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")


@dataclass(frozen=True, slots=True)
class IndexSpec:
    """One index (or the primary key). ``key_path`` is None for outbound keys."""

    name: str
    key_path: str | list[str] | None
    unique: bool = False
    multi: bool = False
    auto: bool = False

    @property
    def src(self) -> str:
        if self.auto:
            return "++" + self.name
        return ("&" if self.unique else "") + ("*" if self.multi else "") + self.name

    def same_as(self, other: IndexSpec) -> bool:
        return (self.key_path, self.unique, self.multi, self.auto) == (
            other.key_path,
            other.unique,
            other.multi,
            other.auto,
        )


@dataclass(slots=True)
class TableSchema:
    name: str
    primary_key: IndexSpec
    indexes: dict[str, IndexSpec] = field(default_factory=dict)

    @property
    def inbound(self) -> bool:
        return self.primary_key.key_path is not None

    def get_index(self, name: str) -> IndexSpec | None:
        """Index by name; ``""`` or the primary key's name gives the primary key."""
        if name == "" or (name == self.primary_key.name and self.primary_key.key_path is not None):
            return self.primary_key
        return self.indexes.get(_canonical(name))

    def index_for_keypath(self, key_path: str | list[str]) -> IndexSpec | None:
        for spec in [self.primary_key, *self.indexes.values()]:
            if spec.key_path == key_path:
                return spec
        return None


DBSchema = dict[str, TableSchema]


def _canonical(name: str) -> str:
    name = name.strip()
    if name.startswith("[") and name.endswith("]"):
        parts = [p.strip() for p in name[1:-1].split("+")]
        return "[" + "+".join(parts) + "]"
    return name


def parse_index(src: str, table: str, primary: bool) -> IndexSpec:
    s = src.strip()
    unique = multi = auto = False
    while True:  # "&", "*" and "++" in front of a name, in any order (as Dexie reads them)
        if s.startswith("++"):
            auto, s = True, s[2:]
        elif s.startswith("&"):
            unique, s = True, s[1:]
        elif s.startswith("*"):
            multi, s = True, s[1:]
        else:
            break
    s = s.strip()
    if auto and not primary:
        raise SchemaError(f"table {table!r}: '++' is only allowed on the primary key ({src!r})")
    if multi and primary:
        raise SchemaError(f"table {table!r}: the primary key cannot be multi-entry ({src!r})")
    if s == "":
        if not primary:
            raise SchemaError(f"table {table!r}: empty index name")
        return IndexSpec("", None, unique=True, auto=auto)
    if s.startswith("["):
        if not s.endswith("]"):
            raise SchemaError(f"table {table!r}: bad compound index {src!r}")
        parts = [p.strip() for p in s[1:-1].split("+")]
        if len(parts) < 2 or not all(_NAME.match(p) for p in parts):
            raise SchemaError(f"table {table!r}: bad compound index {src!r}")
        if multi:
            raise SchemaError(f"table {table!r}: a compound index cannot be multi-entry")
        if auto:
            raise SchemaError(f"table {table!r}: a compound key cannot auto-increment")
        return IndexSpec("[" + "+".join(parts) + "]", parts, unique=unique or primary)
    if not _NAME.match(s):
        raise SchemaError(f"table {table!r}: bad index name {src!r}")
    return IndexSpec(s, s, unique=unique or primary, multi=multi, auto=auto)


def parse_table(name: str, spec: str) -> TableSchema:
    """Parse one table's schema string."""
    if not isinstance(spec, str):
        raise SchemaError(f"table {name!r}: schema must be a string, got {spec!r}")
    if not name or not re.match(r"^[A-Za-z_$][\w$]*$", name):
        raise SchemaError(f"invalid table name {name!r}")
    parts = spec.split(",")
    # split on commas outside brackets (compound names contain '+', not commas)
    pk = parse_index(parts[0], name, primary=True)
    indexes: dict[str, IndexSpec] = {}
    for raw in parts[1:]:
        if not raw.strip():
            continue
        idx = parse_index(raw, name, primary=False)
        if idx.name in indexes or idx.name == pk.name:
            raise SchemaError(f"table {name!r}: index {idx.name!r} declared twice")
        indexes[idx.name] = idx
    return TableSchema(name, pk, indexes)


def parse_stores(stores: dict[str, str | None]) -> dict[str, TableSchema | None]:
    """Parse a ``stores({...})`` argument; ``None`` deletes a table."""
    out: dict[str, TableSchema | None] = {}
    for name, spec in stores.items():
        out[name] = None if spec is None else parse_table(name, spec)
    return out


def unfit_for(declared: DBSchema, installed: DBSchema) -> str | None:
    """Why ``declared`` cannot be served from a database whose stores are ``installed``
    (a newer version's), or None when it can: every declared table is there with the
    same primary key, and every declared index with the same definition."""
    for name, table in declared.items():
        there = installed.get(name)
        if there is None:
            return f"table {name!r} is gone"
        old_pk, new_pk = table.primary_key, there.primary_key
        if old_pk.key_path != new_pk.key_path or old_pk.auto != new_pk.auto:
            return f"table {name!r} has another primary key"
        for index_name, spec in table.indexes.items():
            other = there.indexes.get(index_name)
            if other is None or not other.same_as(spec):
                return f"index {index_name!r} of table {name!r} is gone or changed"
    return None
