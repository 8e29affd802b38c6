"""Hybrid logical clocks: format, order, tick and receive (also in the browser tier)."""

from __future__ import annotations

import pytest

from app.sync._hlc import HybridClock, format_hlc, hlc_wall_ms, parse_hlc

RUN_IN_BROWSER = True


def test_the_wire_format_sorts_like_the_tuple_it_encodes() -> None:
    assert format_hlc(1764950000000, 0, "5f0c") == "001764950000000-00000-5f0c"
    assert parse_hlc("001764950000000-00042-node-1") == (1764950000000, 42, "node-1")
    assert hlc_wall_ms("001764950000000-00042-n") == 1764950000000
    for bad in ("", "1764950000000-0-n", "001764950000000-00000-", "x" * 30, 5):
        with pytest.raises(ValueError):
            parse_hlc(bad)  # type: ignore[arg-type]


def test_string_order_is_tuple_order_at_the_edges() -> None:
    """The property itself is ``test_hlc_order.py`` (hypothesis, CPython only)."""
    stamps = [(0, 0, "a"), (0, 0, "b"), (0, 1, "a"), (0, 99_999, "b"), (1, 0, "a"),
              (10**15 - 1, 0, "a"), (10**15 - 1, 99_999, "b")]
    for a in stamps:
        for b in stamps:
            assert (format_hlc(*a) < format_hlc(*b)) == (a < b)


def test_ticks_increase_even_when_the_wall_clock_stands_or_goes_back() -> None:
    now = [1000]
    clock = HybridClock("n", now_ms=lambda: now[0])
    first, second = clock.tick(), clock.tick()
    now[0] = 500
    third = clock.tick()
    assert first < second < third
    assert parse_hlc(third)[:2] == (1000, 2)
    now[0] = 2000
    assert parse_hlc(clock.tick())[:2] == (2000, 0)


def test_receiving_a_later_clock_orders_the_next_write_after_it() -> None:
    clock = HybridClock("slow", now_ms=lambda: 1000)
    clock.observe(format_hlc(5000, 7, "fast"))
    nxt = clock.tick()
    assert nxt > format_hlc(5000, 7, "fast")
    assert parse_hlc(nxt) == (5000, 8, "slow")
    clock.observe(format_hlc(10, 0, "old"))  # an older one changes nothing
    assert parse_hlc(clock.tick()) == (5000, 9, "slow")


def test_a_full_counter_borrows_the_next_millisecond() -> None:
    clock = HybridClock("n", now_ms=lambda: 1000, last=format_hlc(1000, 99_999, "n"))
    assert parse_hlc(clock.tick()) == (1001, 0, "n")


def test_the_offset_corrects_the_wall_clock() -> None:
    clock = HybridClock("n", now_ms=lambda: 1000)
    clock.offset_ms = 500
    assert parse_hlc(clock.tick())[0] == 1500
