"""What the lorebook screen shows: search, filters and sort over the entries a scope sees.

Pure functions over entries, so the screen's logic is tested in CPython and stays fast
with 5,000 entries: each entry's searchable text (title, keys, secondary keys, content,
category, tags, level — folded as ``app.ui.matches`` folds) is computed once per version
of the entry and kept, so a search keystroke is one substring test per word and entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ._search import fold

__all__ = [
    "SORTS",
    "LoreQuery",
    "Shown",
    "entry_name",
    "filter_entries",
    "search_text",
    "sort_entries",
    "sorted_rows",
]

SORTS: dict[str, str] = {
    "order": "Insertion order",
    "title": "Title",
    "key": "First key",
    "category": "Category",
    "updated": "Last changed",
}
"""Sort keys and how the "Sort by" menu names them."""

PAGE = 25
"""Rows shown per section before "Show more"."""


def entry_name(entry: Any) -> str:
    """How lists name an entry: its title, else its first key, else "Untitled entry"."""
    name = (entry.name or "").strip()
    if name:
        return str(name)
    keys = [k for k in entry.keys or () if str(k).strip()]
    return str(keys[0]).strip() if keys else "Untitled entry"


_cache: dict[str, tuple[Any, str]] = {}


def search_text(entry: Any) -> str:
    """The entry's folded searchable text (remembered per id and ``updated_at``)."""
    stamp = (entry.updated_at, entry.level, entry.scope_id)
    got = _cache.get(entry.id)
    if got is not None and got[0] == stamp:
        return got[1]
    parts = [
        entry.name or "",
        " ".join(entry.keys or ()),
        " ".join(entry.secondary_keys or ()),
        entry.category or "",
        " ".join(entry.tags or ()),
        entry.level,
        entry.content or "",
    ]
    text = fold("\n".join(parts))
    if len(_cache) > 50_000:
        _cache.clear()
    _cache[entry.id] = (stamp, text)
    return text


@dataclass(frozen=True, slots=True)
class LoreQuery:
    """The screen's search box, filters and sort."""

    text: str = ""
    level: str = ""
    category: str = ""
    tag: str = ""
    sort: str = "order"

    def with_(self, **changes: str) -> LoreQuery:
        return replace(self, **changes)

    @property
    def narrowing(self) -> bool:
        return bool(self.text.strip() or self.level or self.category or self.tag)


def filter_entries(entries: Iterable[Any], query: LoreQuery) -> list[Any]:
    """Entries matching every word of the search (in title, keys, content, category,
    tags or level) and each filter, in the order given."""
    words = fold(query.text).split()
    tag = fold(query.tag) if query.tag else ""
    category = fold(query.category) if query.category else ""
    if not (words or tag or category or query.level):
        return list(entries)
    out = []
    for entry in entries:
        if query.level and entry.level != query.level:
            continue
        if category and fold(entry.category or "") != category:
            continue
        if tag and all(fold(t) != tag for t in entry.tags or ()):
            continue
        if words:
            hay = search_text(entry)
            if len(words) == 1:
                if words[0] not in hay:
                    continue
            elif not all(w in hay for w in words):
                continue
        out.append(entry)
    return out


def _first_key(entry: Any) -> str:
    keys = [k for k in entry.keys or () if str(k).strip()]
    return fold(str(keys[0])) if keys else "\U0010ffff"


_SORT_KEYS: dict[str, Any] = {
    "order": lambda e: (e.insertion_order, e.created_at, e.id),
    "title": lambda e: (fold(entry_name(e)), e.id),
    "key": lambda e: (_first_key(e), e.id),
    "category": lambda e: (fold(e.category or "\U0010ffff"), fold(entry_name(e)), e.id),
}


def sort_entries(entries: Sequence[Any], sort: str) -> list[Any]:
    if sort == "updated":
        return sorted(entries, key=lambda e: (e.updated_at, e.id), reverse=True)
    return sorted(entries, key=_SORT_KEYS.get(sort, _SORT_KEYS["order"]))


@dataclass(frozen=True, slots=True)
class Shown:
    """One section's rows: the entries shown (the first ``limit``), how many match."""

    entries: tuple[Any, ...]
    matching: int
    total: int


def section_rows(entries: Sequence[Any], query: LoreQuery, limit: int) -> Shown:
    return sorted_rows(sort_entries(entries, query.sort), query, limit)


def sorted_rows(ordered: Sequence[Any], query: LoreQuery, limit: int) -> Shown:
    """`section_rows` of entries already in ``query.sort``'s order (a screen sorts once
    per change of the entries or of the sort, not on every search keystroke)."""
    chosen = filter_entries(ordered, query)
    return Shown(tuple(chosen[:limit]), len(chosen), len(ordered))


def facets(groups: Mapping[Any, Sequence[Any]]) -> tuple[list[str], list[str]]:
    """The categories and tags in use (for the filter menus), sorted."""
    categories: dict[str, str] = {}
    tags: dict[str, str] = {}
    for entries in groups.values():
        for e in entries:
            if e.category:
                categories.setdefault(fold(e.category), e.category)
            for t in e.tags or ():
                if t.strip():
                    tags.setdefault(fold(t), t)
    return (
        [categories[k] for k in sorted(categories)],
        [tags[k] for k in sorted(tags)],
    )
