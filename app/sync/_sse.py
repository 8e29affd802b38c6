"""An incremental parser for server-sent events (only what the sync needs: event names)."""

from __future__ import annotations

__all__ = ["SseParser"]


class SseParser:
    """``feed(text)`` returns the names of the events completed by ``text``."""

    def __init__(self) -> None:
        self._buffer = ""
        self._event = ""
        self._has_data = False

    def feed(self, text: str) -> list[str]:
        self._buffer += text
        events: list[str] = []
        while True:
            cut = -1
            for index, char in enumerate(self._buffer):
                if char in "\r\n":
                    cut = index
                    break
            if cut < 0:
                return events
            line = self._buffer[:cut]
            rest = self._buffer[cut + 1:]
            if self._buffer[cut] == "\r" and rest.startswith("\n"):
                rest = rest[1:]
            elif self._buffer[cut] == "\r" and not rest:
                return events  # a CR at the end may be half of CRLF: wait for more
            self._buffer = rest
            if line == "":
                if self._has_data:
                    events.append(self._event or "message")
                self._event, self._has_data = "", False
            elif line.startswith(":"):
                continue
            else:
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "event":
                    self._event = value
                elif name == "data":
                    self._has_data = True
