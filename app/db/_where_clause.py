"""WhereClause: ``table.where("index")`` — an operator then gives a Collection."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._collection import Collection, Part, QueryContext
from ._key_range import KeyRange
from ._keys import encode
from .errors import DataError, SchemaError

if TYPE_CHECKING:
    from ._table import Table

__all__ = ["WhereClause"]

#: Greater than any key that is not an array of arrays (Dexie's MAX_KEY).
MAX_KEY: list[Any] = [[]]
_MAX_CHAR = "\uffff"



class WhereClause:
    """``table.where("index")`` — pick an operator to get a Collection."""

    def __init__(
        self, table: Table, index: str | list[str], or_of: Collection | None = None
    ) -> None:
        self._table = table
        self._index = index
        self._or_of = or_of

    def _resolve(self) -> tuple[str, int, BaseException | None]:
        """-> (real index name, prefix length for virtual indexes, error)."""
        try:
            name, plen = self._table._resolve_index(self._index)
            return name, plen, None
        except SchemaError as err:
            return "", 0, err

    def _make(
        self,
        ranges: list[KeyRange] | None = None,
        key_filter: Callable[[Any], bool] | None = None,
        error: BaseException | None = None,
        keys: list[Any] | None = None,
    ) -> Collection:
        index, plen, err = self._resolve()
        if ranges is None:
            ranges = [KeyRange()]
        if err is None and error is None and plen:
            ranges = [_prefix_range(r, plen) for r in ranges]
        part = Part(index, ranges, key_filter, plen, error or err)
        if part.error is None:
            try:
                for r in ranges:
                    if r.lower is not None:
                        encode(r.lower)
                    if r.upper is not None:
                        encode(r.upper)
            except DataError as e:
                part.error = e
        if self._or_of is not None:
            self._or_of._ctx.parts.append(part)
            return self._or_of
        return Collection(self._table, QueryContext([part]))

    def _empty(self) -> Collection:
        return self._make([])

    def _bad(self, err: BaseException) -> Collection:
        return self._make(error=err)

    # ------------------------------------------------------------ operators
    def equals(self, value: Any) -> Collection:
        return self._checked(lambda: [KeyRange.only(value)], value)

    def not_equal(self, value: Any) -> Collection:
        return self._checked(
            lambda: [KeyRange(None, value, False, True), KeyRange(value, None, True, False)], value
        )

    def above(self, value: Any) -> Collection:
        return self._checked(lambda: [KeyRange(value, None, True, False)], value)

    def above_or_equal(self, value: Any) -> Collection:
        return self._checked(lambda: [KeyRange(value, None, False, False)], value)

    def below(self, value: Any) -> Collection:
        return self._checked(lambda: [KeyRange(None, value, False, True)], value)

    def below_or_equal(self, value: Any) -> Collection:
        return self._checked(lambda: [KeyRange(None, value, False, False)], value)

    def between(
        self, lower: Any, upper: Any, include_lower: bool = True, include_upper: bool = False
    ) -> Collection:
        try:
            el, eu = encode(lower), encode(upper)
        except DataError as e:
            return self._bad(e)
        if el > eu or (el == eu and not (include_lower and include_upper)):
            return self._empty()
        return self._make([KeyRange(lower, upper, not include_lower, not include_upper)])

    def any_of(self, *values: Any) -> Collection:
        vals = _flatten(values)
        try:
            uniq = sorted({encode(v): v for v in vals}.items())
        except DataError as e:
            return self._bad(e)
        return self._make([KeyRange.only(v) for _e, v in uniq])

    def none_of(self, *values: Any) -> Collection:
        vals = _flatten(values)
        try:
            uniq = [v for _e, v in sorted({encode(v): v for v in vals}.items())]
        except DataError as e:
            return self._bad(e)
        if not uniq:
            return self._make()
        ranges = [KeyRange(None, uniq[0], False, True)]
        for a, b in itertools.pairwise(uniq):
            ranges.append(KeyRange(a, b, True, True))
        ranges.append(KeyRange(uniq[-1], None, True, False))
        return self._make(ranges)

    def in_any_range(
        self,
        ranges: list[tuple[Any, Any]] | list[list[Any]],
        include_lowers: bool = True,
        include_uppers: bool = False,
    ) -> Collection:
        out: list[KeyRange] = []
        try:
            for r in ranges:
                lo, hi = r[0], r[1]
                el, eu = encode(lo), encode(hi)
                if el > eu or (el == eu and not (include_lowers and include_uppers)):
                    continue
                out.append(KeyRange(lo, hi, not include_lowers, not include_uppers))
        except (DataError, TypeError, IndexError) as e:
            return self._bad(e if isinstance(e, DataError) else DataError(f"bad range: {e}"))
        return self._make(_merge_ranges(out))

    def starts_with(self, prefix: str) -> Collection:
        if not _is_str(prefix):  # a caller without type checking may pass anything
            return self._bad(DataError(f"starts_with() needs a string, got {prefix!r}"))
        return self._make([KeyRange(prefix, prefix + _MAX_CHAR, False, False)])

    def starts_with_any_of(self, *prefixes: Any) -> Collection:
        ps = _flatten(prefixes)
        if not all(isinstance(p, str) for p in ps):
            return self._bad(DataError("starts_with_any_of() needs strings"))
        ranges = [KeyRange(p, p + _MAX_CHAR, False, False) for p in ps]
        return self._make(_merge_ranges(ranges))

    def equals_ignore_case(self, value: str) -> Collection:
        return self.any_of_ignore_case([value])

    def any_of_ignore_case(self, *values: Any) -> Collection:
        vals = _flatten(values)
        if not all(isinstance(v, str) for v in vals):
            return self._bad(DataError("any_of_ignore_case() needs strings"))
        folded = {v.lower() for v in vals}
        ranges = [KeyRange(_lo_case(v), _hi_case(v), False, False) for v in vals]

        def pred(k: Any) -> bool:
            return isinstance(k, str) and k.lower() in folded

        return self._make(_merge_ranges(ranges), key_filter=pred)

    def starts_with_ignore_case(self, prefix: str) -> Collection:
        return self.starts_with_any_of_ignore_case([prefix])

    def starts_with_any_of_ignore_case(self, *prefixes: Any) -> Collection:
        ps = _flatten(prefixes)
        if not all(isinstance(p, str) for p in ps):
            return self._bad(DataError("starts_with_any_of_ignore_case() needs strings"))
        folded = [p.lower() for p in ps]
        ranges = [KeyRange(_lo_case(p), _hi_case(p) + _MAX_CHAR, False, False) for p in ps]

        def pred(k: Any) -> bool:
            if not isinstance(k, str):
                return False
            kl = k.lower()
            return any(kl.startswith(p) and len(k) >= len(p) for p in folded)

        return self._make(_merge_ranges(ranges), key_filter=pred)

    def _checked(self, build: Callable[[], list[KeyRange]], value: Any) -> Collection:
        try:
            encode(value)
        except DataError as e:
            return self._bad(DataError(f"table {self._table.name!r}, index {self._index!r}: {e}"))
        return self._make(build())


def _is_str(x: object) -> bool:
    return isinstance(x, str)


def _flatten(values: tuple[Any, ...]) -> list[Any]:
    if len(values) == 1 and isinstance(values[0], (list, tuple, set, frozenset)):
        return list(values[0])
    return list(values)


def _lo_case(s: str) -> str:
    return "".join(
        min(c.upper(), c.lower()) if len(c.upper()) == 1 == len(c.lower()) else c for c in s
    )


def _hi_case(s: str) -> str:
    return "".join(
        max(c.upper(), c.lower()) if len(c.upper()) == 1 == len(c.lower()) else c for c in s
    )


def _merge_ranges(ranges: list[KeyRange]) -> list[KeyRange]:
    """Sort and merge overlapping ranges so scans never return an entry twice."""
    rs = sorted(
        (r for r in ranges if not r.is_empty()), key=lambda r: (r.bounds()[0], r.lower_open)
    )
    out: list[KeyRange] = []
    for r in rs:
        if out and out[-1].overlaps(r):
            prev = out[-1]
            _plo, phi = prev.bounds()
            _rlo, rhi = r.bounds()
            if rhi > phi or (rhi == phi and prev.upper_open and not r.upper_open):
                out[-1] = KeyRange(prev.lower, r.upper, prev.lower_open, r.upper_open)
        else:
            out.append(r)
    return out


def _prefix_range(r: KeyRange, plen: int) -> KeyRange:
    """Rewrite a range over a compound-index prefix into one over the full index."""

    def as_list(k: Any) -> list[Any]:
        return list(k) if plen > 1 else [k]

    lower = upper = None
    lo_open = up_open = False
    if r.lower is not None:
        if r.lower_open:
            lower, lo_open = [*as_list(r.lower), MAX_KEY], True
        else:
            lower = as_list(r.lower)
    if r.upper is not None:
        if r.upper_open:
            upper, up_open = as_list(r.upper), True
        else:
            upper = [*as_list(r.upper), MAX_KEY]
    return KeyRange(lower, upper, lo_open, up_open)
