"""Timed effects (sticky, cooldown, delay), counted in chat messages.

The state lives on the chat (`Chat.lore_state`, a JSON object), so it survives reloads and
syncs with the chat record:

    {"sticky":   {"<entry id>": {"start": 12, "end": 15, "protected": false, "hash": "…"}},
     "cooldown": {"<entry id>": {"start": 15, "end": 17, "protected": true,  "hash": "…"}}}

The rules are SillyTavern's (`WorldInfoTimedEffects` in `public/scripts/world-info.js`):
at the start of a scan, an effect is dropped when the chat did not advance past its start
(a swipe or a regeneration; unless it is protected), when its entry no longer has that
effect, or when its end has come (a sticky effect then puts the entry on cooldown, a
protected one); an effect whose entry changed (another hash) or is gone does nothing and
is dropped once its end has come. At the end of a scan, every activated entry with a
sticky or cooldown duration starts that effect unless it already has one (a re-trigger
does not extend it). Delay needs no state: an entry with `delay` N cannot activate while
the chat has fewer than N messages. A dry run neither reads nor writes sticky / cooldown.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ._entry import attr

__all__ = ["EFFECTS", "TimedEffects", "effect_hash"]

EFFECTS = ("sticky", "cooldown")
_HASHED = (
    "keys",
    "secondary_keys",
    "content",
    "name",
    "constant",
    "enabled",
    "selective_logic",
    "probability",
    "insertion_order",
    "sticky",
    "cooldown",
    "delay",
    "group",
)


def effect_hash(entry: Any) -> str:
    """A fingerprint of the entry: an effect set for one version of an entry does nothing
    for an edited one (SillyTavern hashes the whole entry)."""
    data = repr(tuple(attr(entry, name) for name in _HASHED)).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=8).hexdigest()


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value)


class TimedEffects:
    """The timed effects of one scan: which entries are sticky, on cooldown or delayed."""

    def __init__(
        self,
        state: Mapping[str, Any] | None,
        chat_length: int | None,
        *,
        dry_run: bool,
        lookup: Callable[[str], Any | None],
    ) -> None:
        """`chat_length` None: no chat (a story text): no timed effect applies."""
        self.known = chat_length is not None
        self.chat_length = chat_length or 0
        self.tracked = state is not None and not dry_run and self.known
        self.state: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in EFFECTS}
        self.active: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in EFFECTS}
        if not self.tracked or state is None:
            return
        for name in EFFECTS:
            records = state.get(name)
            if isinstance(records, Mapping):
                self.state[name] = {
                    str(k): dict(v) for k, v in records.items() if isinstance(v, Mapping)
                }
        self._begin(lookup)

    def _begin(self, lookup: Callable[[str], Any | None]) -> None:
        n = self.chat_length
        for name in EFFECTS:
            for entry_id, record in list(self.state[name].items()):
                start, end = _int(record.get("start")), _int(record.get("end"))
                if start is None or end is None:
                    del self.state[name][entry_id]
                    continue
                if n <= start and not record.get("protected"):
                    del self.state[name][entry_id]  # the chat did not advance: a swipe
                    continue
                entry = lookup(entry_id)
                if entry is None or record.get("hash") != effect_hash(entry):
                    if n >= end:
                        del self.state[name][entry_id]  # gone or edited, and over
                    continue
                if not attr(entry, name):
                    del self.state[name][entry_id]  # the entry no longer has this effect
                    continue
                if n >= end:
                    del self.state[name][entry_id]
                    if name == "sticky" and attr(entry, "cooldown"):
                        cooldown = self._record(entry, "cooldown", protected=True)
                        self.state["cooldown"][entry_id] = cooldown
                        self.active["cooldown"][entry_id] = cooldown
                    continue
                self.active[name][entry_id] = record

    def _record(self, entry: Any, name: str, *, protected: bool) -> dict[str, Any]:
        return {
            "start": self.chat_length,
            "end": self.chat_length + int(attr(entry, name) or 0),
            "protected": protected,
            "hash": effect_hash(entry),
        }

    def sticky(self, entry_id: str) -> dict[str, Any] | None:
        return self.active["sticky"].get(entry_id)

    def cooldown(self, entry_id: str) -> dict[str, Any] | None:
        return self.active["cooldown"].get(entry_id)

    def delayed(self, entry: Any) -> bool:
        delay = attr(entry, "delay")
        return self.known and bool(delay) and self.chat_length < int(delay)

    @property
    def sticky_ids(self) -> list[str]:
        return list(self.active["sticky"])

    def finish(self, activated: Iterable[Any]) -> dict[str, Any] | None:
        """The state to store on the chat after these entries were activated."""
        if not self.tracked:
            return None
        state = copy.deepcopy(self.state)
        for entry in activated:
            for name in EFFECTS:
                if attr(entry, name) and entry.id not in state[name]:
                    state[name][entry.id] = self._record(entry, name, protected=False)
        return {name: state[name] for name in EFFECTS}
