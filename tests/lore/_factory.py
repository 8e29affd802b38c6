"""Builds lorebook entries for the lore tests: the real domain model, `app.domain.LorebookEntry`."""

from __future__ import annotations

from itertools import count
from typing import Any

from app.domain import LorebookEntry

_ids = count(1)


def entry(*keys: str, **fields: Any) -> LorebookEntry:
    """An entry with primary `keys`; `id` defaults to the first key (or a counter)."""
    fields.setdefault("keys", list(keys))
    fields.setdefault("level", "global")
    fields.setdefault("id", keys[0] if keys else f"entry-{next(_ids)}")
    fields.setdefault("name", fields["id"])
    fields.setdefault("content", f"About {fields['id']}.")
    if fields.get("level", "global") != "global":
        fields.setdefault("scope_id", f"{fields['level']}-1")
    return LorebookEntry(**fields)
