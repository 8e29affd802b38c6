"""Database-wide invariants of the domain, checked on raw records."""

from __future__ import annotations

from typing import Any


async def integrity_problems(domain: Any) -> list[str]:
    """Every reference resolves, chat summaries match messages, at most one preset
    is active (exactly one when any exist)."""
    store, registry = domain.store, domain.registry
    tables = {t: await store.table(t).to_array() for t in registry.import_order}
    ids = {t: {r[registry.for_table(t).key] for r in rows} for t, rows in tables.items()}
    problems: list[str] = []
    for table, rows in tables.items():
        for row in rows:
            for ref in registry.references_of(table, row):
                target = row.get(ref.field)
                if target is not None and target not in ids.get(ref.table, set()):
                    problems.append(f"{table}[{row['id']}].{ref.field} -> missing {target}")
    for chat in tables.get("chats", []):
        messages = [m for m in tables["messages"] if m["chat_id"] == chat["id"]]
        last = max(messages, key=lambda m: (m["created_at"], m["id"]), default=None)
        if (chat.get("message_count") or 0) != len(messages):
            problems.append(f"chats[{chat['id']}].message_count")
        if chat.get("last_message_id") != (last["id"] if last else None):
            problems.append(f"chats[{chat['id']}].last_message_id")
    active = [p for p in tables.get("prompt_presets", []) if p.get("is_active")]
    if tables.get("prompt_presets") and len(active) != 1:
        problems.append(f"{len(active)} active presets")
    return problems
