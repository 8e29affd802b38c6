"""A synced record as fields with clocks: what changed in a write, the merge of a pulled
change into the local copy, and the compact per-record clock row (``sync_meta``).

The clock row of a record is ``{"table", "id", "base": hlc, "f": {field: hlc}}``: every
field the record holds has the HLC ``f[field]`` if listed, else ``base`` (most records are
written whole, so they need one HLC, not one per field). A field listed in ``f`` that the
record does not hold was removed (it syncs as ``null``). A deleted record's row also
holds ``"deleted": true`` and its last ``"values"``, so a later undelete (or an edit that
arrives after the delete) merges exactly like on the server.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["DELETED", "Clocks", "LocalRecord", "diff_fields", "same_value", "synced_fields"]

#: The tombstone field: ``true`` deletes a record, a later ``false`` undeletes it.
DELETED = "_deleted"


def same_value(a: Any, b: Any) -> bool:
    """JSON equality (``1`` and ``True`` differ, as they do on the wire)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def synced_fields(record: dict[str, Any], key_path: str, local: frozenset[str]) -> dict[str, Any]:
    """The fields of ``record`` that sync (not its key, not the device-only ones)."""
    return {k: v for k, v in record.items() if k != key_path and k not in local}


def diff_fields(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """What a write changed: new or different fields, and removed ones as ``None``."""
    if old is None:
        return dict(new)
    changed = {k: v for k, v in new.items() if k not in old or not same_value(old[k], v)}
    for k in old:
        if k not in new:
            changed[k] = None
    return changed


class Clocks:
    """The clock row of one record (see the module docstring), edited in place."""

    __slots__ = ("row",)

    def __init__(self, row: dict[str, Any]) -> None:
        self.row = row

    @classmethod
    def new(cls, table: str, rid: str, base: str | None) -> Clocks:
        return cls({"table": table, "id": rid, "base": base, "f": {}})

    @property
    def deleted(self) -> bool:
        return bool(self.row.get("deleted"))

    def hlc(self, name: str, present: bool) -> str | None:
        """The HLC of field ``name`` (``present``: the record holds that field)."""
        own = self.row["f"].get(name)
        if own is not None:
            return str(own)
        base = self.row.get("base")
        return str(base) if present and base is not None and name != DELETED else None

    def stamp(self, fields: Iterable[str], hlc: str) -> None:
        """Fields written locally at ``hlc``."""
        overrides: dict[str, str] = self.row["f"]
        for name in fields:
            overrides[name] = hlc

    def set(self, name: str, hlc: str) -> None:
        self.row["f"][name] = hlc

    def normalize(self, present: Iterable[str]) -> None:
        """Make the most common HLC of the fields the record holds its ``base`` and list
        only the others (a record pulled whole needs one HLC, not one per field)."""
        names = list(present)
        clocks = {name: self.hlc(name, True) for name in names}
        counts: dict[str, int] = {}
        for hlc in clocks.values():
            if hlc is not None:
                counts[hlc] = counts.get(hlc, 0) + 1
        if not counts:
            return
        base = max(counts, key=lambda h: (counts[h], h))
        held = set(names)
        overrides = {n: h for n, h in self.row["f"].items() if n not in held}
        overrides.update({n: h for n, h in clocks.items() if h is not None and h != base})
        self.row["base"] = base
        self.row["f"] = overrides


@dataclass(slots=True)
class LocalRecord:
    """A record as the merge sees it: its synced values (live or from its tombstone),
    whether it is deleted, and its clocks."""

    values: dict[str, Any]
    deleted: bool
    clocks: Clocks

    def fields_with_clocks(self) -> dict[str, list[Any]]:
        """Every field as ``[value, hlc]`` (what a snapshot pushes for this record)."""
        out: dict[str, list[Any]] = {}
        for name, value in self.values.items():
            hlc = self.clocks.hlc(name, True)
            if hlc is not None:
                out[name] = [value, hlc]
        for name, hlc in self.clocks.row["f"].items():
            if name not in out and name != DELETED:
                out[name] = [None, hlc]
        deleted = self.clocks.row["f"].get(DELETED)
        if deleted is not None:
            out[DELETED] = [self.deleted, deleted]
        return out

    def merge(self, incoming: Mapping[str, tuple[Any, str] | list[Any]]) -> bool:
        """Apply a pulled change by the merge rule; True if anything changed."""
        changed = False
        for name, (value, hlc) in incoming.items():
            mine = self.clocks.hlc(name, name in self.values)
            if mine is not None and hlc <= mine:
                continue
            changed = True
            self.clocks.set(name, hlc)
            if name == DELETED:
                self.deleted = value is True
            else:
                self.values[name] = value
        return changed
