"""Export file formats: the envelope every file starts with, import options and report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import Field

from ._entity import Model
from ._registry import Registry

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ConflictPolicy",
    "Envelope",
    "ExportType",
    "ImportOptions",
    "ImportReport",
]

FORMAT = "lorekeeper"
FORMAT_VERSION = 1

ExportType = Literal["full", "chat", "folder", "story", "series", "global-lorebook"]
ConflictPolicy = Literal["skip", "overwrite", "copy"]


class Envelope(Model):
    """The head every export file starts with."""

    model_config = Model.model_config | {"extra": "allow"}

    format: Literal["lorekeeper"]
    type: ExportType
    version: int = Field(ge=1, le=FORMAT_VERSION)
    exported_at: str | None = None


@dataclass(frozen=True)
class ImportOptions:
    """Which sections of a file to import and what to do about ids that already exist:
    skip them, overwrite them, or import copies with new ids.

    Sections are the registry's (`"characters"`, `"chats"` — chats with their messages —,
    `"stories"`, `"lorebooks"`, `"settings"`, ...); `sections=None` imports all of them.
    """

    on_conflict: ConflictPolicy = "skip"
    sections: frozenset[str] | None = None

    @classmethod
    def only(cls, *sections: str, on_conflict: ConflictPolicy = "skip") -> ImportOptions:
        """Options with just the named sections switched on."""
        return cls(on_conflict=on_conflict, sections=frozenset(sections))

    def tables(self, registry: Registry) -> set[str]:
        """The tables these options import; `ValueError` names unknown sections."""
        known = registry.sections
        wanted = set(known) if self.sections is None else set(self.sections)
        unknown = wanted - set(known)
        if unknown:
            raise ValueError(f"unknown import sections: {sorted(unknown)}")
        return {table for name in wanted for table in known[name]}


@dataclass
class ImportReport:
    """What an import did, per table."""

    written: dict[str, int] = field(default_factory=dict)
    skipped_existing: dict[str, int] = field(default_factory=dict)
    skipped_unselected: dict[str, int] = field(default_factory=dict)
    copied: dict[str, int] = field(default_factory=dict)
    #: old id -> new id, for records imported as copies
    id_map: dict[str, str] = field(default_factory=dict)
    #: optional references cleared because their target is nowhere (path: message)
    orphaned: list[str] = field(default_factory=list)
    #: the records written, per table, as stored (a state shows them without reading
    #: them back)
    records: dict[str, list[dict[str, Any]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    #: beside each of those records, the validated entity it is the record of, where
    #: the file's reader had it (else None: load the record)
    entities: dict[str, list[Any]] = field(default_factory=dict, compare=False, repr=False)

    def count(self, bucket: dict[str, int], table: str) -> None:
        bucket[table] = bucket.get(table, 0) + 1
