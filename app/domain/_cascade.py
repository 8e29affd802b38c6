"""Deleting records: every reference's `on_delete`, read from the registry.

Deleting a record deletes the records whose `"cascade"` references point at it (and, in
turn, theirs), clears `"clear"` references, forgets settings that held its id, all in the
caller's transaction. `delete_tables(registry, kind)` names every table that touches.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

from ._ids import format_utc

if TYPE_CHECKING:
    from ._registry import Registry
    from ._store import Store

__all__ = ["delete_cascading", "delete_tables"]


def delete_tables(registry: Registry, kind: str) -> tuple[str, ...]:
    """Every table deleting a record of `kind` may read or write."""
    return _delete_tables(registry, kind)


@cache
def _delete_tables(registry: Registry, kind: str) -> tuple[str, ...]:
    tables: dict[str, None] = {}
    seen: set[str] = set()
    pending = [kind]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        tables[registry.entity(current).table] = None
        for incoming in registry.references_to(current):
            if incoming.ref.on_delete == "keep":
                continue
            tables[incoming.entity.table] = None
            if incoming.ref.on_delete == "cascade":
                pending.append(incoming.entity.kind)
        if current in registry.setting_refs.values() and registry.has_table("settings"):
            tables["settings"] = None
    return tuple(tables)


async def delete_cascading(store: Store, kind: str, keys: Iterable[Any]) -> None:
    """Delete records of `kind` and apply every reference's `on_delete` (inside a
    transaction over `delete_tables(registry, kind)`)."""
    registry = store.registry
    doomed: dict[str, dict[Any, None]] = {}  # kind -> keys, in discovery order
    clears: list[tuple[str, str, str, Any]] = []  # (table, field, index, value)
    pending: list[tuple[str, list[Any]]] = [(kind, [*keys])]
    while pending:
        current, found = pending.pop()
        known = doomed.setdefault(current, {})
        fresh = [k for k in found if k not in known]
        known.update(dict.fromkeys(fresh))
        for incoming in registry.references_to(current):
            ref = incoming.ref
            if ref.on_delete == "keep" or not fresh:
                continue
            table = store.table(incoming.entity.table)
            for key in fresh:
                index, value = ref.index_for(current, key)
                if ref.on_delete == "cascade":
                    children = await table.where(index).equals(value).primary_keys()
                    pending.append((incoming.entity.kind, list(children)))
                else:
                    clears.append((incoming.entity.table, ref.field, index, value))
    now = format_utc(store.clock())
    doomed_by_table = {registry.entity(k).table: keys for k, keys in doomed.items()}
    for table_name, field, index, value in clears:
        table = store.table(table_name)
        gone = doomed_by_table.get(table_name, {})
        key_field = registry.for_table(table_name).key
        for record in await table.where(index).equals(value).to_array():
            if record[key_field] not in gone:
                await table.put({**record, field: None, "updated_at": now})
    for setting, setting_kind in registry.setting_refs.items():
        if setting_kind in doomed and store.has_table("settings"):
            settings = store.table("settings")
            record = await settings.get(setting)
            if record is not None and record.get("value") in doomed[setting_kind]:
                await settings.delete(setting)
    for table in reversed(registry.import_order):  # what points at a record goes first
        gone_keys = doomed_by_table.get(table)
        if gone_keys:
            await store.table(table).bulk_delete([*gone_keys])
