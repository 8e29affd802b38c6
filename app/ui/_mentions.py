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
from collections.abc import Iterable
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


# a piece's raw hits: (start, end, entry number, is_primary, key index)
_Hit = tuple[int, int, int, bool, int]


@dataclass(frozen=True, slots=True)
class _Piece:
    """What one piece of text holds, computed once per piece text: its key hits and @tag
    hits, and per entry the mentions it counts (overlapping keys of one entry count
    once), where the first one starts, and which secondary keys it holds."""

    hits: tuple[_Hit, ...]
    tags: tuple[tuple[int, int, str], ...]
    primary: dict[int, int]
    first: dict[int, int]
    secondary: dict[int, frozenset[int]]


class MentionIndex:
    """The entries a text can mention (disabled ones are left out), ready to analyse texts.

    Each piece's hits are kept by its text, and each piece's marks (and ``LineMarks``)
    while the set of activated entries stays the same, so a keystroke costs one piece's
    matching plus adding up small per-piece summaries.
    """

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
        #: entries whose secondary keys decide: number -> (logic, indexes of their keys)
        self._selective: dict[int, tuple[str, tuple[int, ...]]] = {}
        for n, e in enumerate(self.entries):
            wanted = tuple(i for i, k in enumerate(e.secondary_keys or ()) if str(k).strip())
            if wanted and getattr(e, "selective", True):
                self._selective[n] = (e.selective_logic, wanted)
        self._pieces: OrderedDict[str, _Piece] = OrderedDict()
        self._active: frozenset[int] = frozenset()
        self._marked: dict[tuple[str, bool], LineMarks] = {}

    # -- one piece -------------------------------------------------------------------------
    def _piece(self, text: str) -> _Piece:
        got = self._pieces.get(text)
        if got is not None:
            self._pieces.move_to_end(text)
            return got
        hits: list[_Hit] = []
        if text.strip():
            number = self._number
            for entry, kind, key_index, start, end in self.matcher.find(text):
                n = number.get(entry.id)
                if n is not None and end > start:
                    hits.append((start, end, n, kind == "primary", key_index))
        hits.sort()
        tags = tuple(
            (m.start(), m.end(), tag_key(m.group(1)))
            for m in _TAG.finditer(text)
            if tag_key(m.group(1)) in self._by_tag
        )
        primary: dict[int, int] = {}
        first: dict[int, int] = {}
        secondary: dict[int, set[int]] = {}
        reach: dict[int, int] = {}  # where each entry's last counted mention ends
        for start, end, n, is_primary, key_index in hits:
            if is_primary:
                if reach.get(n, -1) <= start:  # "keep" inside "the keep": one mention
                    primary[n] = primary.get(n, 0) + 1
                reach[n] = max(reach.get(n, -1), end)
                first.setdefault(n, start)
            else:
                secondary.setdefault(n, set()).add(key_index)
        got = _Piece(
            tuple(hits),
            tags,
            primary,
            first,
            {n: frozenset(keys) for n, keys in secondary.items()},
        )
        self._pieces[text] = got
        if len(self._pieces) > LINE_CACHE:
            self._pieces.popitem(last=False)
        return got

    # -- a whole text ----------------------------------------------------------------------
    def analyse(self, text: str) -> Mentions:
        cut = pieces(text)
        found = [self._piece(piece) for piece, _ in cut]
        primary: dict[int, int] = {}
        secondary: dict[int, set[int]] = {}
        first_seen: dict[int, tuple[int, int]] = {}
        tagged: dict[int, int] = {}
        for row, piece in enumerate(found):
            for n, count in piece.primary.items():
                primary[n] = primary.get(n, 0) + count
                if n not in first_seen:
                    first_seen[n] = (row, piece.first[n])
            for n, keys in piece.secondary.items():
                secondary.setdefault(n, set()).update(keys)
            for start, _end, key in piece.tags:
                for n in self._by_tag[key]:
                    tagged[n] = tagged.get(n, 0) + 1
                    first_seen.setdefault(n, (row, start))
        active = frozenset(n for n in primary if self._secondary_ok(n, secondary.get(n, set())))
        if active != self._active:  # what is marked changed: every piece's marks may
            self._active = active
            self._marked.clear()
        counts: dict[int, int] = {n: primary[n] for n in active}
        for n, c in tagged.items():
            counts[n] = counts.get(n, 0) + c
        order = sorted(counts, key=lambda n: first_seen[n])
        marked = self._marked
        lines = []
        for (piece_text, newline), piece in zip(cut, found, strict=True):
            known = marked.get((piece_text, newline))
            if known is None:
                known = LineMarks(piece_text, self._marks(piece, active), newline)
                if len(marked) > LINE_CACHE:
                    marked.clear()
                marked[(piece_text, newline)] = known
            lines.append(known)
        entries = self.entries
        return Mentions(
            tuple(lines),
            tuple(entries[n] for n in order),
            {entries[n].id: counts[n] for n in order},
        )

    def _secondary_ok(self, n: int, seen: set[int]) -> bool:
        rule = self._selective.get(n)
        if rule is None:  # no secondary keys (or not selective): the primary key suffices
            return True
        logic, wanted = rule
        hit = [i in seen for i in wanted]
        if logic == "and_any":
            return any(hit)
        if logic == "and_all":
            return all(hit)
        if logic == "not_any":
            return not any(hit)
        return not all(hit)  # not_all

    def _marks(self, piece: _Piece, active: frozenset[int]) -> tuple[Mark, ...]:
        spans: list[tuple[int, int, int, str]] = []
        for start, end, n, is_primary, _key in piece.hits:
            if n in active:
                entry = self.entries[n]
                if is_primary or entry.selective_logic in ("and_any", "and_all"):
                    spans.append((start, end, n, "key"))
        for start, end, key in piece.tags:
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
