"""The text SillyTavern hands a regex key, and where each part of it came from.

`WorldInfoBuffer.get` in `public/scripts/world-info.js` builds one string per entry: the
character `\\x01`, then the chat messages newest first (each trimmed) joined by `"\\n\\x01"`
up to the entry's scan depth, then, each behind another `"\\n\\x01"`, the extra texts the
entry asks for (persona description, character description, personality, character's
note, scenario, creator notes — the non-empty ones, in that order), then the recursion
buffer: per recursion step the contents it added joined by `"\\n"`, steps joined by
`"\\n\\x01"` (left out during minimum-activation passes). A depth of 0 gives the empty
string. So `^` without the `m` flag sees `\\x01` first, `$` the end of the last part, and
`/\\x01Name:/` finds a message starting with "Name:". Plain keys do not need this layout:
the index finds them part by part.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import NamedTuple

__all__ = ["JOINER", "MATCHER", "Layout", "Segment"]

MATCHER = "\x01"
JOINER = "\n" + MATCHER


class Segment(NamedTuple):
    """A part of the layout: `source` is "message", "text", "recursion" or an extra text's
    name; `ref` the message number or the entry (position in the scan) of the content."""

    start: int
    source: str
    ref: int


class Layout:
    """One built scan text and its parts."""

    __slots__ = ("_starts", "segments", "text")

    def __init__(
        self,
        messages: Sequence[str],
        newest_first: Sequence[int],
        sources: Sequence[tuple[str, str]],
        recursion: Sequence[Sequence[tuple[int, str]]],
        *,
        text_mode: bool,
    ) -> None:
        """`messages` as given to the scan; `newest_first` the message numbers in the
        window, newest first; `sources` (name, text) pairs; `recursion` per step the
        (entry, content) pairs it added."""
        parts: list[str] = []
        segments: list[Segment] = []
        pos = len(MATCHER)
        first = True
        for index in newest_first:
            if not first:
                pos += len(JOINER)
            first = False
            piece = messages[index].strip()
            lead = len(messages[index]) - len(messages[index].lstrip())
            segments.append(Segment(pos - lead, "text" if text_mode else "message", index))
            parts.append(piece)
            pos += len(piece)
        text = MATCHER + JOINER.join(parts)
        for name, source in sources:
            segments.append(Segment(len(text) + len(JOINER), name, -1))
            text += JOINER + source
        if recursion:
            text += JOINER
            for s, step in enumerate(recursion):
                if s:
                    text += JOINER
                for i, (entry, content) in enumerate(step):
                    if i:
                        text += "\n"
                    segments.append(Segment(len(text), "recursion", entry))
                    text += content
        self.text = text
        self.segments = segments
        self._starts = [s.start for s in segments]

    def locate(self, offset: int) -> tuple[Segment, int] | None:
        """The part `offset` falls in and the offset within it (None: a joiner)."""
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return None
        return self.segments[i], offset - self.segments[i].start
