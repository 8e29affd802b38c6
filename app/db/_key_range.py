"""Key ranges (``IDBKeyRange``): bounds, emptiness, containment, overlap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._keys import MAX_ENC, MIN_ENC, Encoded, encode

__all__ = ["KeyRange"]


@dataclass(frozen=True, slots=True)
class KeyRange:
    """A range of keys; ``None`` bounds are unbounded. Keys are stored raw."""

    lower: Any = None
    upper: Any = None
    lower_open: bool = False
    upper_open: bool = False

    @staticmethod
    def only(key: Any) -> KeyRange:
        return KeyRange(key, key)

    @staticmethod
    def all() -> KeyRange:
        return KeyRange()

    @property
    def is_all(self) -> bool:
        return self.lower is None and self.upper is None

    def bounds(self) -> tuple[Encoded, Encoded]:
        """Encoded (lower, upper); MIN/MAX sentinels when unbounded."""
        lo = MIN_ENC if self.lower is None else encode(self.lower)
        hi = MAX_ENC if self.upper is None else encode(self.upper)
        return lo, hi

    def is_empty(self) -> bool:
        lo, hi = self.bounds()
        if lo > hi:
            return True
        return lo == hi and (self.lower_open or self.upper_open)

    def contains_enc(self, e: Encoded) -> bool:
        lo, hi = self.bounds()
        if e < lo or (self.lower_open and e == lo):
            return False
        return not (e > hi or (self.upper_open and e == hi))

    def contains(self, key: Any) -> bool:
        return self.contains_enc(encode(key))

    def overlaps(self, other: KeyRange) -> bool:
        if self.is_empty() or other.is_empty():
            return False
        alo, ahi = self.bounds()
        blo, bhi = other.bounds()
        if ahi < blo or bhi < alo:
            return False
        if ahi == blo and (self.upper_open or other.lower_open):
            return False
        return not (bhi == alo and (other.upper_open or self.lower_open))
