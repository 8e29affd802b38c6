"""A plain-text editor whose text carries marks: a ``textarea`` over a mirror layer.

The person types in a real ``textarea`` (native caret, selection, undo, IME, spell
check, screen readers all work as everywhere else). Behind it, a mirror ``div`` holds
the same text with a ``mark`` element around each marked span; its text is transparent,
so only the marks' backgrounds show, exactly under the words they mark. The marks are
never part of the text: they live only in the mirror, which is ``aria-hidden`` (what
they mean is said in words elsewhere, e.g. a "Mentioned entries" list).

Why not ``contenteditable``: a rich editor must rebuild marks under the caret on every
keystroke and then restore the caret, selection and the browser's undo stack, which
breaks IME composition and undo in subtle ways; a textarea over a mirror never touches
what the person is editing.

Both layers use the same font, padding, border and wrapping (``white-space: pre-wrap``)
so lines wrap identically; the mirror is in the flow and gives the editor its height, and
the textarea covers it (no inner scrolling to keep in step; the page scrolls). The
mirror is one ``span`` per line: an edit re-renders only the lines whose text or marks
changed, so typing in a 50 KB chapter touches one line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.domain._anchors import common_ends

from ._context import Ctx
from ._dom import Event, Node
from ._mentions import LineMarks, Mark

__all__ = ["MarkedText", "line_spans"]

Analyse = Callable[[str], Sequence[LineMarks]]


def line_spans(line: LineMarks) -> list[tuple[str, Mark | None]]:
    """A line cut into (text, mark or None) pieces, in order."""
    out: list[tuple[str, Mark | None]] = []
    at = 0
    text = line.text
    for mark in line.marks:
        if mark.start > at:
            out.append((text[at : mark.start], None))
        out.append((text[mark.start : mark.end], mark))
        at = mark.end
    if at < len(text):
        out.append((text[at:], None))
    return out


@dataclass(slots=True)
class _Line:
    data: LineMarks
    node: Node


class MarkedText:
    """The editor (see the module docstring). ``node`` is its root; ``textarea`` the field.

    ``on_text(text)`` is called after every edit by the person; ``analyse(text)`` gives
    the marks of each line (one ``LineMarks`` per ``\\n``-separated line).
    """

    def __init__(
        self,
        ctx: Ctx,
        *,
        id: str,
        text: str,
        analyse: Analyse,
        on_text: Callable[[str], None],
        describedby: str | None = None,
    ) -> None:
        self.ctx = ctx
        self.dom = dom = ctx.dom
        self._analyse = analyse
        self._on_text = on_text
        self._lines: list[_Line] = []
        self._text = text
        attrs = {
            "id": id,
            "class": "marked-input",
            "spellcheck": "true",
            "rows": "12",
            ".value": text,
        }
        if describedby:
            attrs["aria-describedby"] = describedby
        self.textarea = ctx.el(
            "textarea", attrs, on={"input": self._input, "scroll": self._unscroll}
        )
        self.mirror = ctx.el("div", {"class": "marked-mirror", "aria-hidden": "true"})
        self._tail = dom.text("\u200b")  # gives a trailing empty line its height
        dom.insert(self.mirror, self._tail)
        self.node = ctx.el("div", {"class": "marked-text"}, self.mirror, self.textarea)
        self._render(analyse(text))

    # -- reading ---------------------------------------------------------------------------
    @property
    def text(self) -> str:
        return self._text

    def caret(self) -> int:
        """Where the caret is (the start of the selection), in characters."""
        try:
            return int(self.dom.get_prop(self.textarea, "selectionStart") or 0)
        except (TypeError, ValueError):
            return len(self._text)

    def marks(self) -> list[LineMarks]:
        return [line.data for line in self._lines]

    # -- writing ---------------------------------------------------------------------------
    def _input(self, event: Event) -> None:
        text = str(self.dom.get_prop(self.textarea, "value"))
        if text == self._text:
            return
        self._text = text
        self._on_text(text)
        self._render(self._analyse(text))

    def _unscroll(self, event: Event) -> None:
        """The mirror gives the editor its height, so the textarea never scrolls inside;
        a browser that scrolls it anyway (the caret at a new last line, before the mirror
        grew) is put back. (Done here, not on every input: reading or writing a scroll
        position forces a layout of the whole text.)"""
        if self.dom.get_prop(self.textarea, "scrollTop"):
            self.dom.set_prop(self.textarea, "scrollTop", 0)

    def set_text(self, text: str) -> None:
        """Show ``text`` (generated text arriving, another tab's edit) keeping the caret
        and selection on the same characters."""
        if text == self._text:
            return
        old = self._text
        dom = self.dom
        focused = dom.focused()
        has_focus = focused is not None and dom.contains(self.textarea, focused)
        start = end = None
        if has_focus:
            start = int(dom.get_prop(self.textarea, "selectionStart") or 0)
            end = int(dom.get_prop(self.textarea, "selectionEnd") or 0)
        self._text = text
        dom.set_prop(self.textarea, "value", text)
        if start is not None and end is not None:
            prefix, suffix = common_ends(old, text)

            def moved(p: int) -> int:
                if p <= prefix:
                    return p
                if p >= len(old) - suffix:
                    return p + len(text) - len(old)
                return prefix + (len(text) - prefix - suffix)

            dom.call(self.textarea, "setSelectionRange", moved(start), moved(end))
        self._render(self._analyse(text))

    def remark(self) -> None:
        """Mark the text again (what marks mean changed, e.g. lorebook entries)."""
        self._render(self._analyse(self._text))

    def focus(self, at: int | None = None) -> None:
        self.dom.call(self.textarea, "focus")
        if at is not None:
            self.dom.call(self.textarea, "setSelectionRange", at, at)

    # -- the mirror ------------------------------------------------------------------------
    def _render(self, new: Sequence[LineMarks]) -> None:
        old = self._lines
        dom = self.dom
        limit = min(len(old), len(new))
        prefix = 0
        while prefix < limit and old[prefix].data.text == new[prefix].text:
            prefix += 1
        suffix = 0
        while (
            suffix < limit - prefix
            and old[len(old) - 1 - suffix].data.text == new[len(new) - 1 - suffix].text
        ):
            suffix += 1
        # pieces whose text is unchanged: patch only if their marks (or newline) changed
        kept_head = old[:prefix]
        kept_tail = old[len(old) - suffix :]
        for offset, line in enumerate(kept_head):
            self._patch(line, new[offset])
        for offset, line in enumerate(kept_tail):
            self._patch(line, new[len(new) - suffix + offset])
        for line in old[prefix : len(old) - suffix]:
            dom.remove(line.node)
        before = kept_tail[0].node if kept_tail else self._tail
        fresh = [_Line(new[i], self._line_node(new[i])) for i in range(prefix, len(new) - suffix)]
        if len(fresh) > 1:
            fragment = dom.fragment()
            for line in fresh:
                dom.insert(fragment, line.node)
            dom.insert(self.mirror, fragment, before)
        elif fresh:
            dom.insert(self.mirror, fresh[0].node, before)
        self._lines = [*kept_head, *fresh, *kept_tail]

    def _patch(self, line: _Line, data: LineMarks) -> None:
        if line.data is data or (
            line.data.marks == data.marks and line.data.newline == data.newline
        ):
            line.data = data
            return
        fresh = self._line_node(data)
        self.dom.insert(self.mirror, fresh, line.node)
        self.dom.remove(line.node)
        line.node = fresh
        line.data = data

    def _line_node(self, data: LineMarks) -> Node:
        dom = self.dom
        span = dom.element("span")
        for piece, mark in line_spans(data):
            if mark is None:
                dom.insert(span, dom.text(piece))
                continue
            node = dom.element("mark")
            dom.set_attr(node, "class", f"mention {mark.kind}")
            dom.set_attr(node, "data-entries", " ".join(mark.entry_ids))
            dom.insert(node, dom.text(piece))
            dom.insert(span, node)
        if data.newline:
            dom.insert(span, dom.text("\n"))
        return span
