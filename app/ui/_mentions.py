"""Mentions: where a text names lorebook entries, as the lore engine would activate them.

A ``MentionIndex`` is built once per set of entries (the enabled entries a story sees)
over the lore engine's own ``Matcher`` (so keys match exactly as they do in a prompt:
case, whole words, regex keys, Unicode boundaries). ``analyse(text)`` then says which
entries the text activates and where each mention is:

- **key mentions**: occurrences of an entry's primary keys, counted only when its
  secondary keys agree (``selective`` with AND ANY / AND ALL / NOT ANY / NOT ALL, as in
  SillyTavern); the secondary keys that decided it are marked too;
- **tag mentions**: ``@tag`` activates every enabled entry carrying that tag (case and
  accents ignored; a tag's spaces may be typed as ``-`` or ``_``).

The text is matched piece by piece (lines; long paragraphs cut after a sentence, see
``pieces``) and each piece's hits are cached by its text, so typing in a 50 KB chapter
re-matches one piece per keystroke; activation is then decided over all
pieces' hits (a secondary key typed on line 40 activates a name on line 2). A key that
spans a line break (or a cut between sentences) is not marked (keys are names and phrases; a regex key meant to span
lines still activates in the prompt, where the whole text is scanned).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.lore import LayerCache, Matcher, MatchOptions

from ._search import fold

__all__ = ["PIECE", "LineMarks", "Mark", "MentionIndex", "Mentions", "pieces", "tag_key"]

#: ``@`` then a tag (letters, digits, ``-``, ``_``, ``.``, ``'``), not inside a word or e-mail.
_TAG = re.compile(r"(?<![\w@])@([^\W_](?:[\w\-.']*\w)?)")
#: Lines whose hits are remembered (a 50 KB chapter has a few hundred).
LINE_CACHE = 4096


def tag_key(tag: str) -> str:
    """How tags are compared: folded, spaces and underscores as hyphens, no trailing dots."""
    return re.sub(r"[\s_]+", "-", fold(tag.strip())).rstrip(".'")


@dataclass(frozen=True, slots=True)
class Mark:
    """One marked span of a line: ``[start, end)`` offsets in the line, the entries it
    mentions, and whether it is a ``"key"`` or a ``"tag"`` mention."""

    start: int
    end: int
    entry_ids: tuple[str, ...]
    kind: str


@dataclass(frozen=True, slots=True)
class LineMarks:
    """One piece of the text with its marks; ``newline``: a line break follows it (a
    long paragraph is cut into several pieces at sentence ends, see ``pieces``)."""

    text: str
    marks: tuple[Mark, ...]
    newline: bool = True


#: Paragraphs longer than this are matched and drawn in pieces of about ``PIECE``
#: characters, cut after a sentence, so that a keystroke in a 50 KB paragraph re-matches
#: and redraws one piece.
PIECE = 1000
_SENTENCE_END = re.compile(r"[.!?…;:][\"'”’»)\]]*\s+")


def pieces(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, a line break follows) — lines, and long lines cut after
    a sentence (else after a space) near every ``PIECE`` characters. A cut is found from
    the previous one, so an edit shifts the later pieces but (usually) leaves their text
    as it was."""
    out: list[tuple[str, bool]] = []
    lines = text.split("\n")
    last = len(lines) - 1
    for number, line in enumerate(lines):
        start = 0
        while len(line) - start > PIECE + PIECE // 2:
            window = line[start + PIECE // 2 : start + PIECE]
            cut = 0
            for found in _SENTENCE_END.finditer(window):
                cut = found.end()
            if not cut:
                space = window.rfind(" ")
                cut = space + 1 if space >= 0 else len(window)
            cut += start + PIECE // 2
            out.append((line[start:cut], False))
            start = cut
        out.append((line[start:], number != last))
    return out


@dataclass(frozen=True, slots=True)
class Mentions:
    """The result of ``analyse``: each line with its marks, and the entries mentioned
    (in order of first mention) with how many times each is mentioned."""

    lines: tuple[LineMarks, ...]
    entries: tuple[Any, ...]
    counts: dict[str, int]


# a line's raw hits: (start, end, entry number, is_primary, key index)
_Hit = tuple[int, int, int, bool, int]


class MentionIndex:
    """The entries a text can mention (disabled ones are left out), ready to analyse texts."""

    def __init__(
        self,
        entries: Iterable[Any],
        options: MatchOptions | None = None,
        *,
        cache: LayerCache | None = None,
    ) -> None:
        self.entries = [e for e in entries if e.enabled]
        self._number = {e.id: n for n, e in enumerate(self.entries)}
        self.matcher = Matcher(self.entries, options or MatchOptions(), cache=cache)
        self._by_tag: dict[str, list[int]] = {}
        for n, e in enumerate(self.entries):
            for tag in getattr(e, "tags", None) or ():
                if tag.strip():
                    self._by_tag.setdefault(tag_key(tag), []).append(n)
        self._lines: OrderedDict[str, tuple[tuple[_Hit, ...], tuple[tuple[int, int, str], ...]]]
        self._lines = OrderedDict()

    # -- one line --------------------------------------------------------------------------
    def _line(self, line: str) -> tuple[tuple[_Hit, ...], tuple[tuple[int, int, str], ...]]:
        got = self._lines.get(line)
        if got is not None:
            self._lines.move_to_end(line)
            return got
        hits: list[_Hit] = []
        if line.strip():
            number = self._number
            for entry, kind, key_index, start, end in self.matcher.find(line):
                n = number.get(entry.id)
                if n is not None and end > start:
                    hits.append((start, end, n, kind == "primary", key_index))
        tags = tuple(
            (m.start(), m.end(), tag_key(m.group(1)))
            for m in _TAG.finditer(line)
            if tag_key(m.group(1)) in self._by_tag
        )
        got = (tuple(hits), tags)
        self._lines[line] = got
        if len(self._lines) > LINE_CACHE:
            self._lines.popitem(last=False)
        return got

    # -- a whole text ----------------------------------------------------------------------
    def analyse(self, text: str) -> Mentions:
        cut = pieces(text)
        lines = [piece for piece, _ in cut]
        found = [self._line(line) for line in lines]
        primary: dict[int, int] = {}
        secondary: dict[int, set[int]] = {}
        first_seen: dict[int, tuple[int, int]] = {}
        reach: dict[int, tuple[int, int]] = {}  # where each entry's last counted mention ends
        tagged: dict[int, int] = {}
        for row, (hits, tags) in enumerate(found):
            for start, end, n, is_primary, key_index in sorted(hits):
                if is_primary:
                    # overlapping keys of one entry ("keep", "the keep") are one mention
                    if reach.get(n, (-1, -1)) <= (row, start):
                        primary[n] = primary.get(n, 0) + 1
                    reach[n] = max(reach.get(n, (-1, -1)), (row, end))
                    first_seen.setdefault(n, (row, start))
                else:
                    secondary.setdefault(n, set()).add(key_index)
            for start, _end, key in tags:
                for n in self._by_tag[key]:
                    tagged[n] = tagged.get(n, 0) + 1
                    first_seen.setdefault(n, (row, start))
        active = {n for n in primary if self._secondary_ok(n, secondary.get(n, set()))}
        counts: dict[int, int] = {n: primary[n] for n in active}
        for n, c in tagged.items():
            counts[n] = counts.get(n, 0) + c
        order = sorted(counts, key=lambda n: first_seen[n])
        marked = tuple(
            LineMarks(line, self._marks(hits, tags, active), newline)
            for (line, newline), (hits, tags) in zip(cut, found, strict=True)
        )
        entries = self.entries
        return Mentions(
            marked,
            tuple(entries[n] for n in order),
            {entries[n].id: counts[n] for n in order},
        )

    def _secondary_ok(self, n: int, seen: set[int]) -> bool:
        entry = self.entries[n]
        wanted = [i for i, k in enumerate(entry.secondary_keys or ()) if str(k).strip()]
        if not wanted or not getattr(entry, "selective", True):
            return True
        logic = entry.selective_logic
        hit = [i in seen for i in wanted]
        if logic == "and_any":
            return any(hit)
        if logic == "and_all":
            return all(hit)
        if logic == "not_any":
            return not any(hit)
        return not all(hit)  # not_all

    def _marks(
        self,
        hits: Sequence[_Hit],
        tags: Sequence[tuple[int, int, str]],
        active: set[int],
    ) -> tuple[Mark, ...]:
        spans: list[tuple[int, int, int, str]] = []
        for start, end, n, is_primary, _key in hits:
            if n in active:
                entry = self.entries[n]
                if is_primary or entry.selective_logic in ("and_any", "and_all"):
                    spans.append((start, end, n, "key"))
        for start, end, key in tags:
            spans.extend((start, end, n, "tag") for n in self._by_tag[key])
        if not spans:
            return ()
        spans.sort()
        out: list[Mark] = []
        cur_start, cur_end, ids, kind = spans[0][0], spans[0][1], [spans[0][2]], spans[0][3]
        for start, end, n, k in spans[1:]:
            if start < cur_end:  # overlapping mentions become one mark naming them all
                cur_end = max(cur_end, end)
                if n not in ids:
                    ids.append(n)
                if k == "tag":
                    kind = "tag"
                continue
            out.append(Mark(cur_start, cur_end, tuple(self.entries[i].id for i in ids), kind))
            cur_start, cur_end, ids, kind = start, end, [n], k
        out.append(Mark(cur_start, cur_end, tuple(self.entries[i].id for i in ids), kind))
        return tuple(out)
