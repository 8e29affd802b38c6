"""The JSON guard: nesting and object counts are checked in memory proportional to the
nesting, not to the text (the old check needed ~100 bytes per string character)."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from app.lore import formats
from app.lore.formats import FormatError
from app.lore.formats._json import MAX_CONTAINERS, MAX_DEPTH, check_depth

RUN_IN_BROWSER = True


def peak_bytes(fn, *args) -> int:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        fn(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def card_with_description(chars: int) -> bytes:
    description = "a line\\n" * (chars // 8)  # escapes make strings harder to skip
    return json.dumps(
        {"spec": "chara_card_v2", "data": {"name": "x", "description": description}}
    ).encode()


def test_depth_check_memory_does_not_grow_with_the_text():
    small = peak_bytes(check_depth, card_with_description(1_000_000))
    large = peak_bytes(check_depth, card_with_description(8_000_000))
    assert large < 64 * 1024
    assert large - small < 16 * 1024


def test_nesting_limit_is_exact():
    check_depth(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH)
    with pytest.raises(FormatError, match="nested deeper"):
        check_depth(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1))
    with pytest.raises(FormatError, match="nested deeper"):
        check_depth(b'{"a": ' * (MAX_DEPTH + 1) + b"1" + b"}" * (MAX_DEPTH + 1))


def test_brackets_in_strings_do_not_count():
    deep_text = b'"' + b"[" * 500 + b'\\"' + b"{" * 500 + b'"'
    check_depth(b'{"a": ' + deep_text + b"}")
    check_depth(b'["\\\\", "[[[[", "\\\\\\"[["]')


def test_depth_is_tracked_across_strings():
    nested = b"".join(b'["x",' for _ in range(MAX_DEPTH + 1)) + b"1" + b"]" * (MAX_DEPTH + 1)
    with pytest.raises(FormatError, match="nested deeper"):
        check_depth(nested)


def test_an_unterminated_string_is_left_to_the_parser():
    check_depth(b'{"a": "never ends')
    with pytest.raises(FormatError, match="malformed JSON"):
        formats.load(b'{"a": "never ends')


def test_millions_of_empty_arrays_are_refused_before_parsing():
    data = b"[" + b"[]," * MAX_CONTAINERS + b"[]]"
    with pytest.raises(FormatError, match="objects and arrays"):
        check_depth(data)


def test_a_large_string_card_still_loads():
    book = formats.load(card_with_description(2_000_000))
    assert book.card["data"]["description"].startswith("a line\\n")
