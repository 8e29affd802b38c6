"""Per-layer index cache, keyed by layer and by the content the index depends on."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from ._index import LayerIndex, first_run_tables

__all__ = ["LayerCache", "LayerKey", "index_fingerprint"]

LayerKey = tuple[str, str | None]


def index_fingerprint(entries: Sequence[Any]) -> str:
    """Hash of everything a `LayerIndex` depends on (not content, names or order fields)."""
    h = hashlib.blake2b(digest_size=16)
    for e in entries:
        h.update(
            repr(
                (
                    e.id,
                    list(e.keys or ()),
                    list(e.secondary_keys or ()),
                    e.case_sensitive,
                    e.match_whole_words,
                    bool(e.constant),
                    e.scan_depth,
                )
            ).encode("utf-8", "surrogatepass")
        )
    return h.hexdigest()


class _Slot:
    __slots__ = ("fingerprint", "ids", "index")

    def __init__(self, fingerprint: str, ids: tuple[str, ...], index: LayerIndex) -> None:
        self.fingerprint = fingerprint
        self.ids = ids
        self.index = index


class LayerCache:
    """Keeps one `LayerIndex` per scope layer.

    Wire the app's change events to `invalidate(level, scope_id)`. A layer that was not
    invalidated is reused as long as it still holds the same entry ids in the same order;
    an invalidated layer is re-hashed and rebuilt only if its keys or match flags changed
    (editing an entry's content or name never rebuilds the index).
    """

    def __init__(self) -> None:
        self._slots: dict[tuple[LayerKey, bool, bool], _Slot] = {}
        self._dirty: set[LayerKey] = set()
        self._unions: dict[
            tuple[int, ...], tuple[list[LayerIndex], dict[bool, frozenset[str]]]
        ] = {}
        self.builds = 0

    def invalidate(self, level: str | None = None, scope_id: str | None = None) -> None:
        """Mark one layer as changed; with no level, every layer."""
        if level is None:
            self._dirty.update(k[0] for k in self._slots)
        else:
            self._dirty.add((level, scope_id))

    def clear(self) -> None:
        """Drop every cached index."""
        self._slots.clear()
        self._dirty.clear()
        self._unions.clear()

    def first_run_tables(self, indexes: list[LayerIndex]) -> dict[bool, frozenset[str]]:
        """`first_run_tables(indexes)`, remembered for this combination of layer indexes."""
        key = tuple(id(i) for i in indexes)
        got = self._unions.get(key)
        if got is None:
            if len(self._unions) >= 8:
                self._unions.pop(next(iter(self._unions)))
            got = self._unions[key] = (list(indexes), first_run_tables(indexes))
        return got[1]

    def index_for(
        self, layer: LayerKey, entries: Sequence[Any], *, case_sensitive: bool, whole_words: bool
    ) -> LayerIndex:
        """The index for `entries` of `layer`, built only when needed."""
        key = (layer, case_sensitive, whole_words)
        slot = self._slots.get(key)
        ids = tuple(e.id for e in entries)
        if slot is not None and layer not in self._dirty and slot.ids == ids:
            return slot.index
        fingerprint = index_fingerprint(entries)
        if slot is None or slot.fingerprint != fingerprint:
            if slot is not None:
                stale = slot.index
                self._unions = {
                    k: v for k, v in self._unions.items() if all(i is not stale for i in v[0])
                }
            index = LayerIndex(entries, case_sensitive=case_sensitive, whole_words=whole_words)
            self.builds += 1
            slot = _Slot(fingerprint, ids, index)
            self._slots[key] = slot
        else:
            slot.ids = ids
        if all(k[0] != layer or self._slots[k] is slot for k in self._slots):
            self._dirty.discard(layer)
        return slot.index
