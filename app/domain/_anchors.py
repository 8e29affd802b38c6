"""Anchors: a point in a text that stays put while the text around it changes.

A scene beat is attached to a point of its chapter. The point is kept as an offset
*and* the text on either side of it (``before``/``after``, up to ``CONTEXT`` characters),
so it survives both kinds of change:

- an edit seen as old text → new text (typing, pasting, generated text arriving) moves
  the offset by what was inserted or removed before it (``follow``); a point inside the
  changed span is looked for by its context;
- a text that changed out of view (another tab, an import) is searched for the remembered
  context, nearest the old offset first (``locate``), as a reader would find their place.

Offsets count Python characters (code points).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CONTEXT", "Anchor", "anchor_at", "common_ends", "follow", "locate"]

CONTEXT = 32
"""Characters of context remembered on each side of a point."""


@dataclass(frozen=True, slots=True)
class Anchor:
    position: int
    before: str = ""
    after: str = ""

    def holds_in(self, text: str) -> bool:
        """Whether ``text`` still has this context around ``position``."""
        p = self.position
        if not 0 <= p <= len(text):
            return False
        return (
            text[max(0, p - len(self.before)) : p] == self.before
            and text[p : p + len(self.after)] == self.after
        )


def anchor_at(text: str, position: int) -> Anchor:
    """The anchor for ``position`` (clamped into the text) in ``text``."""
    p = max(0, min(position, len(text)))
    return Anchor(p, text[max(0, p - CONTEXT) : p], text[p : p + CONTEXT])


def common_ends(old: str, new: str) -> tuple[int, int]:
    """Lengths of the common prefix and of the common suffix (not overlapping it)."""
    limit = min(len(old), len(new))
    prefix = 0
    # compare in blocks first: a 50 KB chapter with one keystroke costs a few slices
    step = 1024
    while prefix + step <= limit and old[prefix : prefix + step] == new[prefix : prefix + step]:
        prefix += step
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    room = limit - prefix
    while (
        suffix + step <= room
        and old[len(old) - suffix - step : len(old) - suffix]
        == new[len(new) - suffix - step : len(new) - suffix]
    ):
        suffix += step
    while suffix < room and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    return prefix, suffix


def _nearest(text: str, needle: str, hint: int, *, end: bool) -> int | None:
    """The occurrence of ``needle`` nearest ``hint``: its end (``end=True``) or start."""
    if not needle:
        return None
    best: int | None = None
    start = text.find(needle)
    while start != -1:
        point = start + len(needle) if end else start
        if best is None or abs(point - hint) < abs(best - hint):
            best = point
        start = text.find(needle, start + 1)
    return best


def locate(text: str, anchor: Anchor) -> int:
    """The point in ``text`` that best matches ``anchor`` (its offset if still right)."""
    if anchor.holds_in(text):
        return anchor.position
    hint = anchor.position
    both = anchor.before + anchor.after
    if anchor.before and anchor.after:
        found = _nearest(text, both, hint - len(anchor.before), end=False)
        if found is not None:
            return found + len(anchor.before)
    for needle, end in ((anchor.before, True), (anchor.after, False)):
        # the nearer side: progressively shorter context next to the point
        for size in (len(needle), 16, 8):
            piece = needle[-size:] if end else needle[:size]
            if len(piece) < min(size, len(needle)) or not piece.strip():
                continue
            found = _nearest(text, piece, hint, end=end)
            if found is not None:
                return found
    return max(0, min(hint, len(text)))


def follow(old: str, new: str, anchor: Anchor) -> Anchor:
    """``anchor`` (made in ``old``) moved into ``new``.

    Outside the changed span the edit says exactly where the point went. A point inside
    it (several edits merged into one save, or the context itself rewritten) is looked
    for by its context, near where the edit would put it; an anchor that does not belong
    to ``old`` at all is looked for the same way.
    """
    if not anchor.holds_in(old):
        return anchor_at(new, locate(new, anchor))
    prefix, suffix = common_ends(old, new)
    p = anchor.position
    if p <= prefix:
        return anchor_at(new, p)
    if p >= len(old) - suffix:
        return anchor_at(new, p + len(new) - len(old))
    return anchor_at(new, locate(new, Anchor(prefix, anchor.before, anchor.after)))
