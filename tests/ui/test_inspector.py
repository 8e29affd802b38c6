"""The prompt inspector dialog: the exact messages, totals, and the lore trace, as text."""

from __future__ import annotations

from app.ui import Ctx, mount
from app.ui._inspector import PromptInspector

from ._reports import HOSTILE, sample_report

RUN_IN_BROWSER = True


def _mounted(harness):
    made: dict[str, object] = {}

    def view(ctx: Ctx):
        inspector = PromptInspector(ctx)
        opener = ctx.el("button", {"type": "button"}, "Prompt inspector")
        made.update(inspector=inspector, opener=opener)
        return ctx.el("div", None, opener, inspector.node)

    handle = mount(harness.dom, harness.root, view)
    return handle, made["inspector"], made["opener"]


def _dialog(harness):
    (dialog,) = harness.query("dialog")
    return dialog


def test_opens_a_named_modal_dialog_with_each_message_as_text(harness):
    handle, inspector, opener = _mounted(harness)
    dialog = _dialog(harness)
    assert harness.attr(dialog, "open") is None
    harness.dom.call(opener, "focus")
    inspector.open(sample_report(), opener=opener)
    assert harness.attr(dialog, "open") is not None
    assert harness.attr(dialog, "aria-label") == "Prompt inspector"
    sections = harness.query("section.inspector-message", dialog)
    assert [harness.attr(s, "aria-label") for s in sections] == [
        "Message 1, system",
        "Message 2, user",
        "Message 3, assistant",
    ]
    headings = [harness.text(h) for h in harness.query("section.inspector-message h4", dialog)]
    assert headings == [
        "1. system — 12 tokens",
        "2. user — 1,200 tokens",
        "3. assistant — 22 tokens",
    ]
    texts = [harness.text(p) for p in harness.query("pre", sections[1])]
    assert texts == [f"Tell me about dragons {HOSTILE}"]
    assert harness.query("img", dialog) == []  # user text stays text
    handle.unmount()


def test_shows_totals_against_the_budget_and_history(harness):
    handle, inspector, opener = _mounted(harness)
    inspector.open(sample_report(), opener=opener)
    summary = harness.text(harness.query("dl", _dialog(harness))[0])
    assert "1,234 of 7,680 tokens (16 %)" in summary
    assert "8,192 tokens, 512 kept for the reply" in summary
    assert "estimated (cl100k_base ×1.25) (estimate)" in summary
    assert "llama3.1:8b" in summary and "Stopped by you" in summary
    assert "2 of 12 messages sent; 9 older left out for the budget; 1 notes never sent" in summary
    parts = harness.text(harness.query("section.inspector-parts", _dialog(harness))[0])
    assert "Lore: Dragon (global)" in parts and "left out: over budget" in parts
    warnings = harness.text(harness.query("section.inspector-warnings", _dialog(harness))[0])
    assert "Constant lore went over its budget" in warnings
    handle.unmount()


def test_the_lore_trace_names_entry_scope_result_reason_and_key(harness):
    handle, inspector, opener = _mounted(harness)
    inspector.open(sample_report(), opener=opener)
    lore = harness.query("section.inspector-lore", _dialog(harness))[0]
    assert "5,000 entries in scope, 3 considered, 1 included." in harness.text(lore)
    rows = harness.query("tbody tr", lore)
    cells = [[harness.text(c) for c in harness.children(r)] for r in rows]
    assert cells[0][:4] == ["Dragon", "Global", "In", "Key matched — a primary key matched"]
    assert cells[0][4] == "key “dragon” in message 3: “about dragons”"
    assert cells[0][5:] == ["7", "after the character"]
    assert cells[1][:4] == [
        "Hoard",
        "Character",
        "Out",
        "Over budget — did not fit in the remaining token budget (recursion step 1)",
    ]
    assert cells[1][4] == "key “gold” in the entry “Dragon” (recursion): “gold”"
    assert cells[2][3].startswith("Secondary keys — secondary keys did not satisfy")
    assert cells[2][4] == "–"
    handle.unmount()


def test_the_lore_filter_shows_included_or_left_out_entries(harness):
    handle, inspector, opener = _mounted(harness)
    inspector.open(sample_report(), opener=opener)
    lore = harness.query("section.inspector-lore", _dialog(harness))[0]
    (select,) = harness.query("select", lore)
    rows = harness.query("tbody tr", lore)

    def visible():
        return [
            harness.text(harness.children(r)[0]) for r in rows if harness.attr(r, "hidden") is None
        ]

    harness.dom.set_prop(select, "value", "out")
    harness.fire(select, "change")
    assert visible() == ["Hoard", "Night"]
    harness.dom.set_prop(select, "value", "in")
    harness.fire(select, "change")
    assert visible() == ["Dragon"]
    harness.dom.set_prop(select, "value", "all")
    harness.fire(select, "change")
    assert visible() == ["Dragon", "Hoard", "Night"]
    handle.unmount()


def test_close_returns_focus_and_a_missing_report_is_explained(harness):
    handle, inspector, opener = _mounted(harness)
    dialog = _dialog(harness)
    inspector.open(None, opener=opener)
    assert "No prompt was recorded for this reply" in harness.text(dialog)
    (close,) = [b for b in harness.query("button", dialog) if harness.text(b) == "Close"]
    assert harness.dom.focused() is not None and harness.inside(dialog, harness.dom.focused())
    harness.fire(close, "click")
    assert harness.attr(dialog, "open") is None
    assert harness.query("pre", dialog) == [] and "No prompt" not in harness.text(dialog)
    assert harness.dom.contains(opener, harness.dom.focused())
    inspector.open(sample_report(), opener=opener)  # opens again with fresh content
    assert len(harness.query("section.inspector-message", dialog)) == 3
    handle.unmount()


def test_request_settings_are_shown_without_the_messages(harness):
    handle, inspector, opener = _mounted(harness)
    inspector.open(sample_report(), opener=opener)
    (details,) = harness.query("details", _dialog(harness))
    text = harness.text(details)
    assert '"temperature": 0.8' in text and '"model": "llama3.1:8b"' in text
    assert "messages" not in text
    handle.unmount()


def test_a_late_close_event_does_not_close_a_reopened_dialog(harness):
    handle, inspector, opener = _mounted(harness)
    dialog = _dialog(harness)
    inspector.open(sample_report(), opener=opener)
    inspector.close()
    inspector.open(None, opener=opener)
    harness.fire(dialog, "close")  # the browser fires the first close's event only now
    assert harness.attr(dialog, "open") is not None
    assert "No prompt was recorded" in harness.text(dialog)
    handle.unmount()
