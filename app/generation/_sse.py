"""Server-sent events, parsed as the WHATWG HTML standard says (§9.2 "event stream").

    decoder = EventStreamDecoder()
    for chunk in body_chunks:                 # bytes, split anywhere
        for event in decoder.feed(chunk):
            ...                               # SseEvent(type, data, id, retry)
    decoder.close()                           # end of stream

Bytes go through an incremental UTF-8 decoder, so a character split across chunks comes
out whole. The parser follows the standard: one leading BOM is dropped; lines end at CRLF,
LF or CR (a CR at the end of a chunk followed by LF at the start of the next is one line
end); `data:` lines are joined with LF; lines starting with `:` are comments; one space
after the colon is dropped; `id` with a NUL is ignored, and the last id carries over to
later events; `retry` takes only ASCII digits; an event is dispatched at a blank line and
only when it has data. At the end of the stream an unfinished event is discarded, unless
`close(dispatch_partial=True)` asks for it (LLM servers that forget the last blank line).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["EventStreamDecoder", "SseEvent", "SseParser"]

_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class SseEvent:
    """One dispatched event: `type` ("message" unless an `event:` field said otherwise)."""

    type: str
    data: str
    id: str = ""
    retry: int | None = None


class SseParser:
    """Incremental event-stream parser over text."""

    def __init__(self) -> None:
        self._pending = ""  # an unfinished line
        self._started = False  # the first character (a possible BOM) has been seen
        self._skip_lf = False  # the previous chunk ended with CR
        self._data: list[str] = []
        self._has_data = False
        self._type = ""
        self._last_id = ""
        #: The reconnection time (ms) the stream last asked for, if any.
        self.retry: int | None = None

    @property
    def last_event_id(self) -> str:
        return self._last_id

    def feed(self, text: str) -> list[SseEvent]:
        """Parse more text; return the events it completed."""
        if not text:
            return []
        if self._skip_lf:
            self._skip_lf = False
            if text[0] == "\n":
                text = text[1:]
                if not text:
                    return []
        if not self._started:
            self._started = True
            if text[0] == "\ufeff":
                text = text[1:]
        buffer = self._pending + text if self._pending else text
        lines = _LINE_END.split(buffer)
        self._pending = lines.pop()
        if not lines:
            return []
        if buffer.endswith("\r"):
            self._skip_lf = True
        events: list[SseEvent] = []
        for line in lines:
            self._line(line, events)
        return events

    def close(self, *, dispatch_partial: bool = False) -> list[SseEvent]:
        """End of stream. The standard discards an unfinished event; with
        `dispatch_partial=True` the last line and event are completed instead."""
        events: list[SseEvent] = []
        if dispatch_partial:
            if self._pending:
                self._line(self._pending, events)
            self._line("", events)
        self._pending = ""
        self._data = []
        self._has_data = False
        self._type = ""
        return events

    def _line(self, line: str, events: list[SseEvent]) -> None:
        if not line:
            self._dispatch(events)
            return
        if line[0] == ":":
            return  # a comment
        name, colon, value = line.partition(":")
        if colon and value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
            self._has_data = True
        elif name == "event":
            self._type = value
        elif name == "id":
            if "\x00" not in value:
                self._last_id = value
        elif name == "retry":
            if value and value.isascii() and value.isdigit():
                self.retry = int(value)
        # any other field name is ignored

    def _dispatch(self, events: list[SseEvent]) -> None:
        if not self._has_data:
            self._type = ""
            return
        events.append(
            SseEvent(self._type or "message", "\n".join(self._data), self._last_id, self.retry)
        )
        self._data = []
        self._has_data = False
        self._type = ""


class EventStreamDecoder:
    """Bytes in, events out: an incremental UTF-8 decoder in front of `SseParser`."""

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.parser = SseParser()

    def feed(self, chunk: bytes) -> list[SseEvent]:
        return self.parser.feed(self._utf8.decode(chunk))

    def close(self, *, dispatch_partial: bool = False) -> list[SseEvent]:
        events = self.parser.feed(self._utf8.decode(b"", final=True))
        return events + self.parser.close(dispatch_partial=dispatch_partial)
