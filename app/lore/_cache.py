"""Per-layer index cache, keyed by layer and by the content the index depends on."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any

from ._entry import IndexFacts, index_facts

if TYPE_CHECKING:  # the index (and its regex and Unicode tables) loads at the first build
    from ._index import LayerIndex
    from ._keys import JsCheck

__all__ = ["LayerCache", "LayerKey", "index_fingerprint"]

LayerKey = tuple[str, str | None]


def index_fingerprint(entries: Sequence[Any]) -> list[IndexFacts]:
    """Everything a `LayerIndex` depends on (not content, names or order fields), as the
    index keeps it (`LayerIndex.fingerprint`)."""
    return [index_facts(e) for e in entries]


class _Slot:
    """One cached index, with the entries it was last checked against: their ids, and the
    objects themselves (held, so their `id()`s stay theirs) for a fast identity check."""

    __slots__ = ("fingerprint", "ids", "index", "object_ids", "objects")

    def __init__(
        self,
        fingerprint: list[IndexFacts],
        ids: tuple[str, ...],
        objects: tuple[Any, ...],
        index: LayerIndex,
    ) -> None:
        self.fingerprint = fingerprint
        self.ids = ids
        self.index = index
        self.objects = objects
        self.object_ids = tuple(map(id, objects))

    def hold(self, objects: tuple[Any, ...], ids: tuple[str, ...]) -> None:
        self.objects = objects
        self.object_ids = tuple(map(id, objects))
        self.ids = ids


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
        #: (id()s of the last entries grouped, their layers, the entries held)
        self._grouping: tuple[tuple[int, ...], dict[LayerKey, list[Any]], list[Any]] | None = None

    def grouping(
        self, entries: list[Any]
    ) -> tuple[tuple[int, ...], dict[LayerKey, list[Any]] | None]:
        """(the entries' identity, their layers when the very same entry objects were
        grouped last time and nothing was invalidated since)."""
        object_ids = tuple(map(id, entries))
        memo = self._grouping
        if memo is not None and memo[0] == object_ids:
            return object_ids, memo[1]
        return object_ids, None

    def remember_grouping(
        self, object_ids: tuple[int, ...], entries: list[Any], grouped: dict[LayerKey, list[Any]]
    ) -> None:
        self._grouping = (object_ids, grouped, entries)

    def invalidate(self, level: str | None = None, scope_id: str | None = None) -> None:
        """Mark one layer as changed; with no level, every layer."""
        self._grouping = None
        if level is None:
            self._dirty.update(k[0] for k in self._slots)
        else:
            self._dirty.add((level, scope_id))

    def clear(self) -> None:
        """Drop every cached index."""
        self._grouping = None
        self._slots.clear()
        self._dirty.clear()
        self._unions.clear()

    def first_run_tables(self, indexes: list[LayerIndex]) -> dict[bool, frozenset[str]]:
        """`first_run_tables(indexes)`, remembered for this combination of layer indexes."""
        key = tuple(id(i) for i in indexes)
        got = self._unions.get(key)
        if got is None:
            from ._index import first_run_tables

            if len(self._unions) >= 8:
                self._unions.pop(next(iter(self._unions)))
            got = self._unions[key] = (list(indexes), first_run_tables(indexes))
        return got[1]

    def index_for(
        self,
        layer: LayerKey,
        entries: Sequence[Any],
        *,
        case_sensitive: bool,
        whole_words: bool,
        js_check: JsCheck | None = None,
    ) -> LayerIndex:
        """The index for `entries` of `layer`, built only when needed."""
        steps = self.index_steps(layer, entries, case_sensitive, whole_words, js_check)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                index: LayerIndex = done.value
                return index

    def index_steps(
        self,
        layer: LayerKey,
        entries: Sequence[Any],
        case_sensitive: bool,
        whole_words: bool,
        js_check: JsCheck | None = None,
    ) -> Generator[None, None, LayerIndex]:
        """`index_for` as steps: a build yields between slices of entries (the cooperative
        builder gives the event loop a turn at each yield)."""
        key = (layer, case_sensitive, whole_words)
        slot = self._slots.get(key)
        objects = tuple(entries)
        if slot is not None and layer not in self._dirty:
            if slot.object_ids == tuple(map(id, objects)):  # the very same entry objects
                return slot.index
            ids = tuple(e.id for e in entries)
            if slot.ids == ids:
                slot.hold(objects, ids)
                return slot.index
        ids = tuple(e.id for e in entries)
        fingerprint = None if slot is None else index_fingerprint(entries)
        if slot is None or slot.fingerprint != fingerprint:
            from ._index import LayerIndex

            index = LayerIndex.empty()
            yield from index.building(entries, case_sensitive, whole_words, js_check)
            slot = self._slots.get(key)
            if slot is not None:
                stale = slot.index
                self._unions = {
                    k: v for k, v in self._unions.items() if all(i is not stale for i in v[0])
                }
            self.builds += 1
            slot = _Slot(index.fingerprint, ids, objects, index)
            self._slots[key] = slot
        else:
            slot.hold(objects, ids)
        if all(k[0] != layer or self._slots[k] is slot for k in self._slots):
            self._dirty.discard(layer)
        return slot.index
