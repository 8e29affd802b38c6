"""Planning an import: decide every record's fate and resolve references, before writing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._formats import ImportOptions, ImportReport
from ._ids import new_id
from ._parse import ErrorCollector, Item, ParsedFile
from ._store import Store

__all__ = ["WRITE_CHUNK", "ImportPlan", "existing_keys", "plan_import", "write_import"]


@dataclass
class ImportPlan:
    """What an import will write, table by table, and the report it will give."""

    report: ImportReport
    #: per table, beside each record: whether it is new (its key is in neither the
    #: database nor elsewhere in the file), so it is added — nothing to read first
    new: dict[str, list[bool]] = field(default_factory=dict)

    @property
    def writes(self) -> dict[str, list[dict[str, Any]]]:
        """The records to write, per table (the report's ``records``)."""
        return self.report.records

    @property
    def total(self) -> int:
        """How many records the plan writes."""
        return sum(len(records) for records in self.writes.values())


async def _exists(store: Store, table: str, key: Any, cache: dict[tuple[str, Any], bool]) -> bool:
    if (table, key) not in cache:
        cache[(table, key)] = (
            store.has_table(table) and (await store.table(table).get(key)) is not None
        )
    return cache[(table, key)]


#: A table with at most this many records per key asked about is read key by key no
#: more: its primary keys come in one request and are looked up here.
_KEYS_READ_PER_ASKED = 4


async def existing_keys(store: Store, table: str, keys: list[Any]) -> set[Any]:
    """Which of ``keys`` the table holds (call inside a transaction over it).

    Reads no record: a table not much larger than the question gives all its primary
    keys in one request (an import into an empty or small library); a larger one is
    asked about each key."""
    if not keys or not store.has_table(table):
        return set()
    t = store.table(table)
    if all(isinstance(k, (str, int, float)) for k in keys):
        if await t.count() <= _KEYS_READ_PER_ASKED * len(keys):
            asked = set(keys)
            return {k for k in await t.to_collection().primary_keys() if k in asked}
    found = await t.bulk_get(keys)
    return {k for k, record in zip(keys, found, strict=True) if record is not None}


async def _prefetch_existing(
    store: Store, by_table: dict[str, list[Item]], cache: dict[tuple[str, Any], bool]
) -> None:
    """Which of the file's ids already exist, table by table (`existing_keys`)."""
    for table, items in by_table.items():
        if not store.has_table(table):
            continue
        keys = [item.record[store.registry.for_table(table).key] for item in items]
        there = await existing_keys(store, table, keys)
        for key in keys:
            cache[(table, key)] = key in there


async def plan_import(store: Store, parsed: ParsedFile, options: ImportOptions) -> ImportPlan:
    """Decide every record's fate, then resolve references; raise before any write.

    Pass 1 decides, for each record, skip (unselected or existing with "skip"),
    write, or copy (existing with "copy": a new id). Pass 2, in reference order,
    rewrites references to copied records, drops records whose required parent is
    not imported, clears optional references that resolve nowhere, and collects an
    error for each required reference that resolves nowhere.
    """
    registry = store.registry
    report = ImportReport()
    chosen = options.tables(registry)
    out = ErrorCollector()
    exists_cache: dict[tuple[str, Any], bool] = {}
    id_map: dict[tuple[str, str], str] = {}
    #: original ids (per table) present after the import: written, copied or kept.
    available: set[tuple[str, str]] = set()
    #: original ids in the file that will not be present (unselected or cascaded).
    dropped: set[tuple[str, str]] = set()

    by_table: dict[str, list[Item]] = {}
    for item in parsed.items:
        by_table.setdefault(item.table, []).append(item)
    await _prefetch_existing(store, by_table, exists_cache)

    #: (item, its record as the file has it, what planning changes in it)
    pending: list[tuple[Item, dict[str, Any], dict[str, Any]]] = []
    for table in registry.import_order:
        key_field = registry.for_table(table).key
        for item in by_table.get(table, []):
            original = str(item.record[key_field])
            if table not in chosen or not store.has_table(table):
                report.count(report.skipped_unselected, table)
                dropped.add((table, original))
                continue
            exists = exists_cache.get((table, original), False)
            policy = "skip" if item.reference_only else options.on_conflict
            if exists and table == "settings" and policy == "copy":
                policy = "overwrite"  # a setting cannot be duplicated
            available.add((table, original))
            if exists and policy == "skip":
                report.count(report.skipped_existing, table)
                continue
            changed: dict[str, Any] = {}
            if exists and policy == "copy":
                fresh = new_id()
                id_map[(table, original)] = fresh
                report.id_map[original] = fresh
                changed["id"] = fresh
                report.count(report.copied, table)
            pending.append((item, item.record, changed))

    writes: dict[str, list[dict[str, Any]]] = {}
    entities: dict[str, list[Any]] = {}
    for item, record, changed in pending:
        table = item.table
        original = str(item.record[registry.for_table(table).key])
        keep = True
        for ref in registry.references_of(table, record):
            target = record.get(ref.field)
            if target is None:
                continue
            key = (ref.table, target)
            if key in available:
                if id_map.get(key, target) != target:
                    changed[ref.field] = id_map[key]
                continue
            if await _exists(store, ref.table, target, exists_cache):
                continue  # not imported (or unselected), but the database has it
            if ref.required and key in dropped:
                keep = False
                break
            if ref.required:
                out.add(
                    f"{item.path}.{ref.field}",
                    f"no {ref.table} record with id {target!r} in the file or the database",
                )
            else:
                changed[ref.field] = None
                report.orphaned.append(f"{item.path}.{ref.field}: {target!r} not found, cleared")
        if not keep:
            report.count(report.skipped_unselected, table)
            available.discard((table, original))
            dropped.add((table, original))
            continue
        # the file's record itself when nothing changed (nobody writes into it)
        writes.setdefault(table, []).append({**record, **changed} if changed else record)
        entity = item.entity
        if entity is not None and changed:
            entity = entity.model_copy(update=changed)
        entities.setdefault(table, []).append(entity)
        report.count(report.written, table)
    out.raise_if_any()
    report.records, report.entities = writes, entities
    new: dict[str, list[bool]] = {}
    for table, records in writes.items():
        key_field = registry.for_table(table).key
        keys = [record[key_field] for record in records]
        times = Counter(keys)
        new[table] = [times[k] == 1 and not exists_cache.get((table, k), False) for k in keys]
    return ImportPlan(report, new)


#: Records per write when an import reports its progress.
WRITE_CHUNK = 500


async def write_import(
    store: Store, plan: ImportPlan, *, on_write: Callable[[int, int], None] | None = None
) -> None:
    """Write the plan (inside a transaction over every table), then let each feature
    bring what it keeps in step up to date (its `after_import`).

    With `on_write`, records go in chunks of `WRITE_CHUNK` and `on_write(done, total)`
    is called after each one (synchronously, inside the transaction: an exception it
    raises aborts the import, leaving the data as it was)."""
    total = plan.total
    done = 0
    for table in store.registry.import_order:
        records = plan.writes.get(table)
        if not records:
            continue
        new = plan.new.get(table) or [False] * len(records)
        step = WRITE_CHUNK if on_write is not None else len(records)
        for start in range(0, len(records), step):
            chunk = list(zip(records[start : start + step], new[start : start + step], strict=True))
            added = [record for record, is_new in chunk if is_new]
            if added:
                await store.table(table).bulk_add(added)
            if len(added) < len(chunk):
                await store.table(table).bulk_put([record for record, is_new in chunk if not is_new])
            done += len(chunk)
            if on_write is not None:
                on_write(done, total)
    for feature in store.registry.features:
        if feature.after_import is not None:
            await feature.after_import(store, plan.writes)
