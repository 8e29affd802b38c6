"""Property: however a byte stream is split into chunks, the same events come out."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.generation import EventStreamDecoder, SseEvent

STREAM = st.lists(
    st.tuples(
        st.sampled_from(["", "delta", "ping"]),
        st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=["Cs"]), max_size=12),
        st.sampled_from(["\n", "\r\n", "\r"]),
    ),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(STREAM, st.data())
def test_any_chunking_gives_the_same_events(events: list[tuple[str, str, str]], data: st.DataObject) -> None:
    text = "\ufeff" + "".join(
        (f"event: {kind}{end}" if kind else "") + f": note{end}data: {value}{end}{end}"
        for kind, value, end in events
    )
    raw = text.encode("utf-8")
    cuts = sorted(data.draw(st.lists(st.integers(0, len(raw)), max_size=12)))
    whole = EventStreamDecoder()
    expected = whole.feed(raw) + whole.close()
    split = EventStreamDecoder()
    got: list[SseEvent] = []
    start = 0
    for cut in [*cuts, len(raw)]:
        got += split.feed(raw[start:cut])
        start = cut
    got += split.close()
    assert got == expected
    assert [(e.type, e.data) for e in got] == [(k or "message", v) for k, v, _ in events]
