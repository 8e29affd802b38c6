"""Hybrid logical clocks: the wire format sorts as the tuple it encodes, for any stamps
(hypothesis; CPython only, the browser tier has no hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.sync._hlc import format_hlc


@given(st.tuples(st.integers(0, 10**15 - 1), st.integers(0, 99_999), st.sampled_from("ab")),
       st.tuples(st.integers(0, 10**15 - 1), st.integers(0, 99_999), st.sampled_from("ab")))
def test_string_order_is_tuple_order(a: tuple[int, int, str], b: tuple[int, int, str]) -> None:
    assert (format_hlc(*a) < format_hlc(*b)) == (a < b)
