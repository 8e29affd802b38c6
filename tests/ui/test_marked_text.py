"""The marked-text editor: a textarea over a mirror with one mark per mention."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain import LorebookEntry
from app.ui import Ctx, mount
from app.ui._marked_text import MarkedText
from app.ui._mentions import MentionIndex

from ._support import IN_BROWSER, Harness, same, touched

RUN_IN_BROWSER = True

TEXT = "Mara came home.\nThe keep was dark.\nNobody here."


def entry(name: str, keys: list[str]) -> LorebookEntry:
    return LorebookEntry.parse({"name": name, "level": "global", "keys": keys})


@pytest.fixture
def editor(harness: Harness) -> Any:
    index = MentionIndex([entry("Mara", ["Mara"]), entry("Keep", ["keep"])])
    seen: list[str] = []
    box: dict[str, MarkedText] = {}

    def view(ctx: Ctx) -> Any:
        box["ed"] = MarkedText(
            ctx,
            id="chapter-text",
            text=TEXT,
            analyse=lambda t: index.analyse(t).lines,
            on_text=seen.append,
        )
        return box["ed"].node

    m = mount(harness.dom, harness.root, view)
    yield box["ed"], seen
    m.unmount()


def marks(h: Harness) -> list[str]:
    return [h.text(m) for m in h.query("mark")]


def mirror_text(h: Harness) -> str:
    (mirror,) = h.query("div.marked-mirror")
    return h.text(mirror)


async def test_marks_show_each_mention_and_never_enter_the_text(harness, editor):
    h = harness
    _ed, _ = editor
    assert marks(h) == ["Mara", "keep"]
    (mirror,) = h.query("div.marked-mirror")
    assert h.attr(mirror, "aria-hidden") == "true"
    assert mirror_text(h) == TEXT + "\u200b"
    (area,) = h.query("textarea")
    assert h.dom.get_prop(area, "value") == TEXT


async def test_typing_re_marks_and_touches_only_the_edited_line(harness, editor):
    h = harness
    _ed, seen = editor
    (area,) = h.query("textarea")
    (mirror,) = h.query("div.marked-mirror")
    spans = h.children(mirror)
    h.take()
    text = TEXT.replace("Nobody here.", "Nobody but Mara here.")
    h.type_into(area, text)
    assert seen == [text]
    assert marks(h) == ["Mara", "keep", "Mara"]
    assert mirror_text(h) == text + "\u200b"
    records = h.take()
    assert records and touched(records, h, mirror)
    kept = h.children(mirror)
    assert same(kept[0], spans[0]) and same(kept[1], spans[1])  # lines 1-2 untouched


async def test_new_lines_split_and_join(harness, editor):
    h = harness
    (area,) = h.query("textarea")
    text = TEXT.replace("home.", "home.\n\nLater, Mara slept.")
    h.type_into(area, text)
    assert mirror_text(h) == text + "\u200b"
    assert marks(h) == ["Mara", "Mara", "keep"]
    h.type_into(area, "Mara")
    assert mirror_text(h) == "Mara\u200b"
    h.type_into(area, "")
    assert mirror_text(h) == "\u200b"
    assert marks(h) == []


async def test_set_text_keeps_the_caret_on_the_same_characters(harness, editor):
    h = harness
    ed, seen = editor
    (area,) = h.query("textarea")
    caret = TEXT.index("The keep")
    ed.focus(caret)
    ed.set_text("Prologue.\n" + TEXT)
    assert seen == []  # not the person's edit
    assert h.dom.get_prop(area, "value") == "Prologue.\n" + TEXT
    assert ed.caret() == caret + len("Prologue.\n")
    if IN_BROWSER:
        assert int(area.selectionEnd) == caret + len("Prologue.\n")
    assert marks(h) == ["Mara", "keep"]
