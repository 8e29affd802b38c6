"""The event-stream parser follows the WHATWG standard, however the bytes are split."""

from __future__ import annotations

import pytest

from app.generation import EventStreamDecoder, SseEvent, SseParser

RUN_IN_BROWSER = True


def parse(text: str, *, partial: bool = False) -> list[SseEvent]:
    p = SseParser()
    return p.feed(text) + p.close(dispatch_partial=partial)


def test_data_lines_are_joined_with_newlines_and_the_last_newline_dropped() -> None:
    assert parse("data: a\ndata: b\ndata\n\n") == [SseEvent("message", "a\nb\n")]
    assert parse("data:x\n\n")[0].data == "x"
    assert parse("data:  two spaces\n\n")[0].data == " two spaces"  # only one space dropped


def test_events_without_data_are_not_dispatched_and_reset_the_type() -> None:
    assert parse("event: ping\n\ndata: x\n\n") == [SseEvent("message", "x")]


def test_comments_and_unknown_fields_are_ignored() -> None:
    assert parse(": keep-alive\nfoo: bar\ndata: x\n\n") == [SseEvent("message", "x")]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_every_line_ending(end: str) -> None:
    text = f"event: delta{end}data: 1{end}{end}data: 2{end}{end}"
    assert parse(text) == [SseEvent("delta", "1"), SseEvent("message", "2")]


def test_a_cr_at_the_end_of_a_chunk_and_lf_at_the_start_of_the_next_is_one_line_end() -> None:
    p = SseParser()
    assert p.feed("data: a\r") == []
    assert p.feed("\n\r") == [SseEvent("message", "a")]
    assert p.feed("\ndata: b\n\n") == [SseEvent("message", "b")]  # that LF ends an empty line


def test_only_one_leading_bom_is_dropped() -> None:
    assert parse("\ufeffdata: a\n\n") == [SseEvent("message", "a")]
    assert parse("\ufeff\ufeffdata: a\n\n") == []  # the second BOM makes an unknown field
    p = SseParser()
    p.feed("data: a\n\n")
    assert p.feed("\ufeffdata: b\n\n") == []


def test_id_carries_over_and_ids_with_nul_are_ignored() -> None:
    events = parse("id: 7\ndata: a\n\ndata: b\n\nid: x\x00y\ndata: c\n\nid\ndata: d\n\n")
    assert [e.id for e in events] == ["7", "7", "7", ""]


def test_retry_takes_only_ascii_digits() -> None:
    p = SseParser()
    p.feed("retry: 1500\n\n")
    assert p.retry == 1500
    p.feed("retry: 15s\n\nretry: ١٢\n\n")
    assert p.retry == 1500
    assert p.feed("data: x\n\n")[0].retry == 1500


def test_an_unfinished_event_is_discarded_at_the_end_unless_asked_for() -> None:
    assert parse("data: a\n\ndata: b\n") == [SseEvent("message", "a")]
    assert parse("data: a\n\ndata: b") == [SseEvent("message", "a")]
    assert parse("data: a\n\ndata: b", partial=True) == [SseEvent("message", "a"), SseEvent("message", "b")]
    assert parse("data: [DONE]", partial=True) == [SseEvent("message", "[DONE]")]


def test_split_utf8_comes_out_whole() -> None:
    raw = "data: 🐉 世界 é\n\n".encode()
    d = EventStreamDecoder()
    events = [e for i in range(len(raw)) for e in d.feed(raw[i : i + 1])]
    assert events == [SseEvent("message", "🐉 世界 é")]
    assert d.close() == []
